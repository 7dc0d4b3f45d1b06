// Scenario `contaminated-regression` (task regression): a linear model with
// gross outliers in y and bad leverage points in x.
#include <cmath>
#include <random>

#include "benchmarks/estimation/estimation.h"
#include "harness/core/errors.h"

namespace sb::estimation {
namespace {

// Columns of x: z_1..z_{d-1} ~ N(0, 1) iid, then an intercept column of ones
// (LAST, so that value(0), the coefficient with a CI, is the first slope).
// y = x^T beta + eps, eps ~ N(0, 1), beta = (1, ..., 1) (truth). Each row
// draws u ~ U(0, 1): rows with u < outlier_fraction get y += y_shift
// (vertical outliers); rows with outlier_fraction <= u < outlier_fraction +
// leverage_fraction get z replaced by leverage_distance (1,..,1) + N(0, 0.1^2)
// after y was drawn, so they are bad leverage points (y does not follow them).
class ContaminatedRegression : public Scenario {
 public:
  struct Params {
    std::int64_t n = 200;
    std::int64_t d = 3;
    double outlier_fraction = 0.1;
    double y_shift = 20.0;
    double leverage_fraction = 0.0;
    double leverage_distance = 10.0;
  };
  explicit ContaminatedRegression(const Params& p)
      : n_(p.n),
        d_(p.d),
        outlier_fraction_(p.outlier_fraction),
        y_shift_(p.y_shift),
        leverage_fraction_(p.leverage_fraction),
        leverage_distance_(p.leverage_distance) {
    SB_THROW_IF_NOT(InputError, d_ >= 2 && n_ > d_, "need d={} >= 2 and n={} > d", d_, n_);
    SB_THROW_IF_NOT(InputError, outlier_fraction_ + leverage_fraction_ <= 0.5,
                    "outlier_fraction={} + leverage_fraction={} must be <= 0.5",
                    outlier_fraction_, leverage_fraction_);
  }

  std::string task() const override { return "regression"; }

  Data generate(std::uint64_t seed) const override {
    Data data;
    data.task = task();
    data.truth = Eigen::VectorXd::Ones(d_);
    data.x.resize(n_, d_);
    data.y.resize(n_);
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    for (std::int64_t i = 0; i < n_; ++i) {
      for (std::int64_t j = 0; j + 1 < d_; ++j) data.x(i, j) = normal(rng);
      data.x(i, d_ - 1) = 1.0;
      data.y(i) = data.x.row(i).dot(data.truth) + normal(rng);
      const double u = uniform(rng);
      if (u < outlier_fraction_) {
        data.y(i) += y_shift_;
      } else if (u < outlier_fraction_ + leverage_fraction_) {
        for (std::int64_t j = 0; j + 1 < d_; ++j) {
          data.x(i, j) = leverage_distance_ + 0.1 * normal(rng);
        }
      }
    }
    return data;
  }

 private:
  std::int64_t n_, d_;
  double outlier_fraction_, y_shift_, leverage_fraction_, leverage_distance_;
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_SCENARIO(sb::estimation::ContaminatedRegression, "contaminated-regression")
    .describe("y = x'beta + N(0,1), beta = 1, intercept last; vertical outliers and bad leverage points")
    .paper("Rousseeuw & Leroy (1987), Robust regression and outlier detection, Wiley")
    .tag("task:regression")
    .field(&sb::estimation::ContaminatedRegression::Params::n, "n", 3, 10000000, "number of rows")
    .field(&sb::estimation::ContaminatedRegression::Params::d, "d", 2, 100, "number of coefficients, intercept included")
    .field(&sb::estimation::ContaminatedRegression::Params::outlier_fraction, "outlier_fraction", 0.0, 0.5, "probability a row's y is shifted")
    .field(&sb::estimation::ContaminatedRegression::Params::y_shift, "y_shift", -1e6, 1e6, "shift added to outlying y values")
    .field(&sb::estimation::ContaminatedRegression::Params::leverage_fraction, "leverage_fraction", 0.0, 0.5, "probability a row's x is a bad leverage point")
    .field(&sb::estimation::ContaminatedRegression::Params::leverage_distance, "leverage_distance", -1e6, 1e6, "position of leverage points on every covariate");
