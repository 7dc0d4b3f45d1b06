// Doubly robust IV: the LATE as a ratio of two AIPW contrasts of the
// instrument, LATE = E[Y | Z=1] - E[Y | Z=0] over E[D | Z=1] - E[D | Z=0]
// with covariate adjustment. With instrument propensity pi(x) (logistic on
// [1, x_propensity], or the true Data.propensity) and OLS outcome models
// m_V,z(x) of V in {Y, D} on [1, x] within Z = z:
//   phi_V,i = m_V1 - m_V0 + Z (V - m_V1)/pi - (1 - Z)(V - m_V0)/(1 - pi),
//   LATE = mean(phi_Y) / mean(phi_D),
//   IF_i = (phi_Y,i - LATE phi_D,i) / mean(phi_D)      (delta method),
//   SE = sd(IF)/sqrt(n).
#include <cmath>

#include "benchmarks/estimation/estimation.h"
#include "estimators/estimation/causal_common.h"

namespace sb::estimation {
namespace {

// Paper: Tan (2006), Regression and weighting methods for causal inference using instrumental variables, JASA 101(476)
class DrIv : public Estimator {
 public:
  struct Params { std::string propensity = "fitted"; };
  explicit DrIv(const Params& p) : use_true_(p.propensity == "true") {}

  Estimate estimate(const Data& data, std::uint64_t) const override {
    const Eigen::Index n = data.y.size();
    const Eigen::VectorXd& z = data.instrument;
    causal::check_binary(z, n, 2, "instrument", "dr-iv");
    causal::check_binary(data.treatment, n, 0, "treatment", "dr-iv");
    const Eigen::VectorXd pi = causal::propensity_scores(causal::propensity_covariates(data), z,
                                                         data.propensity, use_true_, "dr-iv",
                                                         /*with_information=*/false)
                                   .score;
    const auto rows1 = causal::rows_where(z, 1.0);
    const auto rows0 = causal::rows_where(z, 0.0);
    auto aipw_scores = [&](const Eigen::VectorXd& v) {
      const Eigen::VectorXd m1 = causal::regression_predict(data.x, v, rows1);
      const Eigen::VectorXd m0 = causal::regression_predict(data.x, v, rows0);
      Eigen::VectorXd phi(n);
      for (Eigen::Index i = 0; i < n; ++i) {
        phi(i) = m1(i) - m0(i) + z(i) * (v(i) - m1(i)) / pi(i) -
                 (1 - z(i)) * (v(i) - m0(i)) / (1 - pi(i));
      }
      return phi;
    };
    const Eigen::VectorXd phi_y = aipw_scores(data.y);
    const Eigen::VectorXd phi_d = aipw_scores(data.treatment);
    const double first_stage = phi_d.mean();
    SB_THROW_IF_NOT(MethodError, std::abs(first_stage) > 1e-12,
                    "dr-iv: estimated effect of the instrument on the treatment is {}",
                    first_stage);
    const double value = phi_y.mean() / first_stage;
    const Eigen::VectorXd influence = (phi_y - value * phi_d) / first_stage;
    return causal::normal_estimate(value, causal::influence_se(influence));
  }

 private:
  bool use_true_;
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_ESTIMATOR(sb::estimation::DrIv, "dr-iv")
    .describe("Doubly robust LATE: ratio of AIPW contrasts of Y and D in the instrument, "
              "delta-method influence-function SE")
    .paper("Tan (2006), Regression and weighting methods for causal inference using "
           "instrumental variables, JASA 101(476)")
    .version("2")  // 2: the logistic fit stops on predicted quadratic convergence
    .tag("task:iv")
    .field(&sb::estimation::DrIv::Params::propensity, "propensity", {"fitted", "true"},
           "instrument propensity P(Z=1|x): fitted logistic or Data.propensity");
