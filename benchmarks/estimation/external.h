// External estimators (a config's [[methods]] with `command`): the
// replication's arrays go to a fresh directory, the command writes
// estimate.json (docs/ESTIMATION.md, "External estimators").
#pragma once

#include <cstdint>

#include "benchmarks/estimation/estimation.h"
#include "harness/core/external.h"

namespace sb::estimation {

// Throws sb::MethodError when estimate.json is missing, malformed, of the
// wrong size or not finite; CellCrashed when the command died of a signal.
Estimate estimate_externally(const Data& data, const ExternalMethod& method, const ParamSet& params,
                             std::uint64_t seed, std::uint64_t method_seed);

}  // namespace sb::estimation
