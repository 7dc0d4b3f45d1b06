// The keyed cell list of a plan (make_plan's last step). The canonical texts,
// keys and shards it uses are declared in plan.h and defined, with it, in
// plan_keys.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "harness/run/plan.h"

namespace sb {

// Cells in plan order (dataset, seed, method) over the plan's arms (n_datasets
// x n_methods, dataset-major); with compute_keys, each with its key.
std::vector<PlannedCell> make_cells(const Plan& plan, const std::vector<std::uint64_t>& seeds,
                                    std::size_t n_datasets, std::size_t n_methods, bool compute_keys);

}  // namespace sb
