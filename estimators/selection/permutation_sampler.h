// Permutation sampling of a semivalue (Castro et al. 2009; Ghorbani & Zou
// 2019's truncated Monte Carlo and gradient variants; Kwon & Zou 2022's
// reweighting for Beta Shapley): each permutation adds the rows one by one
// and credits row pi_k with importance[k] * (U(pi_1..pi_k) - U(pi_1..pi_{k-1})).
#pragma once

#include <Eigen/Dense>

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "benchmarks/selection/selection.h"

namespace sb::selection {

struct PermutationOptions {
  std::int64_t max_permutations = 1000;
  std::int64_t min_permutations = 50;  // above max_permutations: no early stop
  std::int64_t check_every = 10;  // permutations between convergence checks
  // Stop when the mean over rows of |phi - phi_prev| / (|phi| + 1e-12), phi_prev
  // the estimate check_every permutations before, is below this (0: never).
  double convergence = 0.05;
  // Truncation (refit_marginals): once |U(D) - U(prefix)| <= truncation *
  // |U(D)|, the rest of the permutation contributes 0 without fitting (0: never).
  double truncation = 0.0;
  // With convergence = 0 (a fixed budget) the cell is a split cell: exactly
  // max_permutations permutations in parts of this many (docs/SELECTION.md).
  std::int64_t permutations_per_part = 20;
  // Fit each prefix from the previous prefix's model (refit_marginals): the
  // same optimum to the utility's tolerance in a fraction of the iterations.
  bool warm_start = true;
};

// The split of a fixed-budget run (convergence = 0), else nullopt.
std::optional<Valuer::Split> permutation_split(const PermutationOptions& options);

// marginals(k) = U(order[0..k]) - U(order[0..k-1]) for k = 0..n-1, for one
// permutation `order` of the n training rows.
using PermutationMarginals = std::function<void(const std::vector<Eigen::Index>& order, Eigen::VectorXd& marginals)>;

// The marginals of the utility's refits on every prefix (U(empty) = 0),
// truncated as options.truncation says; with options.warm_start each prefix's
// fit starts from the previous prefix's model (PrefixUtility,
// benchmarks/selection/utility_path.h; from zero at the first row of every
// permutation, so a permutation's marginals depend on it alone and split
// cells stay bitwise equal on any number of ranks).
PermutationMarginals refit_marginals(const Utility& utility, const PermutationOptions& options);

// `importance`: n entries (semivalue.h's permutation_importance). Draws the
// permutations from `seed` (datasets/random.h's shuffle).
Eigen::VectorXd permutation_semivalue(Eigen::Index n, const PermutationMarginals& marginals,
                                      const std::vector<double>& importance, const PermutationOptions& options,
                                      std::uint64_t seed);

// Permutation `unit` of the rows 0..n-1: a Fisher-Yates shuffle of the
// identity seeded by (seed, unit) alone, so that any range of units can be
// drawn on any rank.
std::vector<Eigen::Index> unit_permutation(Eigen::Index n, std::uint64_t seed, std::uint64_t unit);

// The sum over permutations unit = begin..end-1 (unit_permutation) of the
// importance-weighted marginals credited to the rows; permutation_semivalue's
// estimate with convergence = 0 is this sum over 0..max_permutations-1
// divided by max_permutations (up to the grouping of the additions).
Eigen::VectorXd permutation_unit_sum(Eigen::Index n, const PermutationMarginals& marginals,
                                     const std::vector<double>& importance, std::uint64_t seed, std::uint64_t begin,
                                     std::uint64_t end);

}  // namespace sb::selection
