// A randomised experiment plus historical controls whose outcomes are
// shifted: the data-integration setting of "Pessimistic Data Integration for
// Policy Evaluation".
//   Experiment (source 0), n_exp units: X ~ N(0, I_2); exactly floor(n_exp/2)
//   units, drawn at random, are treated (complete randomisation);
//   Y = 1 + X_1 + 0.5 X_2 + effect * T + eps, eps ~ N(0, 1).
//   History (source 1), n_hist units, all controls (T = 0):
//   Y = 1 + X_1 + 0.5 X_2 + shift + eps.
// Truth: the experimental ATE = effect exactly. Pooling the historical
// controls is unbiased only when shift = 0.
#include <random>

#include "benchmarks/estimation/estimation.h"
#include "harness/core/suite.h"

namespace sb::estimation {
namespace {

// Paper: Pessimistic Data Integration for Policy Evaluation (experiment + shifted historical controls)
class AbHistorical : public Scenario {
 public:
  struct Params {
    std::int64_t n_exp = 200;
    std::int64_t n_hist = 1000;
    double shift = 0.0;
    double effect = 1.0;
  };
  explicit AbHistorical(const Params& p)
      : n_exp_(p.n_exp),
        n_hist_(p.n_hist),
        shift_(p.shift),
        effect_(p.effect) {}

  std::string task() const override { return "integration"; }

  Data generate(std::uint64_t seed) const override {
    std::mt19937_64 rng(derive_seed(seed, "ab-historical"));
    std::normal_distribution<double> normal(0.0, 1.0);
    const Eigen::Index n = n_exp_ + n_hist_;
    Data data;
    data.task = "integration";
    data.x.resize(n, 2);
    data.y.resize(n);
    data.treatment = Eigen::VectorXd::Zero(n);
    data.source.resize(n);
    // Complete randomisation: a uniform permutation (Fisher-Yates, explicit
    // modular draws) and its first floor(n_exp/2) units are treated.
    std::vector<Eigen::Index> order(static_cast<size_t>(n_exp_));
    for (Eigen::Index i = 0; i < n_exp_; ++i) order[static_cast<size_t>(i)] = i;
    for (Eigen::Index i = n_exp_ - 1; i > 0; --i) {
      const auto j = static_cast<Eigen::Index>(rng() % static_cast<std::uint64_t>(i + 1));
      std::swap(order[static_cast<size_t>(i)], order[static_cast<size_t>(j)]);
    }
    for (Eigen::Index k = 0; k < n_exp_ / 2; ++k) data.treatment(order[static_cast<size_t>(k)]) = 1;
    for (Eigen::Index i = 0; i < n; ++i) {
      const bool historical = i >= n_exp_;
      data.source(i) = historical ? 1 : 0;
      data.x(i, 0) = normal(rng);
      data.x(i, 1) = normal(rng);
      const double eps = normal(rng);
      data.y(i) = 1.0 + data.x(i, 0) + 0.5 * data.x(i, 1) + eps +
                  (historical ? shift_ : effect_ * data.treatment(i));
    }
    data.truth = Eigen::VectorXd::Constant(1, effect_);
    return data;
  }

 private:
  Eigen::Index n_exp_;
  Eigen::Index n_hist_;
  double shift_;
  double effect_;
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_SCENARIO(sb::estimation::AbHistorical, "ab-historical")
    .describe("Completely randomised experiment + historical controls shifted by `shift`; "
              "truth = experimental ATE")
    .paper("Pessimistic Data Integration for Policy Evaluation (experiment + shifted historical "
           "controls)")
    .tag("task:integration")
    .field(&sb::estimation::AbHistorical::Params::n_exp, "n_exp", 8, 100000000, "experiment size (half treated)")
    .field(&sb::estimation::AbHistorical::Params::n_hist, "n_hist", 2, 100000000, "historical control sample size")
    .field(&sb::estimation::AbHistorical::Params::shift, "shift", -100.0, 100.0, "shift of the historical outcome mean")
    .field(&sb::estimation::AbHistorical::Params::effect, "effect", -100.0, 100.0, "treatment effect (the truth)");
