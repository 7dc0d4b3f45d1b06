// Scenario `heteroscedastic-quantile` (task quantile): a linear location-scale
// model whose conditional quantiles are linear with closed-form coefficients.
#include <random>

#include "benchmarks/estimation/estimation.h"
#include "harness/core/errors.h"
#include "harness/stats/distributions.h"

namespace sb::estimation {
namespace {

// Columns of x: z_1..z_{d-1} ~ U(0, 2) iid, then an intercept column (LAST).
// y = x^T beta + (x^T gamma) eps with beta = (1, ..., 1),
// gamma = (g, ..., g, 1) (g = heteroscedasticity), eps ~ F (N(0,1) or t_3).
// Since z >= 0, the scale x^T gamma = 1 + g sum z > 0, and a positive scale
// maps quantiles to quantiles: Q_{y|x}(tau) = x^T beta + (x^T gamma) F^{-1}(tau)
// = x^T (beta + gamma F^{-1}(tau)). Truth = beta + gamma F^{-1}(level).
class HeteroscedasticQuantile : public Scenario {
 public:
  struct Params {
    std::int64_t n = 500;
    std::int64_t d = 3;
    double level = 0.75;
    double heteroscedasticity = 1.0;
    std::string noise = "normal";
  };
  explicit HeteroscedasticQuantile(const Params& p)
      : n_(p.n),
        d_(p.d),
        level_(p.level),
        hetero_(p.heteroscedasticity),
        noise_(p.noise) {
    SB_THROW_IF_NOT(InputError, d_ >= 2 && n_ > d_, "need d={} >= 2 and n={} > d", d_, n_);
  }

  std::string task() const override { return "quantile"; }

  Data generate(std::uint64_t seed) const override {
    Data data;
    data.task = task();
    data.level = level_;
    const Eigen::VectorXd beta = Eigen::VectorXd::Ones(d_);
    Eigen::VectorXd gamma = Eigen::VectorXd::Constant(d_, hetero_);
    gamma(d_ - 1) = 1.0;
    const double f_inv =
        noise_ == "normal"
            ? stats::normal_quantile(level_)
            : stats::student_t_quantile(level_, 3.0);
    data.truth = beta + gamma * f_inv;
    data.x.resize(n_, d_);
    data.y.resize(n_);
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> uniform(0.0, 2.0);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::student_t_distribution<double> student(3.0);
    for (std::int64_t i = 0; i < n_; ++i) {
      for (std::int64_t j = 0; j + 1 < d_; ++j) data.x(i, j) = uniform(rng);
      data.x(i, d_ - 1) = 1.0;
      const double eps = noise_ == "normal" ? normal(rng) : student(rng);
      data.y(i) = data.x.row(i).dot(beta) + data.x.row(i).dot(gamma) * eps;
    }
    return data;
  }

 private:
  std::int64_t n_, d_;
  double level_, hetero_;
  std::string noise_;
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_SCENARIO(sb::estimation::HeteroscedasticQuantile, "heteroscedastic-quantile")
    .describe("y = x'beta + (x'gamma) eps, z ~ U(0,2), intercept last; truth = beta + gamma F^-1(level)")
    .paper("Koenker (2005), Quantile regression, Cambridge University Press (location-scale model)")
    .tag("task:quantile")
    .field(&sb::estimation::HeteroscedasticQuantile::Params::n, "n", 3, 10000000, "number of rows")
    .field(&sb::estimation::HeteroscedasticQuantile::Params::d, "d", 2, 100, "number of coefficients, intercept included")
    .field(&sb::estimation::HeteroscedasticQuantile::Params::level, "level", 0.01, 0.99, "quantile level tau")
    .field(&sb::estimation::HeteroscedasticQuantile::Params::heteroscedasticity, "heteroscedasticity", 0.0, 100.0, "g: slope of the noise scale in each covariate")
    .field(&sb::estimation::HeteroscedasticQuantile::Params::noise, "noise", {"normal", "t3"}, "noise distribution F");
