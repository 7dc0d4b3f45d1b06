// Paper: classical normal-theory prediction interval of least squares (e.g. Seber & Lee (2003), Linear Regression Analysis, 2nd ed., Wiley)
#include <cmath>
#include <string>

#include "benchmarks/estimation/estimation.h"
#include "estimators/estimation/conformal_common.h"
#include "estimators/models/linear.h"
#include "harness/stats/distributions.h"

namespace sb::estimation {
namespace {

// The parametric prediction interval of least squares under normal,
// homoscedastic errors: yhat(x) +- c * sigma_hat * sqrt(1 + x' (X'X)^-1 x),
// sigma_hat^2 = RSS / (n - p) (p columns of x, the intercept included),
// c the 1 - alpha/2 quantile of t with n - p degrees of freedom (exact
// coverage under the model) or, with quantile = "normal", of N(0, 1), as
// Lei et al. (2018) compute their "Parametric" column (qnorm, in
// lei2018/sim.lm.lo.R of the authors' repository).
class OlsPredictionInterval : public Estimator {
 public:
  struct Params {
    std::string quantile = "t";
  };
  explicit OlsPredictionInterval(const Params& p) : quantile_(p.quantile) {}

  Estimate estimate(const Data& data, std::uint64_t) const override {
    robust::check_interval_data(data);
    const Eigen::Index n = data.x.rows(), p = data.x.cols();
    SB_THROW_IF_NOT(MethodError, n > p, "a prediction interval needs n > p rows to estimate sigma (n={}, p={})", n, p);
    const models::LeastSquaresFit fit = models::fit_least_squares(data.x, data.y, /*with_leverage=*/false);
    const double df = static_cast<double>(n - p);
    const double sigma = std::sqrt(fit.residuals.squaredNorm() / df);
    const double alpha = 1 - data.level;
    const double c =
        quantile_ == "normal" ? stats::normal_quantile(1 - alpha / 2) : stats::student_t_quantile(1 - alpha / 2, df);
    // x' (X'X)^-1 x for each test row.
    const Eigen::VectorXd leverage = models::leverages(data.x_test, fit.xtwx_inverse);
    const Eigen::ArrayXd half = c * sigma * (1 + leverage.array()).sqrt();
    const Eigen::VectorXd predicted = data.x_test * fit.coef;
    Estimate est;
    est.lower = predicted.array() - half;
    est.upper = predicted.array() + half;
    return est;
  }

 private:
  std::string quantile_;
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_ESTIMATOR(sb::estimation::OlsPredictionInterval, "ols-prediction-interval")
    .describe("Normal-theory least-squares prediction interval: yhat +- c sigma_hat sqrt(1 + x'(X'X)^-1 x)")
    .paper(
        "Seber & Lee (2003), Linear Regression Analysis, 2nd ed. (normal theory); Lei et al. (2018)'s Parametric "
        "column")
    .tag("task:interval")
    .field(&sb::estimation::OlsPredictionInterval::Params::quantile, "quantile", {"t", "normal"},
           "c: the t(n - p) quantile (exact under normal errors) or the normal one (Lei et al.'s table)");
