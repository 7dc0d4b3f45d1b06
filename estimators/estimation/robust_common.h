// Shared pieces of the robust location estimators of the `estimation` suite
// (seeded permutations and blocks, trimmed means) and the normal CI every
// estimator of the suite sets. Quantiles are in quantiles.h, the conformal
// split in conformal_common.h, least squares in estimators/models/linear.h.
#pragma once

#include <Eigen/Dense>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "benchmarks/estimation/estimation.h"

namespace sb::estimation::robust {

// Column `j` of `x` as a std::vector.
std::vector<double> column(const Eigen::MatrixXd& x, Eigen::Index j);

// Block of each of n samples for a median-of-means with k blocks: a seeded
// uniform permutation `perm` of 0..n-1 (std::shuffle with
// std::mt19937_64(seed)) puts sample perm[i] in block i % k, so blocks have
// sizes floor(n/k) or ceil(n/k). Requires 1 <= k <= n.
std::vector<int> block_assignment(std::size_t n, std::size_t k, std::uint64_t seed);

// Seeded uniform permutation of 0..n-1 (std::shuffle, std::mt19937_64(seed)).
std::vector<Eigen::Index> seeded_permutation(std::size_t n, std::uint64_t seed);

// Trimmed mean of v: drop g = floor(trim * n) values at each end and average
// the h = n - 2g others, with the Tukey & McLaughlin (1963) standard error
// SE^2 = (n - 1) s_w^2 / (h (h - 1)) (s_w^2: variance of the g-winsorised
// sample) and a 95% Student t CI with h - 1 degrees of freedom (NaN if h < 2).
struct TrimmedMean {
  double value = 0;
  double std_error = 0;
  double ci_low = 0;
  double ci_high = 0;
};
TrimmedMean trimmed_mean(std::vector<double> v, double trim);
// Trimmed mean of every column of x (n x d) as an Estimate; the CI and SE
// are those of column 0 (the suite's target coordinate).
Estimate coordinatewise_trimmed_mean(const Eigen::MatrixXd& x, double trim);
// Sets est.std_error = se and the 95% normal CI center +- z_{0.975} se.
void set_normal_ci(Estimate& est, double center, double se);

}  // namespace sb::estimation::robust
