#include "estimators/estimation/conformal_common.h"

#include <algorithm>
#include <cmath>

#include "estimators/estimation/quantiles.h"
#include "estimators/estimation/robust_common.h"
#include "harness/core/errors.h"

namespace sb::estimation::robust {

std::size_t conformal_rank(std::size_t n, double alpha) {
  // The small slack keeps exact products such as 100 * 0.9 from rounding up.
  return static_cast<std::size_t>(std::ceil((static_cast<double>(n) + 1) * (1 - alpha) - 1e-9));
}

SplitRows split_rows(std::size_t n, double fit_fraction, std::size_t min_fit, std::uint64_t seed) {
  const auto n_fit = static_cast<std::size_t>(std::floor(fit_fraction * static_cast<double>(n)));
  SB_THROW_IF_NOT(MethodError, n_fit > min_fit && n_fit < n,
                  "split of n={} rows with fit_fraction={} gives {} fit rows (need > {}) and {} "
                  "calibration rows (need >= 1)",
                  n, fit_fraction, n_fit, min_fit, n - n_fit);
  auto perm = seeded_permutation(n, seed);
  SplitRows out;
  out.fit.assign(perm.begin(), perm.begin() + static_cast<std::ptrdiff_t>(n_fit));
  out.calibration.assign(perm.begin() + static_cast<std::ptrdiff_t>(n_fit), perm.end());
  return out;
}

void check_interval_data(const Data& data) {
  SB_THROW_IF_NOT(MethodError, data.x.rows() == data.y.size() && data.x_test.cols() == data.x.cols(),
                  "x is {}x{}, y has {} entries, x_test has {} columns", data.x.rows(), data.x.cols(), data.y.size(),
                  data.x_test.cols());
}

double conformal_quantile(std::vector<double> scores, double alpha) {
  const std::size_t k = conformal_rank(scores.size(), alpha);
  SB_THROW_IF_NOT(MethodError, k <= scores.size(),
                  "a finite conformal interval at level {} needs at least {} calibration points "
                  "(ceil((n+1)(1-alpha)) <= n), got {}",
                  1 - alpha, static_cast<std::size_t>(std::ceil((1 - alpha) / alpha - 1e-9)), scores.size());
  return order_statistic(std::move(scores), std::max<std::size_t>(k, 1));
}

LeaveOneOutFit leave_one_out_least_squares(const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
  LeaveOneOutFit out{models::fit_least_squares(x, y, /*with_leverage=*/true), Eigen::VectorXd(y.size())};
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    SB_THROW_IF_NOT(MethodError, out.fit.leverage(i) < 1 - 1e-12,
                    "row {} has leverage 1: its leave-one-out fit cannot predict it", i);
    out.residuals(i) = out.fit.residuals(i) / (1 - out.fit.leverage(i));
  }
  return out;
}

}  // namespace sb::estimation::robust
