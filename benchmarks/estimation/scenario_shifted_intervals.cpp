// Scenario `shifted-intervals` (task interval): heteroscedastic regression
// whose test covariates are shifted, with the likelihood ratio known.
#include <cmath>
#include <random>

#include "benchmarks/estimation/estimation.h"
#include "harness/core/errors.h"

namespace sb::estimation {
namespace {

// Columns of x: z_1..z_{d-1}, then an intercept column (LAST). Training
// z ~ N(0, I), test z ~ N(shift e_1, I); y = x^T beta + (1 + h |z_1|) eps,
// beta = (1, ..., 1), eps ~ N(0, 1), h = heteroscedasticity. The test/train
// likelihood ratio is w(z) = exp(shift z_1 - shift^2 / 2).
// Data::propensity = P(test | x) in a balanced (1:1) train/test mixture,
// 1 / (1 + exp(-(shift z_1 - shift^2/2))), for the n training rows followed
// by the n_test test rows; w = p / (1 - p). Truth = (level).
class ShiftedIntervals : public Scenario {
 public:
  struct Params {
    std::int64_t n = 500;
    std::int64_t n_test = 500;
    std::int64_t d = 2;
    double shift = 1.0;
    double heteroscedasticity = 1.0;
    double level = 0.9;
  };
  explicit ShiftedIntervals(const Params& p)
      : n_(p.n),
        n_test_(p.n_test),
        d_(p.d),
        shift_(p.shift),
        hetero_(p.heteroscedasticity),
        level_(p.level) {
    SB_THROW_IF_NOT(InputError, d_ >= 2 && n_ > d_ && n_test_ >= 1,
                    "need d={} >= 2, n={} > d and n_test={} >= 1", d_, n_, n_test_);
  }

  std::string task() const override { return "interval"; }

  Data generate(std::uint64_t seed) const override {
    Data data;
    data.task = task();
    data.level = level_;
    data.truth = Eigen::VectorXd::Constant(1, level_);
    data.propensity.resize(n_ + n_test_);
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal(0.0, 1.0);
    auto draw = [&](Eigen::MatrixXd& x, Eigen::VectorXd& y, std::int64_t rows, double mean1,
                    std::int64_t offset) {
      x.resize(rows, d_);
      y.resize(rows);
      for (std::int64_t i = 0; i < rows; ++i) {
        for (std::int64_t j = 0; j + 1 < d_; ++j) x(i, j) = normal(rng) + (j == 0 ? mean1 : 0.0);
        x(i, d_ - 1) = 1.0;
        const double z1 = x(i, 0);
        y(i) = x.row(i).sum() + (1 + hetero_ * std::abs(z1)) * normal(rng);
        const double log_ratio = shift_ * z1 - 0.5 * shift_ * shift_;
        data.propensity(offset + i) = 1 / (1 + std::exp(-log_ratio));
      }
    };
    draw(data.x, data.y, n_, 0.0, 0);
    draw(data.x_test, data.y_test, n_test_, shift_, n_);
    return data;
  }

 private:
  std::int64_t n_, n_test_, d_;
  double shift_, hetero_, level_;
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_SCENARIO(sb::estimation::ShiftedIntervals, "shifted-intervals")
    .describe("Heteroscedastic linear model; test covariates shifted along z_1; propensity = "
              "P(test|x) for train then test rows")
    .paper("Tibshirani, Foygel Barber, Candes & Ramdas (2019), Conformal prediction under covariate shift, NeurIPS 32")
    .tag("task:interval")
    .field(&sb::estimation::ShiftedIntervals::Params::n, "n", 4, 10000000, "training rows")
    .field(&sb::estimation::ShiftedIntervals::Params::n_test, "n_test", 1, 10000000, "test rows")
    .field(&sb::estimation::ShiftedIntervals::Params::d, "d", 2, 100, "number of columns of x, intercept included")
    .field(&sb::estimation::ShiftedIntervals::Params::shift, "shift", 0.0, 5.0, "mean of z_1 under the test distribution")
    .field(&sb::estimation::ShiftedIntervals::Params::heteroscedasticity, "heteroscedasticity", 0.0, 100.0, "h: noise sd is 1 + h |z_1|")
    .field(&sb::estimation::ShiftedIntervals::Params::level, "level", 0.5, 0.99, "target coverage 1 - alpha");
