// Kang & Schafer's IPW-POP, eq. (3): the normalised (ratio, Hajek)
// inverse-probability weighted mean of the respondents,
// sum_i T_i y_i / pi_i / sum_i T_i / pi_i, whose weights estimate the
// population's size ("POP"); pi the response probability (logistic on
// [1, x_propensity], or the true one). Point estimate only.
#include "benchmarks/estimation/estimation.h"
#include "estimators/estimation/missing_mean_common.h"

namespace sb::estimation {
namespace {

// Paper: Kang & Schafer (2007), Demystifying double robustness, Statistical Science 22(4); Hajek (1971)
class KsIpwPop : public Estimator {
 public:
  struct Params { std::string propensity = "fitted"; };
  explicit KsIpwPop(const Params& p) : use_true_(p.propensity == "true") {}

  Estimate estimate(const Data& data, std::uint64_t) const override {
    missing::check_data(data, "ks-ipw-pop");
    const Eigen::VectorXd pi = missing::response_probabilities(data, use_true_, "ks-ipw-pop");
    double weighted_sum = 0, weight_sum = 0;
    for (const Eigen::Index i : missing::respondents(data)) {
      weighted_sum += data.y(i) / pi(i);
      weight_sum += 1 / pi(i);
    }
    return missing::point_estimate(weighted_sum / weight_sum);
  }

 private:
  bool use_true_;
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_ESTIMATOR(sb::estimation::KsIpwPop, "ks-ipw-pop")
    // 2: IPW-POP is the paper's ratio estimator (eq. 3); version 1 computed
    // the Horvitz-Thompson mean under this name (now ks-ht)
    .version("2")
    .describe("E[y] under missingness: normalised IPW sum(T y / pi) / sum(T / pi) "
              "(Kang-Schafer's IPW-POP, eq. 3); logistic or true response probability; no SE")
    .paper("Kang & Schafer (2007), Demystifying double robustness, Statistical Science 22(4); "
           "Hajek (1971), Comment on Basu's essay, Foundations of Statistical Inference")
    .tag("task:missing-mean")
    .field(&sb::estimation::KsIpwPop::Params::propensity, "propensity", {"fitted", "true"},
           "fitted: logistic regression of the response; true: Data.propensity from the scenario");
