#include "benchmarks/selection/targeted.h"

#include <random>

#include "benchmarks/selection/protocol.h"
#include "datasets/corruption.h"

namespace sb::selection {

HashedFeatureOptions target_metric_features() {
  HashedFeatureOptions o;
  o.buckets = 1024, o.bins = 8, o.range = 3.0, o.bigrams = true;
  return o;
}

TargetSpace target_space(const SelectionData& data, const HashedFeatureOptions& options) {
  TargetSpace space;
  space.train_counts = hashed_counts(data.train.x, options);
  space.target = smoothed_distribution(hashed_counts(data.test.x, options));
  return space;
}

double kl_toward_target(const TargetSpace& space, const std::vector<Eigen::Index>& selected) {
  return kl_divergence(space.target, smoothed_distribution(space.train_counts, selected));
}

std::vector<double> random_selection_kl(const SelectionData& data, int draws, std::uint64_t seed) {
  const TargetSpace space = target_space(data, target_metric_features());
  const auto n = data.train.rows();
  std::mt19937_64 rng(seed);
  std::vector<double> out;
  for (int percent : kBudgets) {
    double total = 0;
    for (int d = 0; d < draws; ++d) total += kl_toward_target(space, data::draw_without_replacement(n, budget_rows(percent, n), rng));
    out.push_back(total / draws);
  }
  return out;
}

}  // namespace sb::selection
