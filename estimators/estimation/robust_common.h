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

// Values a `trim` trimmed mean of n values drops at each end: floor(trim n)
// (a slack keeps products such as 0.2 * 5 from rounding down).
std::size_t trimmed_count(std::size_t n, double trim);

// The centre of the winsorised sum of squares in a trimmed mean's SE: the
// winsorised mean (Tukey & McLaughlin 1963) or the trimmed mean itself (the
// influence-curve estimator, Boos & Stefanski's 2013 trim.var).
enum class WinsorCentre { kWinsorizedMean, kTrimmedMean };

// Trimmed mean of v: drop g = trimmed_count(n, trim) values at each end and
// average the h = n - 2g others, with the standard error
// SE^2 = sum_i (w_i - c)^2 / (h (h - 1)) over the g-winsorised sample w
// about the centre c (for the winsorised mean: (n - 1) s_w^2 / (h (h - 1)))
// and a 95% Student t CI with h - 1 degrees of freedom (NaN if h < 2).
struct TrimmedMean {
  double value = 0;
  double std_error = 0;
  double ci_low = 0;
  double ci_high = 0;
};
TrimmedMean trimmed_mean(std::vector<double> v, double trim, WinsorCentre centre = WinsorCentre::kWinsorizedMean);
// The value alone (no SE, no t quantile): for resampling loops.
double trimmed_mean_value(std::vector<double> v, double trim);
// Trimmed mean of every column of x (n x d) as an Estimate; the CI and SE
// are those of column 0 (the suite's target coordinate).
Estimate coordinatewise_trimmed_mean(const Eigen::MatrixXd& x, double trim,
                                     WinsorCentre centre = WinsorCentre::kWinsorizedMean);

// sum_i (v_i - mean v)^2.
double sum_of_squared_deviations(const std::vector<double>& v);
// The jackknife variance from n leave-one-out values u_i:
// (n - 1)/n sum_i (u_i - mean u)^2.
double jackknife_variance(const std::vector<double>& leave_one_out);
// Sets est.std_error = se and the 95% normal CI center +- z_{0.975} se.
void set_normal_ci(Estimate& est, double center, double se);

}  // namespace sb::estimation::robust
