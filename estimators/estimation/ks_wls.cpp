// Kang & Schafer's WLS regression estimator of E[y] under missingness:
// weighted least squares of y on [1, x] among the respondents with weights
// 1 / pi_i (pi the response probability: logistic on [1, x_propensity], or
// the true one), then the mean of the fitted values over all n units. The
// intercept makes sum_i T_i (y_i - m(x_i)) / pi_i = 0, so this equals its own
// bias-corrected version (ks-bc-ols with this m): doubly robust. Unlike OLS,
// averaging fitted values over everyone is not the imputation form here.
// Point estimate only.
#include "benchmarks/estimation/estimation.h"
#include "estimators/estimation/missing_mean_common.h"

namespace sb::estimation {
namespace {

// Paper: Kang & Schafer (2007), Demystifying double robustness, Statistical Science 22(4)
class KsWls : public Estimator {
 public:
  struct Params { std::string propensity = "fitted"; };
  explicit KsWls(const Params& p) : use_true_(p.propensity == "true") {}

  Estimate estimate(const Data& data, std::uint64_t) const override {
    missing::check_data(data, "ks-wls");
    const Eigen::VectorXd pi = missing::response_probabilities(data, use_true_, "ks-wls");
    const Eigen::VectorXd weights = pi.cwiseInverse();
    return missing::point_estimate(missing::respondent_regression_predict(data, weights).mean());
  }

 private:
  bool use_true_;
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_ESTIMATOR(sb::estimation::KsWls, "ks-wls")
    .describe("E[y] under missingness: least squares of y on [1, x] among respondents weighted by "
              "1/pi, fitted values averaged over all units (Kang-Schafer's WLS); no SE")
    .paper("Kang & Schafer (2007), Demystifying double robustness, Statistical Science 22(4)")
    .tag("task:missing-mean")
    .field(&sb::estimation::KsWls::Params::propensity, "propensity", {"fitted", "true"},
           "fitted: logistic regression of the response; true: Data.propensity from the scenario");
