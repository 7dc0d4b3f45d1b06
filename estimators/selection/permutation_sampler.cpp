#include "estimators/selection/permutation_sampler.h"

#include <cmath>
#include <memory>
#include <numeric>
#include <optional>
#include <random>

#include "benchmarks/selection/utility_path.h"
#include "datasets/random.h"
#include "harness/core/errors.h"
#include "harness/core/suite.h"

namespace sb::selection {

PermutationMarginals refit_marginals(const Utility& utility, const PermutationOptions& options) {
  const auto n = utility.data().train.rows();
  const double truncation = options.truncation;
  const bool warm_start = options.warm_start;
  double full = 0;
  if (truncation > 0) {
    std::vector<Eigen::Index> all(static_cast<size_t>(n));
    std::iota(all.begin(), all.end(), Eigen::Index{0});
    full = utility(all);
  }
  // One prefix evaluator per marginals function (a cell's, used by one thread).
  auto prefix_utility = warm_start ? std::make_shared<PrefixUtility>(utility) : nullptr;
  return [&utility, truncation, prefix_utility, full, n](const std::vector<Eigen::Index>& order,
                                                         Eigen::VectorXd& marginals) {
    marginals.setZero(n);
    double before = 0.0;  // U(empty)
    std::vector<Eigen::Index> prefix;
    prefix.reserve(static_cast<size_t>(n));
    if (prefix_utility) prefix_utility->clear();
    for (Eigen::Index k = 0; k < n; ++k) {
      if (truncation > 0 && std::abs(full - before) <= truncation * std::abs(full)) break;
      const Eigen::Index row = order[static_cast<size_t>(k)];
      double after = 0;
      if (prefix_utility) {
        after = prefix_utility->add(row);
      } else {
        prefix.push_back(row);
        after = utility(prefix);
      }
      marginals(k) = after - before;
      before = after;
    }
  };
}

std::optional<Valuer::Split> permutation_split(const PermutationOptions& o) {
  if (o.convergence > 0) return std::nullopt;  // the stop depends on the order of the permutations
  return Valuer::Split{static_cast<std::uint64_t>(o.max_permutations),
                       static_cast<std::uint64_t>(o.permutations_per_part)};
}

std::vector<Eigen::Index> unit_permutation(Eigen::Index n, std::uint64_t seed, std::uint64_t unit) {
  std::vector<Eigen::Index> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  std::mt19937_64 rng(derive_seed(seed, "permutation/" + std::to_string(unit)));
  data::shuffle_in_place(order, rng);
  return order;
}

Eigen::VectorXd permutation_unit_sum(Eigen::Index n, const PermutationMarginals& marginals,
                                     const std::vector<double>& importance, std::uint64_t seed, std::uint64_t begin,
                                     std::uint64_t end) {
  SB_THROW_IF_NOT(InternalError, static_cast<Eigen::Index>(importance.size()) == n,
                  "permutation sampler: {} importance weights for {} rows", importance.size(), n);
  Eigen::VectorXd sum = Eigen::VectorXd::Zero(n), m;
  for (std::uint64_t unit = begin; unit < end; ++unit) {
    const auto order = unit_permutation(n, seed, unit);
    marginals(order, m);
    for (Eigen::Index k = 0; k < n; ++k) sum(order[static_cast<size_t>(k)]) += importance[static_cast<size_t>(k)] * m(k);
  }
  return sum;
}

Eigen::VectorXd permutation_semivalue(Eigen::Index n, const PermutationMarginals& marginals,
                                      const std::vector<double>& importance, const PermutationOptions& o,
                                      std::uint64_t seed) {
  SB_THROW_IF_NOT(InternalError, static_cast<Eigen::Index>(importance.size()) == n,
                  "permutation sampler: {} importance weights for {} rows", importance.size(), n);
  std::vector<Eigen::Index> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  std::mt19937_64 rng(seed);
  Eigen::VectorXd sum = Eigen::VectorXd::Zero(n), previous = Eigen::VectorXd::Zero(n), m;
  std::int64_t done = 0;
  bool has_previous = false;
  while (done < o.max_permutations) {
    data::shuffle_in_place(order, rng);
    marginals(order, m);
    for (Eigen::Index k = 0; k < n; ++k) sum(order[static_cast<size_t>(k)]) += importance[static_cast<size_t>(k)] * m(k);
    ++done;
    if (o.convergence > 0 && done >= o.min_permutations && done % o.check_every == 0) {
      const Eigen::VectorXd current = sum / static_cast<double>(done);
      if (has_previous) {
        const double change = ((current - previous).array().abs() / (current.array().abs() + 1e-12)).mean();
        if (change < o.convergence) break;
      }
      previous = current;
      has_previous = true;
    }
  }
  return sum / static_cast<double>(done);
}

}  // namespace sb::selection
