// The tables that both the selection and the unlearning suite load by name:
// the scikit-learn files, the synthetic Gaussian classifier and Fashion-MNIST
// subsets. Each source is written once here (parameters, loader, row check,
// parameter declarations); a suite wraps it in its own dataset interface and
// registers it under its own description (benchmarks/*/datasets.cpp).
//
// `splits` names in messages the rows a suite needs, e.g.
// "n_train + n_valid + n_test"; the caller's message names the dataset. `declare_fields` declares the source's
// parameters on a registration whose Params has the same members (a suite may
// add its own after them), through Registrar::fields_of<Source>().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "datasets/fashion_mnist.h"
#include "datasets/sklearn.h"
#include "datasets/synthetic.h"
#include "harness/core/errors.h"
#include "harness/core/registry.h"

namespace sb::data {

// The scikit-learn table `kName` (one of sklearn_table's names).
template <const char* kName>
struct SklearnSource {
  struct Params {
    std::string data_dir;
  };
  Params p;

  Table load(std::uint64_t) const { return load_sklearn(kName, p.data_dir); }
  bool regression() const { return std::string_view(kName) == sklearn_table::kDiabetes; }
  void check_rows(std::int64_t rows_needed, std::string_view splits) const {
    const auto rows = load(0).rows();
    SB_THROW_IF_NOT(InputError, rows_needed <= rows, "{} = {} exceeds the table's {} rows", splits, rows_needed, rows);
  }
  template <class P>
  static void declare_fields(Registrar<P>& r) {
    r.field(&P::data_dir, "data_dir", {}, sklearn_table::kDataDirDoc).reads("data_dir", [](const ParamSet& p) {
      return sklearn_files(kName, p.get_string("data_dir"));
    });
  }
};

struct GaussianClassifierSource {
  static constexpr const char* kDescription =
      "Synthetic: y uniform over classes, x | y ~ N(mu_y, I_d), mu_c ~ separation * N(0, I_d)";
  struct Params {
    std::int64_t n = 1000;
    std::int64_t d = 10;
    std::int64_t classes = 2;
    double separation = 1.0;
  };
  Params p;

  Table load(std::uint64_t seed) const {
    GaussianClassifierOptions o;
    o.n = p.n, o.d = p.d, o.classes = static_cast<int>(p.classes), o.separation = p.separation;
    return gaussian_classifier(o, seed);
  }
  bool regression() const { return false; }
  void check_rows(std::int64_t rows_needed, std::string_view splits) const {
    SB_THROW_IF_NOT(InputError, rows_needed <= p.n, "{} = {} exceeds n = {}", splits, rows_needed, p.n);
  }
  template <class P>
  static void declare_fields(Registrar<P>& r) {
    r.field(&P::n, "n", 3, 10000000, "rows drawn (before the splits)")
        .field(&P::d, "d", 1, 100000, "features")
        .field(&P::classes, "classes", 2, 1000, "classes")
        .field(&P::separation, "separation", 0.0, 1e6, "scale of the class means");
  }
};

struct FashionMnistSource {
  static constexpr const char* kDescription =
      "n images drawn from Fashion-MNIST's 60,000 training images (raw pixels / 255, 10 classes)";
  static constexpr const char* kPaper = "Xiao, Rasul & Vollgraf (2017), Fashion-MNIST, arXiv:1708.07747";
  struct Params {
    std::string data_dir;
    std::int64_t n = 2000;
  };
  Params p;

  Table load(std::uint64_t seed) const { return fashion_mnist_subset(p.data_dir, p.n, seed); }
  bool regression() const { return false; }
  void check_rows(std::int64_t rows_needed, std::string_view splits) const {
    SB_THROW_IF_NOT(InputError, rows_needed <= p.n, "{} = {} exceeds n = {}", splits, rows_needed, p.n);
    const auto available = fashion_mnist_train_count(p.data_dir);
    SB_THROW_IF_NOT(InputError, p.n <= available, "n = {} exceeds the {} training images of {}", p.n, available,
                    fashion_mnist_dir(p.data_dir));
  }
  template <class P>
  static void declare_fields(Registrar<P>& r) {
    r.field(&P::data_dir, "data_dir", {},
            "folder of the IDX files; empty: $SB_FASHION_MNIST_DIR, else /usr/share/datasets/fashion-mnist")
        .field(&P::n, "n", 3, 60000, "images drawn (before the splits)")
        .reads("data_dir", [](const ParamSet& p) { return fashion_mnist_file_paths(p.get_string("data_dir")); });
  }
};

}  // namespace sb::data
