// Random labels: each forget row gets a label drawn uniformly from the
// other classes ((y + U{1..k-1}) mod k), then minibatch SGD fine-tunes on the
// retain rows together with the relabelled forget rows.
// Paper: Golatkar, Achille & Soatto (2020), CVPR (random-label baseline); the RL baseline of
// Fan et al. (2024), SalUn, ICLR.
#include <random>

#include "benchmarks/unlearning/unlearning.h"
#include "estimators/unlearning/impl/descent.h"

namespace sb::unlearning {
namespace {

class RandomLabels : public Unlearner {
 public:
  using Params = DescentOptions;
  explicit RandomLabels(const Params& p) : p_(p) {}
  bool needs_forget_labels() const override { return true; }
  UnlearnedModel unlearn(const UnlearningContext& ctx) override {
    const UnlearningData& d = *ctx.data;
    std::mt19937_64 rng(ctx.seed);
    const Eigen::Index nr = d.retain_z.rows(), nf = d.forget_z.rows();
    Eigen::MatrixXd z(nr + nf, d.retain_z.cols());
    z << d.retain_z, d.forget_z;
    Eigen::VectorXi y(nr + nf);
    y << d.retain_y, random_other_labels(d.forget_y, d.num_classes, rng);
    return {{descend(ctx.model, *ctx.original, {&z, &y, 1.0}, {}, p_, rng())}, {}};
  }

 private:
  Params p_;
};

}  // namespace

SB_REGISTER_UNLEARNER(RandomLabels, "random-labels")
    .describe("fine-tune on the retain rows plus the forget rows relabelled uniformly among the other classes")
    .paper("Golatkar, Achille & Soatto (2020), CVPR; Fan et al. (2024), SalUn, ICLR (RL baseline)")
    .field(&DescentOptions::epochs, "epochs", 0, 100000, "passes over retain + forget rows")
    .field(&DescentOptions::learning_rate, "learning_rate", 0.0, 100.0, "step size")
    .field(&DescentOptions::batch_size, "batch_size", 1, 10000000, "rows per step");

}  // namespace sb::unlearning
