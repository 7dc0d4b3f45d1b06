// Parsing of the [slurm] table (harness/run/slurm_defaults.h), for
// harness/run/config.cpp.
#pragma once

#include <functional>
#include <string>
#include <toml++/toml.h>

#include "harness/run/slurm_defaults.h"

namespace sb {

// `problem(line, text)` receives each error: an unknown key, a wrong type, a
// value that would break the job script.
void parse_slurm_table(const toml::node& node, SlurmDefaults& out,
                       const std::function<void(int, const std::string&)>& problem);

}  // namespace sb
