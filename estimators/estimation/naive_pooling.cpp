// Data integration baseline that trusts the historical controls completely:
// experimental treated mean minus the mean of all controls (experimental and
// historical pooled), Neyman SE. Biased by n_hist/(n_c + n_hist) * shift.
#include "benchmarks/estimation/estimation.h"
#include "estimators/estimation/causal_common.h"

namespace sb::estimation {
namespace {

// Paper: Pocock (1976), The combination of randomized and historical controls in clinical trials, Journal of Chronic Diseases 29(3)
class NaivePooling : public Estimator {
 public:
  Estimate estimate(const Data& data, std::uint64_t) const override {
    causal::check_ate_data(data, "naive-pooling");
    SB_THROW_IF_NOT(MethodError, data.source.size() == data.y.size(),
                    "naive-pooling: source has {} entries for {} units", data.source.size(),
                    data.y.size());
    for (Eigen::Index i = 0; i < data.y.size(); ++i) {
      SB_THROW_IF_NOT(MethodError, data.source(i) == 0 || data.treatment(i) == 0.0,
                      "naive-pooling: historical unit {} is treated", i);
    }
    // Treatment already marks every historical unit as a control.
    const causal::MeanDifference d = causal::difference_in_means(data.y, data.treatment);
    return causal::normal_estimate(d.value, d.se);
  }
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_ESTIMATOR(sb::estimation::NaivePooling, "naive-pooling")
    .describe("Treated mean minus the mean of experimental and historical controls pooled; "
              "Neyman SE (ignores any shift)")
    .paper("Pocock (1976), The combination of randomized and historical controls in clinical "
           "trials, Journal of Chronic Diseases 29(3)")
    .tag("task:integration");
