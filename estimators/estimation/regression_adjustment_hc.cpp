// Lin's (2013) regression adjustment: OLS of y on [1, T, x - xbar,
// T (x - xbar)] (full interaction, covariates centred at their overall mean);
// the ATE is the coefficient of T and its SE comes from the HC sandwich
// (HC2 by default, which Lin recommends; HC0/HC1/HC3 selectable).
#include <cmath>

#include "benchmarks/estimation/estimation.h"
#include "estimators/estimation/causal_common.h"

namespace sb::estimation {
namespace {

// Paper: Lin (2013), Agnostic notes on regression adjustments to experimental data: reexamining Freedman's critique, Annals of Applied Statistics 7(1)
class RegressionAdjustmentHc : public Estimator {
 public:
  struct Params { std::string hc = "HC2"; };
  explicit RegressionAdjustmentHc(const Params& p)
      : hc_(models::parse_hc_type(p.hc)) {}

  Estimate estimate(const Data& data, std::uint64_t) const override {
    causal::check_ate_data(data, "regression-adjustment-hc");
    const Eigen::Index n = data.y.size();
    const Eigen::Index d = data.x.size() == 0 ? 0 : data.x.cols();
    Eigen::MatrixXd design(n, 2 + 2 * d);
    design.col(0).setOnes();
    design.col(1) = data.treatment;
    if (d > 0) {
      const Eigen::MatrixXd xc = data.x.rowwise() - data.x.colwise().mean();
      design.middleCols(2, d) = xc;
      design.rightCols(d) = data.treatment.asDiagonal() * xc;
    }
    const models::LeastSquaresFit fit = models::fit_least_squares(design, data.y);
    const Eigen::MatrixXd cov = models::sandwich_covariance(design, fit, hc_);
    return causal::normal_estimate(fit.coef(1), std::sqrt(cov(1, 1)));
  }

 private:
  models::HcType hc_;
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_ESTIMATOR(sb::estimation::RegressionAdjustmentHc, "regression-adjustment-hc")
    .describe("Lin (2013) fully interacted OLS with centred covariates; coefficient of T with an "
              "HC sandwich SE")
    .paper("Lin (2013), Agnostic notes on regression adjustments to experimental data: "
           "reexamining Freedman's critique, Annals of Applied Statistics 7(1)")
    .tag("task:ate")
    .field(&sb::estimation::RegressionAdjustmentHc::Params::hc, "hc", {"HC0", "HC1", "HC2", "HC3"}, "sandwich variant");
