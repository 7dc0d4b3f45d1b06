// Kang & Schafer's BC-OLS, the bias-corrected (augmented, doubly robust)
// regression estimator of E[y] under missingness:
//   (1/n) sum_i m(x_i) + (1/n) sum_i T_i (y_i - m(x_i)) / pi_i,
// m the OLS fit of y on [1, x] among respondents, pi the response
// probability (logistic on [1, x_propensity], or the true one). It is the
// treated-arm half of `aipw`. Point estimate only.
#include "benchmarks/estimation/estimation.h"
#include "estimators/estimation/missing_mean_common.h"

namespace sb::estimation {
namespace {

// Paper: Kang & Schafer (2007), Demystifying double robustness, Statistical Science 22(4); Robins, Rotnitzky & Zhao (1994), JASA 89(427)
class KsBcOls : public Estimator {
 public:
  struct Params { std::string propensity = "fitted"; };
  explicit KsBcOls(const Params& p) : use_true_(p.propensity == "true") {}

  Estimate estimate(const Data& data, std::uint64_t) const override {
    missing::check_data(data, "ks-bc-ols");
    const Eigen::VectorXd m = missing::respondent_regression_predict(data, {});
    const Eigen::VectorXd pi = missing::response_probabilities(data, use_true_, "ks-bc-ols");
    double correction = 0;
    for (const Eigen::Index i : missing::respondents(data)) correction += (data.y(i) - m(i)) / pi(i);
    const double n = static_cast<double>(data.y.size());
    return missing::point_estimate(m.mean() + correction / n);
  }

 private:
  bool use_true_;
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_ESTIMATOR(sb::estimation::KsBcOls, "ks-bc-ols")
    .describe("E[y] under missingness: OLS regression estimator plus (1/n) sum T (y - m) / pi "
              "(Kang-Schafer's BC-OLS, doubly robust); logistic or true response probability; no SE")
    .paper("Kang & Schafer (2007), Demystifying double robustness, Statistical Science 22(4); "
           "Robins, Rotnitzky & Zhao (1994), Estimation of regression coefficients when some "
           "regressors are not always observed, JASA 89(427)")
    .tag("task:missing-mean")
    .field(&sb::estimation::KsBcOls::Params::propensity, "propensity", {"fitted", "true"},
           "fitted: logistic regression of the response; true: Data.propensity from the scenario");
