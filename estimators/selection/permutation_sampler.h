// Permutation sampling of a semivalue (Castro et al. 2009; Ghorbani & Zou
// 2019's truncated Monte Carlo; Kwon & Zou 2022's reweighting for Beta
// Shapley): each permutation adds the rows one by one and credits row pi_k
// with importance[k] * (U(pi_1..pi_k) - U(pi_1..pi_{k-1})).
#pragma once

#include <Eigen/Dense>

#include <cstdint>
#include <vector>

#include "benchmarks/selection/selection.h"

namespace sb::selection {

struct PermutationOptions {
  std::int64_t max_permutations = 1000;
  std::int64_t min_permutations = 50;
  std::int64_t check_every = 10;  // permutations between convergence checks
  // Stop when the mean over rows of |phi - phi_prev| / (|phi| + 1e-12), phi_prev
  // the estimate check_every permutations before, is below this (0: never).
  double convergence = 0.05;
  // Truncation: once |U(D) - U(prefix)| <= truncation * |U(D)|, the rest of
  // the permutation contributes 0 without fitting (0: no truncation).
  double truncation = 0.0;
};

// `importance`: n entries (semivalue.h's permutation_importance). Draws the
// permutations from `seed` (datasets/random.h's shuffle).
Eigen::VectorXd permutation_semivalue(const Utility& utility, const std::vector<double>& importance,
                                      const PermutationOptions& options, std::uint64_t seed);

}  // namespace sb::selection
