// External unlearning methods (a config's [[methods]] with `command`): the
// replication's training split, forget/retain rows and original model go to
// a fresh directory, the command writes the unlearned model, theta.npy
// (docs/EXTERNAL.md, "unlearning").
#pragma once

#include <cstdint>

#include "benchmarks/unlearning/protocol.h"
#include "harness/core/external.h"

namespace sb::unlearning {

// Runs the command on the prepared replication (once per request under
// forget = "sequential", in the same cell directory) and grades its model as
// run_unlearner grades a built-in's. Throws sb::MethodError when theta.npy is
// missing, of the wrong dtype or shape, not finite or (kNN) not row indices;
// CellCrashed when the command died of a signal.
CellOutput run_external_unlearner(const Prepared& prepared, const ExternalMethod& method, const ParamSet& params,
                                  std::uint64_t seed);

}  // namespace sb::unlearning
