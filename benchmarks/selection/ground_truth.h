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

// The linear datamodeling score's ground truth (Park et al. 2023): `subsets`
// uniformly random subsets of floor(n/2) training rows (partial Fisher-Yates
// from `seed`), the utility's model fitted on each (rows in increasing
// order) and its correct-class margin (models/margin.h) at every validation
// row. A margin of -infinity (the row's class absent from the subset) or
// +infinity (the only class present) is stored as the lowest / highest
// double: the score uses ranks only.
struct LdsTruth {
  Eigen::MatrixXd masks;    // subsets x n_train, 1 = in the subset
  Eigen::MatrixXd outputs;  // subsets x n_valid
};
LdsTruth lds_truth(const SelectionData& data, const UtilityOptions& options, int subsets, std::uint64_t seed);

}  // namespace sb::selection
