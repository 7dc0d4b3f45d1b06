// Paper: Student (1908), The probable error of a mean, Biometrika 6(1)
#include <cmath>

#include "benchmarks/estimation/estimation.h"
#include "harness/stats/distributions.h"

namespace sb::estimation {
namespace {

// The coordinate-wise sample mean, with the Student t 95% CI of coordinate 0
// from the sample standard deviation.
class SampleMean : public Estimator {
 public:
  Estimate estimate(const Data& data, std::uint64_t) const override {
    const auto n = data.x.rows();
    SB_THROW_IF_NOT(MethodError, n >= 2 && data.x.cols() >= 1,
                    "sample mean needs n >= 2 samples and d >= 1 (n={}, d={})", n, data.x.cols());
    Estimate est;
    est.value = data.x.colwise().mean().transpose();
    const double sd = std::sqrt((data.x.col(0).array() - est.value(0)).square().sum() /
                                static_cast<double>(n - 1));
    est.std_error = sd / std::sqrt(static_cast<double>(n));
    const double t = stats::student_t_quantile(0.975, static_cast<double>(n - 1));
    est.ci_low = est.value(0) - t * est.std_error;
    est.ci_high = est.value(0) + t * est.std_error;
    return est;
  }
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_ESTIMATOR(sb::estimation::SampleMean, "sample-mean")
    .describe("Coordinate-wise sample mean; Student t CI for coordinate 0")
    .paper("Student (1908), The probable error of a mean, Biometrika 6(1)")
    .tag("task:location");
