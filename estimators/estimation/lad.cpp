// Paper: Barrodale & Roberts (1973), An improved algorithm for discrete L1 linear approximation, SIAM J. Numer. Anal. 10(5)
#include "benchmarks/estimation/estimation.h"
#include "estimators/estimation/quantiles.h"

namespace sb::estimation {
namespace {

// Least absolute deviations: quantile regression at tau = 1/2, solved exactly
// by robust::quantile_regression (a vertex of the LP, interpolating p points).
// CI for coef(0): Koenker-Bassett iid-error SE with Hall-Sheather sparsity.
class Lad : public Estimator {
 public:
  Estimate estimate(const Data& data, std::uint64_t) const override {
    const auto n = data.x.rows(), p = data.x.cols();
    SB_THROW_IF_NOT(MethodError, p >= 1 && n >= p, "LAD needs n >= p >= 1 (n={}, p={})", n, p);
    return robust::quantile_regression_estimate(data.x, data.y, 0.5);
  }
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_ESTIMATOR(sb::estimation::Lad, "lad")
    .describe("Least absolute deviations (exact LP vertex); iid-error sparsity CI")
    .paper("Barrodale & Roberts (1973), An improved algorithm for discrete L1 linear approximation, SIAM J. Numer. Anal. 10(5)")
    .tag("task:regression");
