// Kang & Schafer (2007) simulation, adapted to the average treatment effect.
//   Z1..Z4 iid N(0, 1), e(Z) = expit(-Z1 + 0.5 Z2 - 0.25 Z3 - 0.1 Z4), T ~ Bernoulli(e(Z)),
//   Y(0) = 210 + 27.4 Z1 + 13.7 Z2 + 13.7 Z3 + 13.7 Z4 + eps, eps ~ N(0, 1),
//   Y(1) = Y(0) + effect + heterogeneity * Z1,  Y = Y(T).
// The original paper estimates E[Y] with Y seen only when T = 1; the ATE
// version keeps its outcome surface as Y(0) and adds a treatment effect that
// is linear in Z, so both potential-outcome regressions stay linear in Z and
// the truth is exact: ATE = effect (E[Z1] = 0).
// Misspecification as in the paper: the analyst sees
//   X1 = exp(Z1/2), X2 = Z2/(1 + exp(Z1)) + 10, X3 = (Z1 Z3/25 + 0.6)^3, X4 = (Z2 + Z4 + 20)^2
// instead of Z for the outcome model (Data.x) and/or the propensity model
// (Data.x_propensity). The draws do not depend on these flags, so the four
// combinations see the same units for a given seed.
#include <cmath>

#include "benchmarks/estimation/estimation.h"
#include "benchmarks/estimation/random.h"
#include "estimators/models/linear.h"
#include "harness/core/suite.h"

namespace sb::estimation {
namespace {

// Paper: Kang & Schafer (2007), Demystifying double robustness, Statistical Science 22(4)
class KangSchafer : public Scenario {
 public:
  struct Params {
    std::int64_t n = 200;
    std::string propensity_model = "correct";
    std::string outcome_model = "correct";
    double effect = 10.0;
    double heterogeneity = 0.0;
  };
  explicit KangSchafer(const Params& p)
      : n_(p.n),
        propensity_correct_(p.propensity_model == "correct"),
        outcome_correct_(p.outcome_model == "correct"),
        effect_(p.effect),
        heterogeneity_(p.heterogeneity) {}

  std::string task() const override { return "ate"; }

  Data generate(std::uint64_t seed) const override {
    Rng rng(derive_seed(seed, "kang-schafer"));
    StandardNormal normal;
    Uniform01 uniform;
    // The transformed covariates only when a model sees them.
    const bool transformed = !outcome_correct_ || !propensity_correct_;
    Eigen::MatrixXd z(n_, 4), x(transformed ? n_ : 0, 4);
    Data data;
    data.task = "ate";
    data.y.resize(n_);
    data.treatment.resize(n_);
    data.propensity.resize(n_);
    for (Eigen::Index i = 0; i < n_; ++i) {
      for (int j = 0; j < 4; ++j) z(i, j) = normal(rng);
      const double eps = normal(rng);
      const double u = uniform(rng);
      const double z1 = z(i, 0), z2 = z(i, 1), z3 = z(i, 2), z4 = z(i, 3);
      const double e = models::expit(-z1 + 0.5 * z2 - 0.25 * z3 - 0.1 * z4);
      const double t = u < e ? 1.0 : 0.0;
      const double y0 = 210.0 + 27.4 * z1 + 13.7 * (z2 + z3 + z4) + eps;
      data.y(i) = y0 + t * (effect_ + heterogeneity_ * z1);
      data.treatment(i) = t;
      data.propensity(i) = e;
      if (!transformed) continue;
      const double exp_half_z1 = std::exp(z1 / 2);
      const double cube_base = z1 * z3 / 25 + 0.6, square_base = z2 + z4 + 20;
      x(i, 0) = exp_half_z1;
      x(i, 1) = z2 / (1 + exp_half_z1 * exp_half_z1) + 10;
      x(i, 2) = cube_base * cube_base * cube_base;
      x(i, 3) = square_base * square_base;
    }
    data.x = outcome_correct_ ? z : x;
    data.x_propensity = propensity_correct_ ? z : x;
    data.truth = Eigen::VectorXd::Constant(1, effect_);
    return data;
  }

 private:
  Eigen::Index n_;
  bool propensity_correct_;
  bool outcome_correct_;
  double effect_;
  double heterogeneity_;
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_SCENARIO(sb::estimation::KangSchafer, "kang-schafer")
    .describe("Kang-Schafer (2007) design, ATE version: Y(1) = Y(0) + effect + heterogeneity*Z1; "
              "models see Z (correct) or the transformed X (misspecified)")
    .paper("Kang & Schafer (2007), Demystifying double robustness, Statistical Science 22(4)")
    .tag("task:ate")
    .version("3")  // 2: Boost.Random ziggurat normals (portable draws); 3: xoshiro256++
    .field(&sb::estimation::KangSchafer::Params::n, "n", 20, 100000000, "sample size")
    .field(&sb::estimation::KangSchafer::Params::propensity_model, "propensity_model", {"correct", "misspecified"},
           "x_propensity = Z (correct) or X (misspecified)")
    .field(&sb::estimation::KangSchafer::Params::outcome_model, "outcome_model", {"correct", "misspecified"},
           "x = Z (correct) or X (misspecified)")
    .field(&sb::estimation::KangSchafer::Params::effect, "effect", -1000.0, 1000.0, "average treatment effect (the truth)")
    .field(&sb::estimation::KangSchafer::Params::heterogeneity, "heterogeneity", -100.0, 100.0, "slope of the effect in Z1");
