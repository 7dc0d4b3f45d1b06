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
  explicit HeteroscedasticQuantile(const ParamSet& p)
      : n_(p.get_int("n")),
        d_(p.get_int("d")),
        level_(p.get_real("level")),
        hetero_(p.get_real("heteroscedasticity")),
        noise_(p.get_string("noise")) {
    SB_THROW_IF_NOT(InputError, d_ >= 2 && n_ > d_, "need d={} >= 2 and n={} > d", d_, n_);
    SB_THROW_IF_NOT(InputError, level_ > 0 && level_ < 1, "level={} must be in (0, 1)", level_);
    SB_THROW_IF_NOT(InputError, noise_ == "normal" || noise_ == "t3",
                    "noise='{}' must be normal or t3", noise_);
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
    .param_int("n", 500, 3, 10000000, "number of rows")
    .param_int("d", 3, 2, 100, "number of coefficients, intercept included")
    .param_real("level", 0.75, 0.01, 0.99, "quantile level tau")
    .param_real("heteroscedasticity", 1.0, 0.0, 100.0, "g: slope of the noise scale in each covariate")
    .param_string("noise", "normal", {"normal", "t3"}, "noise distribution F");
