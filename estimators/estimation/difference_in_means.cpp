// Difference in means of the two arms with Neyman's conservative variance.
#include "benchmarks/estimation/estimation.h"
#include "estimators/estimation/causal_common.h"

namespace sb::estimation {
namespace {

// Paper: Neyman (1923/1990), On the application of probability theory to agricultural experiments, Statistical Science 5(4)
class DifferenceInMeans : public Estimator {
 public:
  Estimate estimate(const Data& data, std::uint64_t) const override {
    causal::check_ate_data(data, "difference-in-means");
    const causal::MeanDifference d = causal::difference_in_means(data.y, data.treatment);
    return causal::normal_estimate(d.value, d.se);
  }
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_ESTIMATOR(sb::estimation::DifferenceInMeans, "difference-in-means")
    .describe("Treated mean minus control mean; SE sqrt(s1^2/n1 + s0^2/n0) (Neyman)")
    .paper("Neyman (1923/1990), On the application of probability theory to agricultural "
           "experiments, Statistical Science 5(4)")
    .tag("task:ate");
