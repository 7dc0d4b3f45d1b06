// Binary instrument with covariate-dependent noncompliance and a
// heterogeneous effect, in the setting of "Efficient Adaptive
// Experimentation with Noncompliance".
//   X1 ~ Bernoulli(1/2), X2 ~ Uniform(-1, 1), independent; x = (X1, X2).
//   Compliance type: always-taker w.p. a(x) = 0.15 + 0.10 X1,
//     never-taker w.p. v(x) = 0.25 - 0.05 X1 + 0.10 X2,
//     complier w.p. c(x) = 0.60 - 0.05 X1 - 0.10 X2   (all in [0.1, 0.7]).
//   Instrument: Z ~ Bernoulli(pi(x)), pi(x) = expit(dependence (X1 + X2 - 1/2))
//     (randomised with probability 1/2 when dependence = 0; Data.propensity = pi).
//   D = 1 for always-takers, Z for compliers, 0 for never-takers.
//   Y(0) = 1 + X1 + X2 + b_type + eps, b = +1 always, -1 never, 0 complier;
//   Y(1) = Y(0) + tau(x), tau(x) = effect + heterogeneity (X1 + X2); Y = Y(D).
// Truth: the complier average effect LATE = E[c(x) tau(x)] / E[c(x)], computed
// exactly: X1 by its two values, X2 by the 2-point Gauss-Legendre rule, which
// is exact for c*tau (a polynomial of degree 2 in X2). In closed form
//   LATE = effect + heterogeneity * (0.275 - 1/30) / 0.575.
#include <cmath>
#include <random>

#include "benchmarks/estimation/estimation.h"
#include "estimators/models/linear.h"
#include "harness/core/suite.h"

namespace sb::estimation {
namespace {

double always_prob(double x1, double) { return 0.15 + 0.10 * x1; }
double never_prob(double x1, double x2) { return 0.25 - 0.05 * x1 + 0.10 * x2; }
double complier_prob(double x1, double x2) { return 1.0 - always_prob(x1, x2) - never_prob(x1, x2); }

// Paper: Efficient Adaptive Experimentation with Noncompliance (binary instrument, covariate-dependent compliance, LATE target)
class IvNoncompliance : public Scenario {
 public:
  struct Params {
    std::int64_t n = 1000;
    double effect = 1.0;
    double heterogeneity = 1.0;
    double instrument_dependence = 0.0;
  };
  explicit IvNoncompliance(const Params& p)
      : n_(p.n),
        effect_(p.effect),
        heterogeneity_(p.heterogeneity),
        dependence_(p.instrument_dependence) {}

  std::string task() const override { return "iv"; }

  double effect_at(double x1, double x2) const { return effect_ + heterogeneity_ * (x1 + x2); }

  // E[c tau] / E[c] by exact quadrature (see the header comment).
  double late() const {
    const double node = 1.0 / std::sqrt(3.0);  // Gauss-Legendre on [-1, 1], weights 1
    double num = 0, den = 0;
    for (double x1 : {0.0, 1.0}) {
      for (double x2 : {-node, node}) {
        const double c = complier_prob(x1, x2);
        num += c * effect_at(x1, x2);
        den += c;
      }
    }
    return num / den;
  }

  Data generate(std::uint64_t seed) const override {
    std::mt19937_64 rng(derive_seed(seed, "iv-noncompliance"));
    std::normal_distribution<double> normal(0.0, 1.0);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    Data data;
    data.task = "iv";
    data.x.resize(n_, 2);
    data.y.resize(n_);
    data.treatment.resize(n_);
    data.instrument.resize(n_);
    data.propensity.resize(n_);
    for (Eigen::Index i = 0; i < n_; ++i) {
      const double x1 = uniform(rng) < 0.5 ? 1.0 : 0.0;
      const double x2 = 2.0 * uniform(rng) - 1.0;
      const double type_draw = uniform(rng);
      const double z_draw = uniform(rng);
      const double eps = normal(rng);
      const double pi = models::expit(dependence_ * (x1 + x2 - 0.5));
      const double z = z_draw < pi ? 1.0 : 0.0;
      const double a = always_prob(x1, x2), v = never_prob(x1, x2);
      double d = z, baseline = 0.0;  // complier
      if (type_draw < a) {
        d = 1.0;
        baseline = 1.0;
      } else if (type_draw < a + v) {
        d = 0.0;
        baseline = -1.0;
      }
      data.x(i, 0) = x1;
      data.x(i, 1) = x2;
      data.instrument(i) = z;
      data.treatment(i) = d;
      data.propensity(i) = pi;
      data.y(i) = 1.0 + x1 + x2 + baseline + eps + d * effect_at(x1, x2);
    }
    data.truth = Eigen::VectorXd::Constant(1, late());
    return data;
  }

 private:
  Eigen::Index n_;
  double effect_;
  double heterogeneity_;
  double dependence_;
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_SCENARIO(sb::estimation::IvNoncompliance, "iv-noncompliance")
    .describe("Binary instrument, covariate-dependent always/never-takers and compliers, "
              "heterogeneous effect; truth = exact complier average effect (LATE)")
    .paper("Efficient Adaptive Experimentation with Noncompliance (binary instrument, "
           "covariate-dependent compliance)")
    .tag("task:iv")
    .field(&sb::estimation::IvNoncompliance::Params::n, "n", 20, 100000000, "sample size")
    .field(&sb::estimation::IvNoncompliance::Params::effect, "effect", -100.0, 100.0, "effect at X1 = X2 = 0")
    .field(&sb::estimation::IvNoncompliance::Params::heterogeneity, "heterogeneity", -100.0, 100.0, "slope of the effect in X1 + X2")
    .field(&sb::estimation::IvNoncompliance::Params::instrument_dependence, "instrument_dependence", 0.0, 4.0,
           "logit slope of P(Z=1|x) in X1 + X2 - 1/2 (0 = randomised instrument)");
