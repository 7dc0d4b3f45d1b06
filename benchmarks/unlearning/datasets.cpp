// The unlearning suite's data sets: the scikit-learn tables (Debian's
// python3-sklearn files), Fashion-MNIST subsets and a synthetic Gaussian
// classifier, loaded as the selection suite loads them (datasets/).
#include "benchmarks/unlearning/unlearning.h"
#include "datasets/fashion_mnist.h"
#include "datasets/sklearn.h"
#include "datasets/synthetic.h"
#include "harness/core/errors.h"

namespace sb::unlearning {
namespace {

// One registered class per scikit-learn table (the name picks the file).
template <const char* kName, bool kRegression = false>
class SklearnTable : public UnlearningDataset {
 public:
  struct Params {
    std::string data_dir;
  };
  explicit SklearnTable(const Params& p) : dir_(p.data_dir) {}
  data::Table load(std::uint64_t) const override { return data::load_sklearn(kName, dir_); }
  bool regression() const override { return kRegression; }
  void validate(std::int64_t rows_needed) const override {
    const auto rows = load(0).rows();
    SB_THROW_IF_NOT(InputError, rows_needed <= rows, "{}: n_train + n_heldout + n_test = {} exceeds its {} rows",
                    kName, rows_needed, rows);
  }

 private:
  std::string dir_;
};

using data::sklearn_table::kBreastCancer;
using data::sklearn_table::kDiabetes;
using data::sklearn_table::kDigits;
using data::sklearn_table::kWine;

#define SB_SKLEARN_UNLEARNING_DATASET(var, description)  \
  SB_REGISTER_UNLEARNING_DATASET(SklearnTable<var>, var) \
      .describe(description)                             \
      .field(&SklearnTable<var>::Params::data_dir, "data_dir", {}, data::sklearn_table::kDataDirDoc)

SB_SKLEARN_UNLEARNING_DATASET(kWine, data::sklearn_table::kWineDescription);
SB_SKLEARN_UNLEARNING_DATASET(kBreastCancer, data::sklearn_table::kBreastCancerDescription);
SB_SKLEARN_UNLEARNING_DATASET(kDigits, data::sklearn_table::kDigitsDescription);

// The regression table: graded by mean squared errors on standardised targets.
using DiabetesTable = SklearnTable<kDiabetes, true>;
SB_REGISTER_UNLEARNING_DATASET(DiabetesTable, kDiabetes)
    .describe("Diabetes (Efron et al. 2004): 442 rows, 10 features, a real-valued disease progression target "
              "(regression unlearning; scikit-learn)")
    .paper("Efron, Hastie, Johnstone & Tibshirani (2004), Least Angle Regression, Annals of Statistics")
    .field(&DiabetesTable::Params::data_dir, "data_dir", {}, data::sklearn_table::kDataDirDoc);

class GaussianClassifier : public UnlearningDataset {
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
  void validate(std::int64_t rows_needed) const override {
    SB_THROW_IF_NOT(InputError, rows_needed <= p_.n,
                    "gaussian-classifier: n_train + n_heldout + n_test = {} exceeds n = {}", rows_needed, p_.n);
  }

 private:
  Params p_;
};

SB_REGISTER_UNLEARNING_DATASET(GaussianClassifier, "gaussian-classifier")
    .describe("Synthetic: y uniform over classes, x | y ~ N(mu_y, I_d), mu_c ~ separation * N(0, I_d)")
    .field(&GaussianClassifier::Params::n, "n", 3, 10000000, "rows drawn (before the splits)")
    .field(&GaussianClassifier::Params::d, "d", 1, 100000, "features")
    .field(&GaussianClassifier::Params::classes, "classes", 2, 1000, "classes")
    .field(&GaussianClassifier::Params::separation, "separation", 0.0, 1e6, "scale of the class means");

class FashionMnist : public UnlearningDataset {
 public:
  struct Params {
    std::string data_dir;
    std::int64_t n = 2000;
  };
  explicit FashionMnist(const Params& p) : p_(p) {}
  data::Table load(std::uint64_t seed) const override { return data::fashion_mnist_subset(p_.data_dir, p_.n, seed); }
  void validate(std::int64_t rows_needed) const override {
    SB_THROW_IF_NOT(InputError, rows_needed <= p_.n, "fashion-mnist: n_train + n_heldout + n_test = {} exceeds n = {}",
                    rows_needed, p_.n);
    const auto available = data::fashion_mnist_train_count(p_.data_dir);
    SB_THROW_IF_NOT(InputError, p_.n <= available, "fashion-mnist: n = {} exceeds the {} training images", p_.n,
                    available);
  }

 private:
  Params p_;
};

SB_REGISTER_UNLEARNING_DATASET(FashionMnist, "fashion-mnist")
    // 2: its logistic models (original and oracle, 7,850 parameters) by the
    // Kronecker-preconditioned truncated Newton solver (the same optimum, other rounding)
    .version("2")
    .describe("n images drawn from Fashion-MNIST's 60,000 training images (raw pixels / 255, 10 classes)")
    .paper("Xiao, Rasul & Vollgraf (2017), Fashion-MNIST, arXiv:1708.07747")
    .field(&FashionMnist::Params::data_dir, "data_dir", {},
           "folder of the IDX files; empty: $SB_FASHION_MNIST_DIR, else /usr/share/datasets/fashion-mnist")
    .field(&FashionMnist::Params::n, "n", 3, 60000, "images drawn (before the splits)");

}  // namespace
}  // namespace sb::unlearning
