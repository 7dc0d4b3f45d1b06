// `gaussian-mixture`: k isotropic Gaussian classes; OOD sets are the same
// mixture shifted along a direction orthogonal to every class mean.
#include <random>

#include "benchmarks/ood/dataset.h"
#include "benchmarks/ood/random.h"
#include "harness/core/errors.h"
#include "harness/core/suite.h"

namespace sb::ood {
namespace {

class GaussianMixture : public OodDataset {
 public:
  struct Params {
    std::int64_t k = 3;
    std::int64_t d = 10;
    std::int64_t n_train = 1500;
    std::int64_t n_test = 600;
    std::int64_t n_ood = 600;
    double separation = 4.0;
    double shift = 6.0;
    double near_fraction = 0.25;
  };
  explicit GaussianMixture(const Params& p)
      : k_(p.k), d_(p.d), n_train_(p.n_train),
        n_test_(p.n_test), n_ood_(p.n_ood),
        separation_(p.separation), shift_(p.shift),
        near_fraction_(p.near_fraction) {
    SB_THROW_IF_NOT(InputError, d_ > k_,
                    "gaussian-mixture: d = {} must exceed k = {} (the shift direction is "
                    "orthogonal to the k class means)", d_, k_);
  }

  // Class c: N(separation * e_c, I_d). OOD: class c drawn uniformly, then
  // N(separation * e_c + s * u, I_d) with u a seeded unit vector supported on
  // coordinates k..d-1, s = shift (far) or near_fraction * shift (near).
  OodData load(std::uint64_t seed) const override {
    std::mt19937_64 rng(derive_seed(seed, "gaussian-mixture/data"));
    Eigen::VectorXd direction = Eigen::VectorXd::Zero(d_);
    for (std::int64_t j = k_; j < d_; ++j) direction(j) = standard_normal(rng);
    direction.normalize();
    auto draw = [&](std::int64_t n, double offset, bool id) {
      Split s;
      s.inputs.resize(n, d_);
      s.labels.resize(n);
      for (std::int64_t i = 0; i < n; ++i) {
        const int c = static_cast<int>(uniform_index(rng, k_));
        for (std::int64_t j = 0; j < d_; ++j) s.inputs(i, j) = standard_normal(rng);
        s.inputs(i, c) += separation_;
        s.inputs.row(i) += offset * direction.transpose();
        s.labels(i) = id ? c : -1;
      }
      return s;
    };
    OodData data;
    data.num_classes = static_cast<int>(k_);
    data.train = draw(n_train_, 0.0, true);
    data.test = draw(n_test_, 0.0, true);
    data.ood.push_back({"near-shift", "near", draw(n_ood_, near_fraction_ * shift_, false)});
    data.ood.push_back({"far-shift", "far", draw(n_ood_, shift_, false)});
    return data;
  }

 private:
  std::int64_t k_, d_, n_train_, n_test_, n_ood_;
  double separation_, shift_, near_fraction_;
};

}  // namespace
}  // namespace sb::ood

SB_REGISTER_OOD_DATASET(sb::ood::GaussianMixture, "gaussian-mixture")
    .describe("k isotropic Gaussian classes N(separation*e_c, I) in R^d; OOD = the mixture "
              "shifted by near_fraction*shift (near) and shift (far) orthogonally to the means")
    .tag(sb::ood::kTrainsModelTag)
    .field(&sb::ood::GaussianMixture::Params::k, "k", 2, 100, "number of classes")
    .field(&sb::ood::GaussianMixture::Params::d, "d", 3, 100000, "dimension (> k)")
    .field(&sb::ood::GaussianMixture::Params::n_train, "n_train", 10, 10000000, "ID training examples")
    .field(&sb::ood::GaussianMixture::Params::n_test, "n_test", 2, 10000000, "ID test examples")
    .field(&sb::ood::GaussianMixture::Params::n_ood, "n_ood", 1, 10000000, "examples per OOD set")
    .field(&sb::ood::GaussianMixture::Params::separation, "separation", 0.0, 1e6, "distance of each class mean from the origin")
    .field(&sb::ood::GaussianMixture::Params::shift, "shift", 0.0, 1e6, "offset of the far OOD set")
    .field(&sb::ood::GaussianMixture::Params::near_fraction, "near_fraction", 0.0, 1.0, "near OOD offset = near_fraction * shift");
