// Quantiles for the `estimation` suite's estimators: order statistics,
// sample quantiles, the MAD, the 95% normal z, and linear quantile
// regression (an exact LP solver with its iid-error standard error).
// Distribution quantiles themselves are sb::stats (stats/distributions.h).
#pragma once

#include <Eigen/Dense>

#include <cstddef>
#include <vector>

#include "benchmarks/estimation/estimation.h"

namespace sb::estimation::robust {

// Median of `v` (mean of the two middle values when the size is even).
// Throws MethodError on an empty vector.
double median(std::vector<double> v);

// k-th smallest value of `v`, k = 1..size (1-based, as in order statistics).
double order_statistic(std::vector<double> v, std::size_t k);

// Sample quantile, linear interpolation between order statistics
// (Hyndman & Fan type 7, R's default), p in [0, 1].
double quantile_type7(std::vector<double> v, double p);
// The same of values already in ascending order (no copy, no sort).
double quantile_type7_sorted(const std::vector<double>& sorted, double p);

// Raw median absolute deviation about `center` (not rescaled).
double median_absolute_deviation(const std::vector<double>& v, double center);
// Consistency constant: MAD / kMadToSigma estimates sigma for Gaussian data.
inline constexpr double kMadToSigma = 0.6744897501960817;

// stats::normal_quantile(0.975), computed once: the z of every 95% normal CI.
double z975();

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

// Linear quantile regression at level tau (exact LP vertex) with its
// iid-error sparsity SE and normal CI for coefficient 0.
Estimate quantile_regression_estimate(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, double tau);

}  // namespace sb::estimation::robust
