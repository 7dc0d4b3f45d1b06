// Paper: Gauss (1809), Theoria motus corporum coelestium (least squares); classical normal-theory inference
#include <cmath>

#include "benchmarks/estimation/estimation.h"
#include "estimators/models/linear.h"
#include "harness/stats/distributions.h"

namespace sb::estimation {
namespace {

// Ordinary least squares on the columns of x as given (no intercept added:
// regression scenarios include their own intercept column). CI for coef(0):
// classical homoscedastic SE, s^2 [(X^T X)^{-1}]_00 with s^2 = RSS / (n - p),
// and a Student t quantile with n - p degrees of freedom.
class Ols : public Estimator {
 public:
  Estimate estimate(const Data& data, std::uint64_t) const override {
    const auto n = data.x.rows(), p = data.x.cols();
    SB_THROW_IF_NOT(MethodError, p >= 1 && n > p, "OLS needs n > p >= 1 (n={}, p={})", n, p);
    Estimate est;
    est.value = models::least_squares_coef(data.x, data.y);
    const double rss = (data.y - data.x * est.value).squaredNorm();
    const double df = static_cast<double>(n - p);
    est.std_error = std::sqrt(rss / df * models::inverse_gram(data.x)(0, 0));
    const double t = stats::student_t_quantile(0.975, df);
    est.ci_low = est.value(0) - t * est.std_error;
    est.ci_high = est.value(0) + t * est.std_error;
    return est;
  }
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_ESTIMATOR(sb::estimation::Ols, "ols")
    .describe("Ordinary least squares; classical t CI for the first coefficient")
    .paper("Gauss (1809), Theoria motus corporum coelestium (least squares)")
    .tag("task:regression");
