// `spurious`: a Waterbirds-like synthetic benchmark with a spurious attribute.
// Paper: Ming, Yin & Li (2022), On the impact of spurious correlation for out-of-distribution detection, AAAI (setting used by SPROD)
#include <random>

#include "benchmarks/ood/dataset.h"
#include "benchmarks/ood/random.h"
#include "harness/core/errors.h"
#include "harness/core/suite.h"

namespace sb::ood {
namespace {

// Inputs = [core (d_core) | spurious (d_spurious)]. Class y sets the core mean
// core_strength * e_y; the environment a sets the spurious mean
// spurious_strength * e_a; noise N(0, I). In training a = y with probability
// `correlation` (else another environment, uniformly); in ID test with
// probability `test_correlation`. Spurious OOD: environment features without
// core features (core = pure noise); non-spurious OOD: neither.
class Spurious : public OodDataset {
 public:
  struct Params {
    std::int64_t k = 2;
    std::int64_t d_core = 5;
    std::int64_t d_spurious = 5;
    std::int64_t n_train = 2000;
    std::int64_t n_test = 1000;
    std::int64_t n_ood = 1000;
    double core_strength = 2.0;
    double spurious_strength = 3.0;
    double correlation = 0.9;
    double test_correlation = 0.5;
  };
  explicit Spurious(const Params& p)
      : k_(p.k), d_core_(p.d_core), d_spur_(p.d_spurious),
        n_train_(p.n_train), n_test_(p.n_test), n_ood_(p.n_ood),
        core_(p.core_strength), spur_(p.spurious_strength),
        correlation_(p.correlation), test_correlation_(p.test_correlation) {
    SB_THROW_IF_NOT(InputError, d_core_ >= k_ && d_spur_ >= k_,
                    "spurious: d_core = {} and d_spurious = {} must be >= k = {}", d_core_, d_spur_,
                    k_);
  }

  OodData load(std::uint64_t seed) const override {
    std::mt19937_64 rng(derive_seed(seed, "spurious/data"));
    const std::int64_t d = d_core_ + d_spur_;
    // kind 0: ID with P(a = y) = corr; 1: spurious OOD; 2: non-spurious OOD.
    auto draw = [&](std::int64_t n, int kind, double corr) {
      Split s;
      s.inputs.resize(n, d);
      s.labels.resize(n);
      for (std::int64_t i = 0; i < n; ++i) {
        for (std::int64_t j = 0; j < d; ++j) s.inputs(i, j) = standard_normal(rng);
        const int y = static_cast<int>(uniform_index(rng, k_));
        int a = y;
        if (kind == 0 && uniform01(rng) >= corr) {
          a = (y + 1 + static_cast<int>(uniform_index(rng, k_ - 1))) % static_cast<int>(k_);
        }
        if (kind == 0) s.inputs(i, y) += core_;
        if (kind <= 1) s.inputs(i, d_core_ + a) += spur_;
        s.labels(i) = kind == 0 ? y : -1;
      }
      return s;
    };
    OodData data;
    data.num_classes = static_cast<int>(k_);
    data.train = draw(n_train_, 0, correlation_);
    data.test = draw(n_test_, 0, test_correlation_);
    data.ood.push_back({"spurious", "near", draw(n_ood_, 1, 0)});
    data.ood.push_back({"non-spurious", "far", draw(n_ood_, 2, 0)});
    return data;
  }

 private:
  std::int64_t k_, d_core_, d_spur_, n_train_, n_test_, n_ood_;
  double core_, spur_, correlation_, test_correlation_;
};

}  // namespace
}  // namespace sb::ood

SB_REGISTER_OOD_DATASET(sb::ood::Spurious, "spurious")
    .describe("Waterbirds-like: core features decide the class, environment features correlate "
              "with it at rate `correlation` in training; spurious OOD keeps the environment "
              "features without core ones (near), non-spurious OOD has neither (far)")
    .paper("Ming, Yin & Li (2022), On the impact of spurious correlation for out-of-distribution "
           "detection, AAAI")
    .tag(sb::ood::kTrainsModelTag)
    .field(&sb::ood::Spurious::Params::k, "k", 2, 100, "number of classes (= number of environments)")
    .field(&sb::ood::Spurious::Params::d_core, "d_core", 1, 100000, "core feature dimension (>= k)")
    .field(&sb::ood::Spurious::Params::d_spurious, "d_spurious", 1, 100000, "spurious (environment) feature dimension (>= k)")
    .field(&sb::ood::Spurious::Params::n_train, "n_train", 10, 10000000, "ID training examples")
    .field(&sb::ood::Spurious::Params::n_test, "n_test", 2, 10000000, "ID test examples")
    .field(&sb::ood::Spurious::Params::n_ood, "n_ood", 1, 10000000, "examples per OOD set")
    .field(&sb::ood::Spurious::Params::core_strength, "core_strength", 0.0, 1e6, "norm of the class (core) mean")
    .field(&sb::ood::Spurious::Params::spurious_strength, "spurious_strength", 0.0, 1e6, "norm of the environment (spurious) mean")
    .field(&sb::ood::Spurious::Params::correlation, "correlation", 0.0, 1.0, "P(environment = class) in training")
    .field(&sb::ood::Spurious::Params::test_correlation, "test_correlation", 0.0, 1.0, "P(environment = class) in the ID test set");
