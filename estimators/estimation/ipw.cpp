// Horvitz-Thompson inverse-propensity weighting:
//   ATE = (1/n) sum_i [T_i y_i / e_i - (1 - T_i) y_i / (1 - e_i)].
// With a fitted logistic propensity (default) the SE is the M-estimation
// sandwich that accounts for the estimated propensity (Lunceford & Davidian
// 2004): IF_i = psi_i - ATE + h' I^{-1} x_i (T_i - e_i),
//   h = -mean_i [T_i y_i (1-e_i)/e_i + (1-T_i) y_i e_i/(1-e_i)] x_i;
// with `propensity = true` the correction term is zero.
#include "benchmarks/estimation/estimation.h"
#include "estimators/estimation/causal_common.h"

namespace sb::estimation {
namespace {

// Paper: Horvitz & Thompson (1952), A generalization of sampling without replacement from a finite universe, JASA 47(260)
class Ipw : public Estimator {
 public:
  struct Params { std::string propensity = "fitted"; };
  explicit Ipw(const Params& p) : use_true_(p.propensity == "true") {}

  Estimate estimate(const Data& data, std::uint64_t) const override {
    causal::check_ate_data(data, "ipw");
    const Eigen::VectorXd& t = data.treatment;
    const Eigen::VectorXd& y = data.y;
    const causal::PropensityScores ps = causal::propensity_scores(
        causal::propensity_covariates(data), t, data.propensity, use_true_, "ipw");
    const Eigen::VectorXd& e = ps.score;
    const Eigen::Index n = y.size();
    Eigen::VectorXd psi(n), dpsi(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      psi(i) = t(i) * y(i) / e(i) - (1 - t(i)) * y(i) / (1 - e(i));
      dpsi(i) = -(t(i) * y(i) * (1 - e(i)) / e(i) + (1 - t(i)) * y(i) * e(i) / (1 - e(i)));
    }
    const double value = psi.mean();
    Eigen::VectorXd influence = psi.array() - value;
    if (ps.fitted) {
      const Eigen::VectorXd h = ps.design.transpose() * dpsi / static_cast<double>(n);
      influence += causal::propensity_correction(ps, t, h);
    }
    return causal::normal_estimate(value, causal::influence_se(influence));
  }

 private:
  bool use_true_;
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_ESTIMATOR(sb::estimation::Ipw, "ipw")
    .describe("Horvitz-Thompson IPW; logistic propensity on [1, x_propensity] or the true one; "
              "sandwich SE accounting for the fitted propensity")
    .paper("Horvitz & Thompson (1952), A generalization of sampling without replacement from a "
           "finite universe, JASA 47(260)")
    .version("2")  // 2: the logistic fit stops on predicted quadratic convergence
    .tag("task:ate")
    .field(&sb::estimation::Ipw::Params::propensity, "propensity", {"fitted", "true"},
           "fitted: logistic regression; true: Data.propensity from the scenario");
