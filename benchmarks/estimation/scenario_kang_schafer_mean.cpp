// Kang & Schafer (2007) simulation in its original form: estimate the
// population mean E[Y] = 210 when Y is seen only for respondents.
//   Z1..Z4 iid N(0, 1), Y = 210 + 27.4 Z1 + 13.7 Z2 + 13.7 Z3 + 13.7 Z4 + eps, eps ~ N(0, 1),
//   response T ~ Bernoulli(pi(Z)), pi(Z) = expit(-Z1 + 0.5 Z2 - 0.25 Z3 - 0.1 Z4).
// Data (task `missing-mean`): treatment = the response indicator T, y = Y
// where T = 1 and NaN where T = 0 (an estimator cannot use what the analyst
// does not see), propensity = the true pi(Z), truth = (210) exactly (E[Z] = 0).
// Misspecification as in the paper and in `kang-schafer`: the analyst sees
//   X1 = exp(Z1/2), X2 = Z2/(1 + exp(Z1)) + 10, X3 = (Z1 Z3/25 + 0.6)^3, X4 = (Z2 + Z4 + 20)^2
// instead of Z for the outcome model (Data.x) and/or the response model
// (Data.x_propensity). The draws do not depend on these flags, so the four
// combinations see the same units for a seed; they are also the draws of
// `kang-schafer` with effect 0 (same stream), whose y is this Y for everyone.
// observed_if_a = 0 is the mirror design of Rotnitzky et al. (2012, Table 1,
// lower half): Y is seen for the units with T = 0 instead, so the response
// indicator is 1 - T and its probability 1 - pi(Z) (still a logistic model
// in Z, so "correct" stays correct); the units are the same.
#include <cmath>
#include <limits>

#include "benchmarks/estimation/estimation.h"
#include "benchmarks/estimation/kang_schafer_design.h"
#include "harness/core/suite.h"

namespace sb::estimation {
namespace {

// Paper: Kang & Schafer (2007), Demystifying double robustness, Statistical Science 22(4)
class KangSchaferMean : public Scenario {
 public:
  struct Params {
    std::int64_t n = 200;
    std::int64_t observed_if_a = 1;
    std::string propensity_model = "correct";
    std::string outcome_model = "correct";
  };
  explicit KangSchaferMean(const Params& p)
      : n_(p.n),
        observed_if_a_(p.observed_if_a),
        propensity_correct_(p.propensity_model == "correct"),
        outcome_correct_(p.outcome_model == "correct") {}

  std::string task() const override { return "missing-mean"; }

  Data generate(std::uint64_t seed) const override {
    // The `kang-schafer` units (same stream and draw order).
    const KangSchaferUnits u = kang_schafer_units(n_, seed, !outcome_correct_ || !propensity_correct_);
    Data data;
    data.task = "missing-mean";
    // The response indicator: T itself, or 1 - T in the mirror design.
    data.treatment = observed_if_a_ == 1 ? u.treated : (1.0 - u.treated.array()).matrix();
    data.propensity = observed_if_a_ == 1 ? u.propensity : (1.0 - u.propensity.array()).matrix();
    data.y.resize(n_);
    for (Eigen::Index i = 0; i < n_; ++i)
      data.y(i) = data.treatment(i) == 1.0 ? u.outcome(i) : std::numeric_limits<double>::quiet_NaN();
    data.x = outcome_correct_ ? u.z : u.x;
    data.x_propensity = propensity_correct_ ? u.z : u.x;
    data.truth = Eigen::VectorXd::Constant(1, 210.0);
    return data;
  }

 private:
  Eigen::Index n_;
  std::int64_t observed_if_a_;
  bool propensity_correct_;
  bool outcome_correct_;
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_SCENARIO(sb::estimation::KangSchaferMean, "kang-schafer-mean")
    .describe("Kang-Schafer (2007) design as published: E[Y] = 210 with Y seen only for "
              "respondents (treatment = response); models see Z (correct) or the transformed X")
    .paper("Kang & Schafer (2007), Demystifying double robustness, Statistical Science 22(4)")
    .tag("task:missing-mean")
    .field(&sb::estimation::KangSchaferMean::Params::n, "n", 20, 100000000, "sample size")
    .field(&sb::estimation::KangSchaferMean::Params::observed_if_a, "observed_if_a", 0, 1,
           "Y is seen for the units with T = this (1: Kang-Schafer's respondents; 0: the mirror "
           "design of Rotnitzky et al. 2012, response probability 1 - pi)")
    .field(&sb::estimation::KangSchaferMean::Params::propensity_model, "propensity_model",
           {"correct", "misspecified"}, "x_propensity = Z (correct) or X (misspecified)")
    .field(&sb::estimation::KangSchaferMean::Params::outcome_model, "outcome_model",
           {"correct", "misspecified"}, "x = Z (correct) or X (misspecified)");
