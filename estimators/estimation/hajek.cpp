// Hajek (normalised) IPW: each arm's mean is a weighted mean with weights
// T/e resp. (1-T)/(1-e) normalised to sum to one. SE from the influence
// function of the two ratio estimators, with the logistic-propensity
// correction (Lunceford & Davidian 2004) unless `propensity = true`:
//   IF_mu1 = [T (y - mu1)/e + h1' I^{-1} s_i] / mean(T/e),
//   h1 = -mean[T (y - mu1)(1 - e)/e x],  s_i = x_i (T_i - e_i)
//   IF_mu0 = [(1-T)(y - mu0)/(1-e) + h0' I^{-1} s_i] / mean((1-T)/(1-e)),
//   h0 = mean[(1-T)(y - mu0) e/(1-e) x].
#include "benchmarks/estimation/estimation.h"
#include "estimators/estimation/causal_common.h"

namespace sb::estimation {
namespace {

// Paper: Hajek (1971), Comment on "An essay on the logical foundations of survey sampling" by D. Basu, Foundations of Statistical Inference
class Hajek : public Estimator {
 public:
  struct Params { std::string propensity = "fitted"; };
  explicit Hajek(const Params& p) : use_true_(p.propensity == "true") {}

  Estimate estimate(const Data& data, std::uint64_t) const override {
    causal::check_ate_data(data, "hajek");
    const Eigen::VectorXd& t = data.treatment;
    const Eigen::VectorXd& y = data.y;
    const causal::PropensityScores ps = causal::propensity_scores(
        causal::propensity_covariates(data), t, data.propensity, use_true_, "hajek");
    const Eigen::VectorXd& e = ps.score;
    const Eigen::Index n = y.size();
    const Eigen::VectorXd w1 = t.array() / e.array();
    const Eigen::VectorXd w0 = (1 - t.array()) / (1 - e.array());
    const double mu1 = w1.dot(y) / w1.sum();
    const double mu0 = w0.dot(y) / w0.sum();
    Eigen::VectorXd m1 = w1.array() * (y.array() - mu1);
    Eigen::VectorXd m0 = w0.array() * (y.array() - mu0);
    if (ps.fitted) {
      const Eigen::VectorXd d1 = -(m1.array() * (1 - e.array()));
      const Eigen::VectorXd d0 = m0.array() * e.array();
      const double inv_n = 1.0 / static_cast<double>(n);
      m1 += causal::propensity_correction(ps, t, ps.design.transpose() * d1 * inv_n);
      m0 += causal::propensity_correction(ps, t, ps.design.transpose() * d0 * inv_n);
    }
    const Eigen::VectorXd influence = m1 / w1.mean() - m0 / w0.mean();
    return causal::normal_estimate(mu1 - mu0, causal::influence_se(influence));
  }

 private:
  bool use_true_;
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_ESTIMATOR(sb::estimation::Hajek, "hajek")
    .describe("Normalised (Hajek) IPW; logistic or true propensity; influence-function SE "
              "accounting for the fitted propensity")
    .paper("Hajek (1971), Comment on Basu's essay, Foundations of Statistical Inference")
    .version("2")  // 2: the logistic fit stops on predicted quadratic convergence
    .tag("task:ate")
    .field(&sb::estimation::Hajek::Params::propensity, "propensity", {"fitted", "true"},
           "fitted: logistic regression; true: Data.propensity from the scenario");
