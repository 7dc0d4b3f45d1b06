// Kang & Schafer's IPW-NR, eq. (4): the respondents stand for themselves and
// only the nonrespondents' mean is estimated by weighting,
//   (n1/n) ybar_1 + (n0/n) sum_i T_i w_i y_i / sum_i T_i w_i,  w = (1 - pi)/pi,
// (1 - pi)/pi being the odds of not responding: a respondent with response
// probability pi stands for (1 - pi)/pi nonrespondents. pi is the response
// probability (logistic on [1, x_propensity], or the true one). Point estimate only.
#include "benchmarks/estimation/estimation.h"
#include "estimators/estimation/missing_mean_common.h"

namespace sb::estimation {
namespace {

// Paper: Kang & Schafer (2007), Demystifying double robustness, Statistical Science 22(4)
class KsIpwNr : public Estimator {
 public:
  struct Params { std::string propensity = "fitted"; };
  explicit KsIpwNr(const Params& p) : use_true_(p.propensity == "true") {}

  Estimate estimate(const Data& data, std::uint64_t) const override {
    missing::check_data(data, "ks-ipw-nr");
    const Eigen::VectorXd pi = missing::response_probabilities(data, use_true_, "ks-ipw-nr");
    const auto respondents = missing::respondents(data);
    double respondent_sum = 0, weighted_sum = 0, weight_sum = 0;
    for (const Eigen::Index i : respondents) {
      const double odds_missing = (1 - pi(i)) / pi(i);
      respondent_sum += data.y(i);
      weighted_sum += odds_missing * data.y(i);
      weight_sum += odds_missing;
    }
    const auto n = static_cast<double>(data.y.size());
    const double nonrespondents = n - static_cast<double>(respondents.size());  // >= 2 (check_data)
    return missing::point_estimate((respondent_sum + nonrespondents * weighted_sum / weight_sum) / n);
  }

 private:
  bool use_true_;
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_ESTIMATOR(sb::estimation::KsIpwNr, "ks-ipw-nr")
    // 2: IPW-NR is the paper's eq. (4), weighting for the nonrespondents only;
    // version 1 computed the ratio mean under this name (now ks-ipw-pop)
    .version("2")
    .describe("E[y] under missingness: (n1/n) respondents' mean + (n0/n) their mean weighted by "
              "(1 - pi)/pi (Kang-Schafer's IPW-NR, eq. 4); logistic or true response probability; no SE")
    .paper("Kang & Schafer (2007), Demystifying double robustness, Statistical Science 22(4)")
    .tag("task:missing-mean")
    .field(&sb::estimation::KsIpwNr::Params::propensity, "propensity", {"fitted", "true"},
           "fitted: logistic regression of the response; true: Data.propensity from the scenario");
