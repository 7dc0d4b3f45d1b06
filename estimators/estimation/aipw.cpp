// Augmented IPW (doubly robust): with OLS outcome models mu_a on [1, x] per
// arm and a propensity e (logistic on [1, x_propensity], or the true one),
//   phi_i = mu1(x_i) - mu0(x_i) + T_i (y_i - mu1(x_i))/e_i
//           - (1 - T_i)(y_i - mu0(x_i))/(1 - e_i),
// ATE = mean(phi), SE = sd(phi)/sqrt(n): the efficient influence function,
// whose nuisance-estimation terms vanish when both models are correct.
#include "benchmarks/estimation/estimation.h"
#include "estimators/estimation/causal_common.h"

namespace sb::estimation {
namespace {

// Paper: Robins, Rotnitzky & Zhao (1994), Estimation of regression coefficients when some regressors are not always observed, JASA 89(427)
class Aipw : public Estimator {
 public:
  struct Params { std::string propensity = "fitted"; };
  explicit Aipw(const Params& p) : use_true_(p.propensity == "true") {}

  Estimate estimate(const Data& data, std::uint64_t) const override {
    causal::check_ate_data(data, "aipw");
    const Eigen::VectorXd& t = data.treatment;
    const Eigen::VectorXd& y = data.y;
    const Eigen::Index n = y.size();
    const Eigen::VectorXd mu1 =
        causal::regression_predict(data.x, y, causal::rows_where(t, 1.0));
    const Eigen::VectorXd mu0 =
        causal::regression_predict(data.x, y, causal::rows_where(t, 0.0));
    const Eigen::VectorXd e = causal::propensity_scores(causal::propensity_covariates(data), t,
                                                        data.propensity, use_true_, "aipw",
                                                        /*with_information=*/false)
                                  .score;
    Eigen::VectorXd phi(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      phi(i) = mu1(i) - mu0(i) + t(i) * (y(i) - mu1(i)) / e(i) -
               (1 - t(i)) * (y(i) - mu0(i)) / (1 - e(i));
    }
    return causal::normal_estimate(phi.mean(), causal::influence_se(phi));
  }

 private:
  bool use_true_;
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_ESTIMATOR(sb::estimation::Aipw, "aipw")
    .describe("Doubly robust AIPW: OLS outcome model per arm + logistic (or true) propensity; "
              "influence-function SE")
    .paper("Robins, Rotnitzky & Zhao (1994), Estimation of regression coefficients when some "
           "regressors are not always observed, JASA 89(427)")
    .version("2")  // 2: the logistic fit stops on predicted quadratic convergence
    .tag("task:ate")
    .field(&sb::estimation::Aipw::Params::propensity, "propensity", {"fitted", "true"},
           "fitted: logistic regression; true: Data.propensity from the scenario");
