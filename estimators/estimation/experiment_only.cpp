// Data integration baseline that ignores the historical controls: difference
// in means within the randomised experiment (source = 0), Neyman SE.
#include "benchmarks/estimation/estimation.h"
#include "estimators/estimation/causal_common.h"

namespace sb::estimation {
namespace {

// Paper: Neyman (1923/1990), On the application of probability theory to agricultural experiments, Statistical Science 5(4)
class ExperimentOnly : public Estimator {
 public:
  Estimate estimate(const Data& data, std::uint64_t) const override {
    causal::check_ate_data(data, "experiment-only");
    SB_THROW_IF_NOT(MethodError, data.source.size() == data.y.size(),
                    "experiment-only: source has {} entries for {} units", data.source.size(),
                    data.y.size());
    std::vector<Eigen::Index> rows;
    for (Eigen::Index i = 0; i < data.y.size(); ++i) {
      if (data.source(i) == 0) rows.push_back(i);
    }
    const causal::MeanDifference d = causal::difference_in_means(
        models::select_rows(data.y, rows), models::select_rows(data.treatment, rows));
    return causal::normal_estimate(d.value, d.se);
  }
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_ESTIMATOR(sb::estimation::ExperimentOnly, "experiment-only")
    .describe("Difference in means in the randomised experiment only (source 0); Neyman SE")
    .paper("Neyman (1923/1990), On the application of probability theory to agricultural "
           "experiments, Statistical Science 5(4)")
    .tag("task:integration");
