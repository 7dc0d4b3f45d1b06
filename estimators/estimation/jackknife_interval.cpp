// Paper: Lei, G'Sell, Rinaldo, Tibshirani & Wasserman (2018), Distribution-free predictive inference for regression, JASA 113(523)
#include <cmath>
#include <vector>

#include "benchmarks/estimation/estimation.h"
#include "estimators/estimation/conformal_common.h"
#include "estimators/estimation/quantiles.h"
#include "estimators/models/linear.h"

namespace sb::estimation {
namespace {

// The jackknife prediction interval around least squares (as Lei et al.
// 2018 compare it with conformal intervals): yhat(x) from the fit on all n
// rows, +- the (1 - alpha) quantile of the n leave-one-out absolute residuals |y_i - yhat_(-i)(x_i)|,
// which least squares gives without refitting as |e_i| / (1 - h_ii). The
// quantile is R's default (type 7), as the authors' conformalInference
// package (conformal.pred.jack, plus = FALSE) computes it. No finite-sample
// guarantee (unlike split conformal); deterministic (the seed is unused).
class JackknifeInterval : public Estimator {
 public:
  struct Params {};
  explicit JackknifeInterval(const Params&) {}

  Estimate estimate(const Data& data, std::uint64_t) const override {
    robust::check_interval_data(data);
    const auto loo = robust::leave_one_out_least_squares(data.x, data.y);
    const Eigen::VectorXd scores = loo.residuals.cwiseAbs();
    const double q = robust::quantile_type7(std::vector<double>(scores.begin(), scores.end()), data.level);
    const Eigen::VectorXd predicted = data.x_test * loo.fit.coef;
    Estimate est;
    est.lower = predicted.array() - q;
    est.upper = predicted.array() + q;
    return est;
  }
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_ESTIMATOR(sb::estimation::JackknifeInterval, "jackknife-interval")
    .describe(
        "Jackknife prediction interval around least squares: +- the level quantile of the leave-one-out |residuals|")
    .paper("Lei et al. (2018), Distribution-free predictive inference for regression, JASA 113(523)")
    .tag("task:interval");
