// External valuers (a config's [[methods]] with `command`): the
// replication's training and validation splits go to a fresh directory, the
// command writes values.npy (docs/EXTERNAL.md, "selection").
#pragma once

#include <cstdint>

#include "benchmarks/selection/protocol.h"
#include "harness/core/external.h"

namespace sb::selection {

// Runs the command on the prepared replication and grades its values as
// run_valuer grades a built-in's (no model_fits: the suite cannot count the
// command's fits). Throws sb::MethodError when values.npy (or attribution.npy)
// is missing, of the wrong dtype or shape, or not finite; CellCrashed when
// the command died of a signal.
CellOutput run_external_valuer(const Prepared& prepared, const ExternalMethod& method, const ParamSet& params,
                               std::uint64_t seed);

}  // namespace sb::selection
