// The Horvitz-Thompson estimator of E[y] under missingness, Kang & Schafer's
// eq. (2): (1/n) sum_i T_i y_i / pi_i, with pi the response probability
// (logistic regression of T on [1, x_propensity], or the true one). The
// weights need not average to one, so it is not location-invariant; the
// paper's IPW-POP (ks-ipw-pop) divides by sum_i T_i / pi_i instead of n.
// Point estimate only.
#include "benchmarks/estimation/estimation.h"
#include "estimators/estimation/missing_mean_common.h"

namespace sb::estimation {
namespace {

// Paper: Kang & Schafer (2007), Demystifying double robustness, Statistical Science 22(4); Horvitz & Thompson (1952), JASA 47(260)
class KsHt : public Estimator {
 public:
  struct Params { std::string propensity = "fitted"; };
  explicit KsHt(const Params& p) : use_true_(p.propensity == "true") {}

  Estimate estimate(const Data& data, std::uint64_t) const override {
    missing::check_data(data, "ks-ht");
    const Eigen::VectorXd pi = missing::response_probabilities(data, use_true_, "ks-ht");
    double sum = 0;
    for (const Eigen::Index i : missing::respondents(data)) sum += data.y(i) / pi(i);
    return missing::point_estimate(sum / static_cast<double>(data.y.size()));
  }

 private:
  bool use_true_;
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_ESTIMATOR(sb::estimation::KsHt, "ks-ht")
    .describe("E[y] under missingness: Horvitz-Thompson (1/n) sum T y / pi (Kang-Schafer's eq. 2); "
              "logistic or true response probability; no SE")
    .paper("Kang & Schafer (2007), Demystifying double robustness, Statistical Science 22(4); "
           "Horvitz & Thompson (1952), A generalization of sampling without replacement from a "
           "finite universe, JASA 47(260)")
    .tag("task:missing-mean")
    .field(&sb::estimation::KsHt::Params::propensity, "propensity", {"fitted", "true"},
           "fitted: logistic regression of the response; true: Data.propensity from the scenario");
