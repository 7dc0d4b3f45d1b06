#include "benchmarks/selection/ground_truth.h"

#include <algorithm>
#include <limits>
#include <numeric>

#include "datasets/corruption.h"
#include "estimators/models/margin.h"
#include "harness/core/errors.h"

namespace sb::selection {

std::vector<double> exact_loo_values(const SelectionData& data, const UtilityOptions& options) {
  return loo_values(Utility(data, options));
}

std::vector<double> loo_values(const Utility& utility) {
  const auto n = utility.data().train.rows();
  std::vector<Eigen::Index> all(static_cast<size_t>(n));
  std::iota(all.begin(), all.end(), Eigen::Index{0});
  auto without = [n](Eigen::Index i) {
    std::vector<Eigen::Index> rest;
    rest.reserve(static_cast<size_t>(n - 1));
    for (Eigen::Index j = 0; j < n; ++j) {
      if (j != i) rest.push_back(j);
    }
    return rest;
  };
  std::vector<double> out(static_cast<size_t>(n));
  if (utility.data().regression()) {  // ridge in closed form: nothing to warm-start
    const double full = utility(all);
    for (Eigen::Index i = 0; i < n; ++i) out[static_cast<size_t>(i)] = full - utility(without(i));
    return out;
  }
  // Every D \ {i} is fitted from the fit on D (a warm start: the same
  // optimum, unique up to a shift of the biases, to the tolerance).
  const models::LogisticClassifier full_model = utility.fit(all);
  const double full = full_model.accuracy(utility.data().valid.x, utility.data().valid.y);
  for (Eigen::Index i = 0; i < n; ++i) out[static_cast<size_t>(i)] = full - utility.warm(without(i), full_model);
  return out;
}

std::vector<double> subset_utilities(const SelectionData& data, const UtilityOptions& options) {
  const auto n = data.train.rows();
  SB_THROW_IF_NOT(InputError, n <= kMaxEnumerationRows,
                  "enumeration of all subsets needs n_train <= {}, got {}", kMaxEnumerationRows, n);
  const Utility utility(data, options);
  std::vector<double> out(size_t{1} << n);
  for (std::uint32_t mask = 0; mask < out.size(); ++mask) {
    std::vector<Eigen::Index> subset;
    for (Eigen::Index i = 0; i < n; ++i) {
      if (mask & (1u << i)) subset.push_back(i);
    }
    out[mask] = utility(std::move(subset));
  }
  return out;
}

LdsTruth lds_truth(const SelectionData& data, const UtilityOptions& options, int subsets, std::uint64_t seed) {
  const Utility utility(data, options);
  const auto n = data.train.rows();
  std::mt19937_64 rng(seed);
  LdsTruth out;
  out.masks = Eigen::MatrixXd::Zero(subsets, n);
  out.outputs.resize(subsets, data.valid.rows());
  constexpr double kLowest = std::numeric_limits<double>::lowest(), kHighest = std::numeric_limits<double>::max();
  for (int s = 0; s < subsets; ++s) {
    auto rows = data::draw_without_replacement(n, std::max<Eigen::Index>(1, n / 2), rng);
    std::sort(rows.begin(), rows.end());
    for (auto i : rows) out.masks(s, i) = 1;
    const Eigen::VectorXd margins = models::correct_class_margins(utility.fit(rows), data.valid.x, data.valid.y);
    out.outputs.row(s) = margins.transpose().cwiseMax(kLowest).cwiseMin(kHighest);
  }
  return out;
}

}  // namespace sb::selection
