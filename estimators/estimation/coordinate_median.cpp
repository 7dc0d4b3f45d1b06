// Paper: Thompson (1936), On confidence ranges for the median and other expectation distributions, Ann. Math. Statist. 7(3)
#include <boost/math/distributions/binomial.hpp>

#include <cmath>
#include <limits>

#include "benchmarks/estimation/estimation.h"
#include "estimators/estimation/quantiles.h"
#include "estimators/estimation/robust_common.h"

namespace sb::estimation {
namespace {

// The coordinate-wise median. CI for coordinate 0: the distribution-free
// order-statistic interval [x_(l), x_(n-l+1)] with the largest l such that
// P(Binomial(n, 1/2) <= l - 1) <= 0.025 (coverage >= 95% for any continuous
// distribution); none (NaN) when n < 6. Standard error: McKean & Schrader
// (1984), (x_(n-l+1) - x_(l)) / (2 z_0.975).
class CoordinateMedian : public Estimator {
 public:
  Estimate estimate(const Data& data, std::uint64_t) const override {
    const auto n = static_cast<std::size_t>(data.x.rows());
    SB_THROW_IF_NOT(MethodError, n >= 1 && data.x.cols() >= 1,
                    "median needs n >= 1 and d >= 1 (n={}, d={})", n, data.x.cols());
    Estimate est;
    est.value.resize(data.x.cols());
    for (Eigen::Index j = 0; j < data.x.cols(); ++j) {
      est.value(j) = robust::median(robust::column(data.x, j));
    }
    const std::size_t l = order_statistic_rank(n);
    if (l >= 1) {
      auto first = robust::column(data.x, 0);
      est.ci_low = robust::order_statistic(first, l);
      est.ci_high = robust::order_statistic(first, n - l + 1);
      est.std_error = (est.ci_high - est.ci_low) / (2 * robust::z975());
    }
    return est;
  }

 private:
  // Largest l >= 1 with P(B <= l - 1) <= 0.025, B ~ Binomial(n, 1/2); 0 if none.
  static std::size_t order_statistic_rank(std::size_t n) {
    boost::math::binomial dist(static_cast<double>(n), 0.5);
    std::size_t l = 0;
    while (l + 1 <= n / 2 && boost::math::cdf(dist, static_cast<double>(l)) <= 0.025) ++l;
    return l;
  }
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_ESTIMATOR(sb::estimation::CoordinateMedian, "coordinate-median")
    .describe("Coordinate-wise median; distribution-free order-statistic CI for coordinate 0")
    .paper("Thompson (1936), On confidence ranges for the median, Ann. Math. Statist. 7(3)")
    .tag("task:location");
