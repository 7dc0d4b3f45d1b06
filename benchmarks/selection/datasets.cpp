// The selection suite's data sets: the scikit-learn tables (Debian's
// python3-sklearn files), a synthetic Gaussian classifier and `planted`, a
// tiny Gaussian problem where every subset's utility can be enumerated.
#include "benchmarks/selection/ground_truth.h"
#include "benchmarks/selection/selection.h"
#include "datasets/pca.h"
#include "datasets/table_sources.h"
#include "harness/core/errors.h"

namespace sb::selection {
namespace {

// A shared table source (datasets/table_sources.h) as a selection data set.
template <class Source>
class SourceDataset : public SelectionDataset {
 public:
  using Params = typename Source::Params;
  explicit SourceDataset(const Params& p) : source_{p} {}
  data::Table load(std::uint64_t seed) const override { return source_.load(seed); }
  bool regression() const override { return source_.regression(); }
  void validate(std::int64_t rows_needed, std::int64_t) const override {
    source_.check_rows(rows_needed, "n_train + n_valid + n_test");
  }

 private:
  Source source_;
};

using data::sklearn_table::kBreastCancer;
using data::sklearn_table::kDiabetes;
using data::sklearn_table::kDigits;
using data::sklearn_table::kIris;
using data::sklearn_table::kWine;

#define SB_SKLEARN_SELECTION_DATASET(var, description)                        \
  SB_REGISTER_SELECTION_DATASET(SourceDataset<data::SklearnSource<var>>, var) \
      .describe(description)                                                  \
      .fields_of<data::SklearnSource<var>>()

SB_SKLEARN_SELECTION_DATASET(kIris, data::sklearn_table::kIrisDescription);
SB_SKLEARN_SELECTION_DATASET(kWine, data::sklearn_table::kWineDescription);
SB_SKLEARN_SELECTION_DATASET(kBreastCancer, data::sklearn_table::kBreastCancerDescription);
SB_SKLEARN_SELECTION_DATASET(kDigits, data::sklearn_table::kDigitsDescription);
SB_SKLEARN_SELECTION_DATASET(kDiabetes, "Efron et al.'s diabetes progression: 442 rows, 10 raw features, a "
                                        "continuous target (regression: the ridge utility, R^2)");

using GaussianClassifier = SourceDataset<data::GaussianClassifierSource>;
SB_REGISTER_SELECTION_DATASET(GaussianClassifier, "gaussian-classifier")
    .describe(data::GaussianClassifierSource::kDescription)
    .fields_of<data::GaussianClassifierSource>();

// A Gaussian classifier whose training split is small enough (n_train <= 16)
// for exact Shapley and Banzhaf values by enumerating all 2^n subsets.
class Planted : public GaussianClassifier {
 public:
  using GaussianClassifier::GaussianClassifier;
  void validate(std::int64_t rows_needed, std::int64_t n_train) const override {
    GaussianClassifier::validate(rows_needed, n_train);
    SB_THROW_IF_NOT(InputError, n_train <= kMaxEnumerationRows,
                    "n_train = {} but exact values enumerate 2^n_train subsets (n_train <= {})",
                    n_train, kMaxEnumerationRows);
  }
};

SB_REGISTER_SELECTION_DATASET(Planted, "planted")
    .describe("Tiny Gaussian classifier (set n_train <= 16): exact Shapley and Banzhaf values by "
              "enumeration are its ground truth")
    .field(&Planted::Params::n, "n", 3, 100000, "rows drawn (before the splits)")
    .field(&Planted::Params::d, "d", 1, 1000, "features")
    .field(&Planted::Params::classes, "classes", 2, 100, "classes")
    .field(&Planted::Params::separation, "separation", 0.0, 1e6, "scale of the class means");

// Fashion-MNIST, optionally projected on principal components.
class FashionMnist : public SelectionDataset {
 public:
  struct Params {
    std::string data_dir;
    std::int64_t n = 2000;
    std::string projection = "raw";
    std::int64_t pca_dims = 32;
  };
  explicit FashionMnist(const Params& p) : source_{{p.data_dir, p.n}}, p_(p) {}
  data::Table load(std::uint64_t seed) const override {
    data::Table t = source_.load(seed);
    if (p_.projection == "pca") t.x = data::fashion_mnist_pca(p_.data_dir, static_cast<int>(p_.pca_dims)).project(t.x);
    return t;
  }
  void validate(std::int64_t rows_needed, std::int64_t) const override {
    source_.check_rows(rows_needed, "n_train + n_valid + n_test");
  }

 private:
  data::FashionMnistSource source_;
  Params p_;
};

SB_REGISTER_SELECTION_DATASET(FashionMnist, "fashion-mnist")
    .describe(data::FashionMnistSource::kDescription)
    .paper(data::FashionMnistSource::kPaper)
    .fields_of<data::FashionMnistSource>()
    .field(&FashionMnist::Params::projection, "projection", {"raw", "pca"},
           "raw: 784 pixels / 255; pca: their projection on the top pca_dims principal components "
           "fitted on the 10,000 test images (data::fashion_mnist_pca)")
    .field(&FashionMnist::Params::pca_dims, "pca_dims", 1, 784, "components kept when projection = pca");

}  // namespace
}  // namespace sb::selection
