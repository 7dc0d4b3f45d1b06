// The selection suite's data sets: the scikit-learn tables (Debian's
// python3-sklearn files), a synthetic Gaussian classifier and `planted`, a
// tiny Gaussian problem where every subset's utility can be enumerated.
#include <string_view>

#include "benchmarks/selection/ground_truth.h"
#include "benchmarks/selection/selection.h"
#include "datasets/fashion_mnist.h"
#include "datasets/pca.h"
#include "datasets/sklearn.h"
#include "datasets/synthetic.h"
#include "harness/core/errors.h"

namespace sb::selection {
namespace {

// One registered class per scikit-learn table (the name picks the file).
template <const char* kName>
class SklearnTable : public SelectionDataset {
 public:
  struct Params {
    std::string data_dir;
  };
  explicit SklearnTable(const Params& p) : dir_(p.data_dir) {}
  data::Table load(std::uint64_t) const override { return data::load_sklearn(kName, dir_); }
  bool regression() const override { return std::string_view(kName) == "diabetes"; }
  void validate(std::int64_t rows_needed, std::int64_t) const override {
    const auto rows = load(0).rows();
    SB_THROW_IF_NOT(InputError, rows_needed <= rows,
                    "{}: n_train + n_valid + n_test = {} exceeds its {} rows", kName, rows_needed, rows);
  }

 private:
  std::string dir_;
};

using data::sklearn_table::kBreastCancer;
using data::sklearn_table::kDiabetes;
using data::sklearn_table::kDigits;
using data::sklearn_table::kIris;
using data::sklearn_table::kWine;

#define SB_SKLEARN_SELECTION_DATASET(var, description)                                         \
  SB_REGISTER_SELECTION_DATASET(SklearnTable<var>, var)                                        \
      .describe(description)                                                                   \
      .field(&SklearnTable<var>::Params::data_dir, "data_dir", {}, data::sklearn_table::kDataDirDoc)

SB_SKLEARN_SELECTION_DATASET(kIris, data::sklearn_table::kIrisDescription);
SB_SKLEARN_SELECTION_DATASET(kWine, data::sklearn_table::kWineDescription);
SB_SKLEARN_SELECTION_DATASET(kBreastCancer, data::sklearn_table::kBreastCancerDescription);
SB_SKLEARN_SELECTION_DATASET(kDigits, data::sklearn_table::kDigitsDescription);
SB_SKLEARN_SELECTION_DATASET(kDiabetes, "Efron et al.'s diabetes progression: 442 rows, 10 raw features, a "
                                        "continuous target (regression: the ridge utility, R^2)");

class GaussianClassifier : public SelectionDataset {
 public:
  struct Params {
    std::int64_t n = 1000;
    std::int64_t d = 10;
    std::int64_t classes = 2;
    double separation = 1.0;
  };
  explicit GaussianClassifier(const Params& p) : p_(p) {}
  data::Table load(std::uint64_t seed) const override {
    data::GaussianClassifierOptions o;
    o.n = p_.n, o.d = p_.d, o.classes = static_cast<int>(p_.classes), o.separation = p_.separation;
    return data::gaussian_classifier(o, seed);
  }
  void validate(std::int64_t rows_needed, std::int64_t) const override {
    SB_THROW_IF_NOT(InputError, rows_needed <= p_.n,
                    "gaussian-classifier: n_train + n_valid + n_test = {} exceeds n = {}", rows_needed, p_.n);
  }

 protected:
  Params p_;
};

SB_REGISTER_SELECTION_DATASET(GaussianClassifier, "gaussian-classifier")
    .describe("Synthetic: y uniform over classes, x | y ~ N(mu_y, I_d), mu_c ~ separation * N(0, I_d)")
    .field(&GaussianClassifier::Params::n, "n", 3, 10000000, "rows drawn (before the splits)")
    .field(&GaussianClassifier::Params::d, "d", 1, 100000, "features")
    .field(&GaussianClassifier::Params::classes, "classes", 2, 1000, "classes")
    .field(&GaussianClassifier::Params::separation, "separation", 0.0, 1e6, "scale of the class means");

// A Gaussian classifier whose training split is small enough (n_train <= 16)
// for exact Shapley and Banzhaf values by enumerating all 2^n subsets.
class Planted : public GaussianClassifier {
 public:
  using GaussianClassifier::GaussianClassifier;
  void validate(std::int64_t rows_needed, std::int64_t n_train) const override {
    GaussianClassifier::validate(rows_needed, n_train);
    SB_THROW_IF_NOT(InputError, n_train <= kMaxEnumerationRows,
                    "planted: n_train = {} but exact values enumerate 2^n_train subsets (n_train <= {})",
                    n_train, kMaxEnumerationRows);
  }
};

SB_REGISTER_SELECTION_DATASET(Planted, "planted")
    .describe("Tiny Gaussian classifier (set n_train <= 16): exact Shapley, Banzhaf and Beta "
              "values by enumeration are its ground truth")
    .field(&Planted::Params::n, "n", 3, 100000, "rows drawn (before the splits)")
    .field(&Planted::Params::d, "d", 1, 1000, "features")
    .field(&Planted::Params::classes, "classes", 2, 100, "classes")
    .field(&Planted::Params::separation, "separation", 0.0, 1e6, "scale of the class means");

class FashionMnist : public SelectionDataset {
 public:
  struct Params {
    std::string data_dir;
    std::int64_t n = 2000;
    std::string projection = "raw";
    std::int64_t pca_dims = 32;
  };
  explicit FashionMnist(const Params& p) : p_(p) {}
  data::Table load(std::uint64_t seed) const override {
    data::Table t = data::fashion_mnist_subset(p_.data_dir, p_.n, seed);
    if (p_.projection == "pca") t.x = data::fashion_mnist_pca(p_.data_dir, static_cast<int>(p_.pca_dims)).project(t.x);
    return t;
  }
  void validate(std::int64_t rows_needed, std::int64_t) const override {
    SB_THROW_IF_NOT(InputError, rows_needed <= p_.n,
                    "fashion-mnist: n_train + n_valid + n_test = {} exceeds n = {}", rows_needed, p_.n);
    const auto available = data::fashion_mnist_train_count(p_.data_dir);
    SB_THROW_IF_NOT(InputError, p_.n <= available, "fashion-mnist: n = {} exceeds the {} training images",
                    p_.n, available);
  }

 private:
  Params p_;
};

SB_REGISTER_SELECTION_DATASET(FashionMnist, "fashion-mnist")
    .describe("n images drawn from Fashion-MNIST's 60,000 training images (raw pixels / 255, 10 classes)")
    .paper("Xiao, Rasul & Vollgraf (2017), Fashion-MNIST, arXiv:1708.07747")
    .field(&FashionMnist::Params::data_dir, "data_dir", {},
           "folder of the IDX files; empty: $SB_FASHION_MNIST_DIR, else /usr/share/datasets/fashion-mnist")
    .field(&FashionMnist::Params::n, "n", 3, 60000, "images drawn (before the splits)")
    .field(&FashionMnist::Params::projection, "projection", {"raw", "pca"},
           "raw: 784 pixels / 255; pca: their projection on the top pca_dims principal components "
           "fitted on the 10,000 test images (data::fashion_mnist_pca)")
    .field(&FashionMnist::Params::pca_dims, "pca_dims", 1, 784, "components kept when projection = pca");

}  // namespace
}  // namespace sb::selection
