// Numerical building blocks shared by the robust, regression, quantile and
// conformal estimators of the `estimation` suite (order statistics, least
// squares, an exact quantile-regression solver, seeded splits). No I/O.
#pragma once

#include <Eigen/Dense>

#include "benchmarks/estimation/estimation.h"

#include <cstdint>
#include <vector>

namespace sb::estimation::robust {

// Median of `v` (mean of the two middle values when the size is even).
// Throws MethodError on an empty vector.
double median(std::vector<double> v);

// k-th smallest value of `v`, k = 1..size (1-based, as in order statistics).
double order_statistic(std::vector<double> v, std::size_t k);

// Sample quantile, linear interpolation between order statistics
// (Hyndman & Fan type 7, R's default), p in [0, 1].
double quantile_type7(std::vector<double> v, double p);

// Raw median absolute deviation about `center` (not rescaled).
double median_absolute_deviation(const std::vector<double>& v, double center);
// Consistency constant: MAD / kMadToSigma estimates sigma for Gaussian data.
inline constexpr double kMadToSigma = 0.6744897501960817;

double normal_quantile(double p);
// normal_quantile(0.975), computed once: the z of every 95% normal CI.
double z975();
double student_t_quantile(double p, double df);

// Column `j` of `x` as a std::vector.
std::vector<double> column(const Eigen::MatrixXd& x, Eigen::Index j);

// Block of each of n samples for a median-of-means with k blocks: a seeded
// uniform permutation `perm` of 0..n-1 (std::shuffle with
// std::mt19937_64(seed)) puts sample perm[i] in block i % k, so blocks have
// sizes floor(n/k) or ceil(n/k). Requires 1 <= k <= n.
std::vector<int> block_assignment(std::size_t n, std::size_t k, std::uint64_t seed);

// Seeded uniform permutation of 0..n-1 (std::shuffle, std::mt19937_64(seed)).
std::vector<Eigen::Index> seeded_permutation(std::size_t n, std::uint64_t seed);

// Least squares coefficients of y on the columns of x (x: n x p, n >= p):
// models::least_squares_coef. Throws MethodError when x does not have full
// column rank or holds non-finite values.
Eigen::VectorXd least_squares(const Eigen::MatrixXd& x, const Eigen::VectorXd& y);
// Weighted least squares, weights w_i >= 0.
Eigen::VectorXd weighted_least_squares(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                       const Eigen::VectorXd& w);
// (X^T X)^{-1}; throws MethodError when singular.
Eigen::MatrixXd inverse_gram(const Eigen::MatrixXd& x);

// Check (pinball) loss sum_i rho_tau(r_i), rho_tau(r) = r (tau - 1{r < 0}).
double check_loss(const Eigen::VectorXd& residuals, double tau);

// Linear quantile regression solved exactly: argmin_b sum_i rho_tau(y_i - x_i^T b).
// Method: descent along the edges of the LP's vertex set (the Barrodale &
// Roberts idea): a vertex interpolates p points (the basis); each step moves
// along the steepest descending edge to the minimum of the check loss on
// that edge (a weighted-median line search), which swaps one point into the
// basis. Stops at a vertex with no descending edge: for data in general
// position (no ties, as with continuous noise) that vertex is optimal up to
// rounding. Throws MethodError for rank-deficient x or no convergence.
struct QuantileFit {
  Eigen::VectorXd coef;
  std::vector<Eigen::Index> basis;  // the p interpolated points
  double objective = 0;             // check loss at coef
  int iterations = 0;
};
QuantileFit quantile_regression(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, double tau);

// Standard error of coef(j) from quantile regression under iid errors
// (Koenker & Bassett 1978): Var = tau (1 - tau) s^2 (X^T X)^{-1}, the sparsity
// s = 1/f(F^{-1}(tau)) estimated by a difference quotient of residual
// quantiles with the Hall & Sheather (1988) bandwidth.
double quantile_regression_iid_se(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                  const Eigen::VectorXd& coef, double tau, Eigen::Index j);

// Rank of the conformal quantile for n calibration scores at miscoverage
// alpha: ceil((n + 1)(1 - alpha)); may exceed n (then the interval is infinite).
std::size_t conformal_rank(std::size_t n, double alpha);

}  // namespace sb::estimation::robust

namespace sb::estimation::robust {

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
// Linear quantile regression at level tau (exact LP vertex) with its
// iid-error sparsity SE and normal CI for coefficient 0.
Estimate quantile_regression_estimate(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, double tau);

}  // namespace sb::estimation::robust

namespace sb::estimation::robust {

// Seeded split of n training rows for split conformal methods: the first
// floor(fit_fraction * n) entries of a seeded permutation fit the model, the
// rest calibrate. Throws MethodError unless the fit part has more than
// `min_fit` rows and the calibration part at least one.
struct SplitRows {
  std::vector<Eigen::Index> fit;
  std::vector<Eigen::Index> calibration;
};
SplitRows split_rows(std::size_t n, double fit_fraction, std::size_t min_fit, std::uint64_t seed);

// The `interval` task's shapes: x (n x d) with n outcomes y, x_test with d
// columns; throws MethodError naming them otherwise.
void check_interval_data(const Data& data);

// The k-th smallest conformity score, k = conformal_rank(size, alpha);
// throws MethodError when k > size (the calibration set is too small for a
// finite interval at that level).
double conformal_quantile(std::vector<double> scores, double alpha);

}  // namespace sb::estimation::robust
