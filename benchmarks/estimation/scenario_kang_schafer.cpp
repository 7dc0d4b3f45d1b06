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
#include "benchmarks/estimation/kang_schafer_design.h"
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
    // The transformed covariates only when a model sees them.
    const KangSchaferUnits u = kang_schafer_units(n_, seed, !outcome_correct_ || !propensity_correct_);
    Data data;
    data.task = "ate";
    data.y.resize(n_);
    for (Eigen::Index i = 0; i < n_; ++i)
      data.y(i) = u.outcome(i) + u.treated(i) * (effect_ + heterogeneity_ * u.z(i, 0));
    data.treatment = u.treated;
    data.propensity = u.propensity;
    data.x = outcome_correct_ ? u.z : u.x;
    data.x_propensity = propensity_correct_ ? u.z : u.x;
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
