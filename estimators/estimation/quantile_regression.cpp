// Paper: Koenker & Bassett (1978), Regression quantiles, Econometrica 46(1)
#include "benchmarks/estimation/estimation.h"
#include "estimators/estimation/quantiles.h"

namespace sb::estimation {
namespace {

// Linear quantile regression at the scenario's level (Data::level), solved
// exactly by robust::quantile_regression. CI for coef(0): Koenker-Bassett
// iid-error SE with Hall-Sheather sparsity (misspecified, hence informative,
// under heteroscedastic errors).
class QuantileRegression : public Estimator {
 public:
  Estimate estimate(const Data& data, std::uint64_t) const override {
    const auto n = data.x.rows(), p = data.x.cols();
    const double tau = data.level;
    SB_THROW_IF_NOT(MethodError, p >= 1 && n >= p,
                    "quantile regression needs n >= p >= 1 (n={}, p={})", n, p);
    SB_THROW_IF_NOT(MethodError, tau > 0 && tau < 1, "quantile level {} outside (0, 1)", tau);
    return robust::quantile_regression_estimate(data.x, data.y, tau);
  }
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_ESTIMATOR(sb::estimation::QuantileRegression, "quantile-regression")
    .describe("Linear quantile regression at Data::level (exact LP vertex); iid-error CI")
    .paper("Koenker & Bassett (1978), Regression quantiles, Econometrica 46(1)")
    .tag("task:quantile");
