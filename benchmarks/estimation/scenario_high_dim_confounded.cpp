// Sparse linear confounding in d dimensions.
//   X ~ N(0, I_d); s = min(sparsity, d) active confounders X_0..X_{s-1};
//   S = (X_0 + ... + X_{s-1}) / sqrt(s) ~ N(0, 1);
//   e(X) = expit(overlap * S), T ~ Bernoulli(e(X));
//   Y(0) = X_0 + ... + X_{s-1} + eps, eps ~ N(0, 1);
//   tau(X) = tau (constant) or tau + X_0 (heterogeneous);  Y = Y(0) + T tau(X).
// Truth: ATE = tau exactly in both cases (E[X_0] = 0). The remaining d - s
// covariates are pure noise that the estimators must carry.
#include <algorithm>
#include <cmath>
#include <random>

#include "benchmarks/estimation/estimation.h"
#include "estimators/models/linear.h"
#include "harness/core/suite.h"

namespace sb::estimation {
namespace {

// Paper: Belloni, Chernozhukov & Hansen (2014), Inference on treatment effects after selection among high-dimensional controls, Review of Economic Studies 81(2)
class HighDimConfounded : public Scenario {
 public:
  struct Params {
    std::int64_t n = 500;
    std::int64_t d = 10;
    std::int64_t sparsity = 3;
    std::string effect = "constant";
    double tau = 1.0;
    double overlap = 1.0;
  };
  explicit HighDimConfounded(const Params& p)
      : n_(p.n),
        d_(p.d),
        active_(std::min(p.sparsity, p.d)),
        heterogeneous_(p.effect == "heterogeneous"),
        tau_(p.tau),
        overlap_(p.overlap) {}

  std::string task() const override { return "ate"; }

  Data generate(std::uint64_t seed) const override {
    std::mt19937_64 rng(derive_seed(seed, "high-dim-confounded"));
    std::normal_distribution<double> normal(0.0, 1.0);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    Data data;
    data.task = "ate";
    data.x.resize(n_, d_);
    data.y.resize(n_);
    data.treatment.resize(n_);
    data.propensity.resize(n_);
    const double scale = 1.0 / std::sqrt(static_cast<double>(active_));
    for (Eigen::Index i = 0; i < n_; ++i) {
      for (Eigen::Index j = 0; j < d_; ++j) data.x(i, j) = normal(rng);
      const double eps = normal(rng);
      const double u = uniform(rng);
      const double signal = data.x.row(i).head(active_).sum();
      const double e = models::expit(overlap_ * scale * signal);
      const double t = u < e ? 1.0 : 0.0;
      const double effect = tau_ + (heterogeneous_ ? data.x(i, 0) : 0.0);
      data.y(i) = signal + eps + t * effect;
      data.treatment(i) = t;
      data.propensity(i) = e;
    }
    data.truth = Eigen::VectorXd::Constant(1, tau_);
    return data;
  }

 private:
  Eigen::Index n_;
  Eigen::Index d_;
  Eigen::Index active_;
  bool heterogeneous_;
  double tau_;
  double overlap_;
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_SCENARIO(sb::estimation::HighDimConfounded, "high-dim-confounded")
    .describe("d Gaussian covariates, the first min(sparsity, d) confound treatment (logit) and "
              "outcome (linear); constant or heterogeneous effect; ATE = tau")
    .paper("Belloni, Chernozhukov & Hansen (2014), Inference on treatment effects after "
           "selection among high-dimensional controls, Review of Economic Studies 81(2)")
    .tag("task:ate")
    .field(&sb::estimation::HighDimConfounded::Params::n, "n", 20, 100000000, "sample size")
    .field(&sb::estimation::HighDimConfounded::Params::d, "d", 2, 50, "number of covariates")
    .field(&sb::estimation::HighDimConfounded::Params::sparsity, "sparsity", 1, 50, "number of active confounders (capped at d)")
    .field(&sb::estimation::HighDimConfounded::Params::effect, "effect", {"constant", "heterogeneous"},
           "tau(x) = tau, or tau + x_0")
    .field(&sb::estimation::HighDimConfounded::Params::tau, "tau", -100.0, 100.0, "average treatment effect (the truth)")
    .field(&sb::estimation::HighDimConfounded::Params::overlap, "overlap", 0.0, 4.0,
           "propensity slope on the standardised confounder index (0 = randomised)");
