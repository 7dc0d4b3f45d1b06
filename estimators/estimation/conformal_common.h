// Shared pieces of the split conformal estimators of the `estimation` suite:
// the seeded fit/calibration split, the interval task's shape check and the
// conformal quantile of calibration scores.
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "benchmarks/estimation/estimation.h"
#include "estimators/models/linear.h"

namespace sb::estimation::robust {

// Rank of the conformal quantile for n calibration scores at miscoverage
// alpha: ceil((n + 1)(1 - alpha)); may exceed n (then the interval is infinite).
std::size_t conformal_rank(std::size_t n, double alpha);

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

// The least-squares fit on all rows and its leave-one-out residuals
// y_i - x_i' b_(-i) = e_i / (1 - h_ii), without refitting (the jackknife
// intervals). Throws MethodError naming a row of leverage 1, whose
// leave-one-out fit cannot predict it.
struct LeaveOneOutFit {
  models::LeastSquaresFit fit;
  Eigen::VectorXd residuals;  // signed leave-one-out residuals
};
LeaveOneOutFit leave_one_out_least_squares(const Eigen::MatrixXd& x, const Eigen::VectorXd& y);

}  // namespace sb::estimation::robust
