// Exact ground truths of a replication, each a pure function of the data and
// the utility's options, returning plain vectors (so that they can become
// references computed once per (dataset, seed) and shipped to ranks).
#pragma once

#include <vector>

#include "benchmarks/selection/selection.h"

namespace sb::selection {

// U(D) - U(D \ {i}) for every training row i: n + 1 fits (counted by
// `utility`, so that the `loo` method can call it).
std::vector<double> loo_values(const Utility& utility);
std::vector<double> exact_loo_values(const SelectionData& data, const UtilityOptions& options);

// U(S) of all 2^n subsets, utilities[mask] with bit i = row i (n <= 16).
std::vector<double> subset_utilities(const SelectionData& data, const UtilityOptions& options);

constexpr int kMaxEnumerationRows = 16;

}  // namespace sb::selection
