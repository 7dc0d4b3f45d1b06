// Fine-tuning on the retain rows: minibatch SGD on L_R / n_r from the
// original model, relying on "catastrophic forgetting" of the forget rows.
// Run to convergence it reaches the retrain oracle (L_R is strongly convex).
// Paper: Warnecke et al. (2023), NDSS; the FT baseline of Golatkar, Achille & Soatto (2020), CVPR.
#include "benchmarks/unlearning/unlearning.h"
#include "estimators/unlearning/impl/descent.h"

namespace sb::unlearning {
namespace {

class Finetune : public Unlearner {
 public:
  using Params = DescentOptions;
  explicit Finetune(const Params& p) : p_(p) {}
  UnlearnedModel unlearn(const UnlearningContext& ctx) override {
    const UnlearningData& d = *ctx.data;
    return {{descend(ctx.model, *ctx.original, descent_part(d.retain_rows(), 1.0), {}, p_, ctx.seed)}, {}};
  }
  bool regression() const override { return true; }

 private:
  Params p_;
};

}  // namespace

SB_REGISTER_UNLEARNER(Finetune, "finetune")
    .describe("minibatch SGD on the retain objective from the original model")
    .paper("Golatkar, Achille & Soatto (2020), Eternal Sunshine of the Spotless Net, CVPR (fine-tune baseline)")
    .field(&DescentOptions::epochs, "epochs", 0, 100000, "passes over the retain rows")
    .field(&DescentOptions::learning_rate, "learning_rate", 0.0, 100.0, "step size")
    .field(&DescentOptions::batch_size, "batch_size", 1, 10000000, "rows per step");

}  // namespace sb::unlearning
