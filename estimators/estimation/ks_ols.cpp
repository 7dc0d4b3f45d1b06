// Kang & Schafer's OLS regression estimator of E[y] under missingness: OLS of
// y on [1, x] among the respondents (T = 1), then the mean of the fitted
// values m(x_i) over all n units, respondents and not. With an intercept the
// respondents' residuals sum to zero, so this equals the imputation form
// (1/n) sum_i [T_i y_i + (1 - T_i) m(x_i)]: both readings give one number.
// Point estimate only (the paper's tables report bias and RMSE).
#include "benchmarks/estimation/estimation.h"
#include "estimators/estimation/missing_mean_common.h"

namespace sb::estimation {
namespace {

// Paper: Kang & Schafer (2007), Demystifying double robustness, Statistical Science 22(4)
class KsOls : public Estimator {
 public:
  Estimate estimate(const Data& data, std::uint64_t) const override {
    missing::check_data(data, "ks-ols");
    return missing::point_estimate(missing::respondent_regression_predict(data, {}).mean());
  }
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_ESTIMATOR(sb::estimation::KsOls, "ks-ols")
    .describe("E[y] under missingness: OLS of y on [1, x] among respondents, fitted values "
              "averaged over all units (Kang-Schafer's OLS); no SE")
    .paper("Kang & Schafer (2007), Demystifying double robustness, Statistical Science 22(4)")
    .tag("task:missing-mean");
