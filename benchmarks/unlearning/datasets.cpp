// The unlearning suite's data sets: the scikit-learn tables (Debian's
// python3-sklearn files), Fashion-MNIST subsets and a synthetic Gaussian
// classifier, loaded as the selection suite loads them (datasets/).
#include "benchmarks/unlearning/unlearning.h"
#include "datasets/table_sources.h"

namespace sb::unlearning {
namespace {

// A shared table source (datasets/table_sources.h) as an unlearning data set.
template <class Source>
class SourceDataset : public UnlearningDataset {
 public:
  using Params = typename Source::Params;
  explicit SourceDataset(const Params& p) : source_{p} {}
  data::Table load(std::uint64_t seed) const override { return source_.load(seed); }
  bool regression() const override { return source_.regression(); }
  void validate(std::int64_t rows_needed) const override {
    source_.check_rows(rows_needed, "n_train + n_heldout + n_test");
  }

 private:
  Source source_;
};

using data::sklearn_table::kBreastCancer;
using data::sklearn_table::kDiabetes;
using data::sklearn_table::kDigits;
using data::sklearn_table::kWine;

#define SB_SKLEARN_UNLEARNING_DATASET(var, description)                        \
  SB_REGISTER_UNLEARNING_DATASET(SourceDataset<data::SklearnSource<var>>, var) \
      .describe(description)                                                   \
      .fields_of<data::SklearnSource<var>>()

SB_SKLEARN_UNLEARNING_DATASET(kWine, data::sklearn_table::kWineDescription);
SB_SKLEARN_UNLEARNING_DATASET(kBreastCancer, data::sklearn_table::kBreastCancerDescription);
SB_SKLEARN_UNLEARNING_DATASET(kDigits, data::sklearn_table::kDigitsDescription);
// The regression table: graded by mean squared errors on standardised targets.
SB_SKLEARN_UNLEARNING_DATASET(kDiabetes,
                              "Diabetes (Efron et al. 2004): 442 rows, 10 features, a real-valued disease "
                              "progression target (regression unlearning; scikit-learn)")
    .paper("Efron, Hastie, Johnstone & Tibshirani (2004), Least Angle Regression, Annals of Statistics");

using GaussianClassifier = SourceDataset<data::GaussianClassifierSource>;
SB_REGISTER_UNLEARNING_DATASET(GaussianClassifier, "gaussian-classifier")
    .describe(data::GaussianClassifierSource::kDescription)
    .fields_of<data::GaussianClassifierSource>();

using FashionMnist = SourceDataset<data::FashionMnistSource>;
SB_REGISTER_UNLEARNING_DATASET(FashionMnist, "fashion-mnist")
    // 2: its logistic models (original and oracle, 7,850 parameters) by the
    // Kronecker-preconditioned truncated Newton solver (the same optimum, other rounding)
    .version("2")
    .describe(data::FashionMnistSource::kDescription)
    .paper(data::FashionMnistSource::kPaper)
    .fields_of<data::FashionMnistSource>();

}  // namespace
}  // namespace sb::unlearning
