// SalUn: weight saliency. The mask keeps the `share` of parameters with the
// largest |gradient of the forget rows' summed loss| at the original model
// (salun.h); then random-label fine-tuning (retain rows plus the forget rows
// relabelled uniformly among the other classes) updates only those
// parameters; the others keep their original values.
// Paper: Fan, Liu, Zhang, Wei, Wong & Liu (2024), SalUn: Empowering Machine Unlearning via Gradient-based
// Weight Saliency in Both Image Classification and Generation, ICLR.
#include "estimators/unlearning/salun.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "benchmarks/unlearning/unlearning.h"
#include "estimators/unlearning/impl/descent.h"

namespace sb::unlearning {

Eigen::MatrixXd saliency_mask(const Eigen::MatrixXd& gradient, double share) {
  const auto size = static_cast<size_t>(gradient.size());
  std::vector<Eigen::Index> order(size);
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  std::stable_sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) {
    return std::abs(gradient.data()[a]) > std::abs(gradient.data()[b]);
  });
  const auto kept = std::min(size, static_cast<size_t>(std::ceil(share * static_cast<double>(size))));
  Eigen::MatrixXd mask = Eigen::MatrixXd::Zero(gradient.rows(), gradient.cols());
  for (size_t i = 0; i < kept; ++i) mask.data()[order[i]] = 1.0;
  return mask;
}

namespace {

class Salun : public Unlearner {
 public:
  struct Params {
    double share = 0.5;
    std::int64_t epochs = 5;
    double learning_rate = 0.1;
    std::int64_t batch_size = 64;
  };
  explicit Salun(const Params& p) : p_(p) {}
  bool needs_forget_labels() const override { return true; }
  UnlearnedModel unlearn(const UnlearningContext& ctx) override {
    const UnlearningData& d = *ctx.data;
    Eigen::MatrixXd forget_gradient;
    models::linear_objective(ctx.model, d.forget_z, d.forget_y, *ctx.original, &forget_gradient, false);
    const Eigen::MatrixXd mask = saliency_mask(forget_gradient, p_.share);
    std::mt19937_64 rng(ctx.seed);
    const Eigen::Index nr = d.retain_z.rows(), nf = d.forget_z.rows();
    Eigen::MatrixXd z(nr + nf, d.retain_z.cols());
    z << d.retain_z, d.forget_z;
    Eigen::VectorXi y(nr + nf);
    y << d.retain_y, random_other_labels(d.forget_y, d.num_classes, rng);
    const DescentOptions o{p_.epochs, p_.learning_rate, p_.batch_size};
    return {{descend(ctx.model, *ctx.original, {&z, &y, 1.0}, {}, o, rng(), &mask)}, {}};
  }

 private:
  Params p_;
};

}  // namespace

SB_REGISTER_UNLEARNER(Salun, "salun")
    .describe("random-label fine-tuning of the parameters most salient to the forget loss only")
    .paper("Fan, Liu, Zhang, Wei, Wong & Liu (2024), SalUn, ICLR")
    .field(&Salun::Params::share, "share", 0.0, 1.0, "share of parameters updated (largest |forget gradient|)")
    .field(&Salun::Params::epochs, "epochs", 0, 100000, "passes over retain + forget rows")
    .field(&Salun::Params::learning_rate, "learning_rate", 0.0, 100.0, "step size")
    .field(&Salun::Params::batch_size, "batch_size", 1, 10000000, "rows per step");

}  // namespace sb::unlearning
