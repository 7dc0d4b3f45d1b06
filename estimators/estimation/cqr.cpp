// Paper: Romano, Patterson & Candes (2019), Conformalized quantile regression, NeurIPS 32
#include <algorithm>

#include "benchmarks/estimation/estimation.h"
#include "estimators/estimation/conformal_common.h"
#include "estimators/estimation/quantiles.h"
#include "estimators/models/linear.h"

namespace sb::estimation {
namespace {

// Conformalised quantile regression: linear quantile regressions at alpha/2
// and 1 - alpha/2 fitted (exactly) on a seeded fit_fraction of the training
// rows; scores E_i = max(qlo(x_i) - y_i, y_i - qhi(x_i)) on the others;
// interval [qlo(x) - Q, qhi(x) + Q], Q the ceil((n_cal + 1)(1 - alpha))-th
// smallest score (Q may be negative: the quantile band then shrinks).
class Cqr : public Estimator {
 public:
  struct Params { double fit_fraction = 0.5; };
  explicit Cqr(const Params& p) : fit_fraction_(p.fit_fraction) {}

  Estimate estimate(const Data& data, std::uint64_t seed) const override {
    robust::check_interval_data(data);
    const double alpha = 1 - data.level;
    SB_THROW_IF_NOT(MethodError, alpha > 0 && alpha < 1, "level {} outside (0, 1)", data.level);
    const auto split = robust::split_rows(static_cast<std::size_t>(data.x.rows()), fit_fraction_,
                                          static_cast<std::size_t>(data.x.cols()), seed);
    const Eigen::MatrixXd x_fit = models::select_rows(data.x, split.fit);
    const Eigen::VectorXd y_fit = models::select_rows(data.y, split.fit);
    const Eigen::VectorXd b_lo = robust::quantile_regression(x_fit, y_fit, alpha / 2).coef;
    const Eigen::VectorXd b_hi = robust::quantile_regression(x_fit, y_fit, 1 - alpha / 2).coef;
    std::vector<double> scores;
    scores.reserve(split.calibration.size());
    for (Eigen::Index i : split.calibration) {
      const double lo = data.x.row(i).dot(b_lo), hi = data.x.row(i).dot(b_hi);
      scores.push_back(std::max(lo - data.y(i), data.y(i) - hi));
    }
    const double q = robust::conformal_quantile(std::move(scores), alpha);
    Estimate est;
    est.lower = (data.x_test * b_lo).array() - q;
    est.upper = (data.x_test * b_hi).array() + q;
    return est;
  }

 private:
  double fit_fraction_;
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_ESTIMATOR(sb::estimation::Cqr, "cqr")
    .describe("Conformalised linear quantile regression (split, exact QR fits)")
    .paper("Romano, Patterson & Candes (2019), Conformalized quantile regression, NeurIPS 32")
    .tag("task:interval")
    .field(&sb::estimation::Cqr::Params::fit_fraction, "fit_fraction", 0.05, 0.95, "fraction of training rows used to fit the model");
