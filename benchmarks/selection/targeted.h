// Grades of targeted selection (cells with target_classes): how much a
// method's top-k rows move the training distribution toward the target
// domain, in DSIR's hashed feature space (docs/SELECTION.md, "Metrics").
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "benchmarks/selection/hashed_features.h"
#include "benchmarks/selection/selection.h"

namespace sb::selection {

// The metric's feature space: 1024 buckets, 8 bins over [-3, 3], bigrams.
HashedFeatureOptions target_metric_features();

// The hashed counts of the training rows and the smoothed distribution of
// the test split (the target domain's held-out sample).
struct TargetSpace {
  Eigen::MatrixXd train_counts;  // n_train x buckets
  Eigen::VectorXd target;        // smoothed distribution of the test rows
};
TargetSpace target_space(const SelectionData& data, const HashedFeatureOptions& options);

// KL(target || q_S), q_S the smoothed distribution of the training rows S.
double kl_toward_target(const TargetSpace& space, const std::vector<Eigen::Index>& selected);

// For each of kBudgets: the mean over `draws` uniformly random subsets of
// budget_rows(percent, n) training rows (seeded by `seed`) of
// kl_toward_target.
std::vector<double> random_selection_kl(const SelectionData& data, int draws, std::uint64_t seed);

}  // namespace sb::selection
