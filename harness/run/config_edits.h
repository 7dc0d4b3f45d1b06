// Edits of an experiment made before planning, the same on every rank and in
// every executor (planning is deterministic): `[[methods]] name = "*"`
// wildcards and `-s kind.param=v1,v2` overrides (docs/ARCHITECTURE.md,
// "Configs").
#pragma once

#include <string>
#include <vector>

#include "harness/core/suite.h"
#include "harness/run/config.h"

namespace sb {

// `config` with each `name = "*"` [[methods]] entry replaced by one entry per
// registered method of `suite` carrying every tag of its `tags`, not in its
// `exclude` and not named elsewhere in the config (marked from_wildcard: the
// planner drops those that cannot run on every dataset); and with each
// override applied: `dataset.P=V,...` / `method.P=V,...` sets parameter P's
// values in every [[datasets]] / [[methods]] entry whose component declares
// P (an external method: whose params have P), adding the axis when absent.
// Throws InputError listing every problem: an unknown tag or excluded name,
// a bad override (its text named), a parameter no entry declares, a value
// out of its declared range.
ExperimentConfig edit_config(const ExperimentConfig& config, const Suite& suite,
                             const std::vector<std::string>& overrides);

// fnmatch-style glob match (`*`, `?`, `[...]`); a name without them matches
// only itself.
bool glob_match(const std::string& pattern, const std::string& name);

}  // namespace sb
