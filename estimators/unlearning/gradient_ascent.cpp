// Gradient ascent on the forget rows: minibatch steps that increase the
// mean loss of the forget set, from the original model (no retain term).
// Paper: Thudi, Deza, Chandrasekaran & Papernot (2022), Unrolling SGD, EuroS&P; the GA baseline of
// Jia et al. (2023), Model Sparsity Can Simplify Machine Unlearning, NeurIPS.
#include "benchmarks/unlearning/unlearning.h"
#include "estimators/unlearning/impl/descent.h"

namespace sb::unlearning {
namespace {

class GradientAscent : public Unlearner {
 public:
  struct Params {
    std::int64_t epochs = 1;
    double learning_rate = 0.01;
    std::int64_t batch_size = 64;
  };
  explicit GradientAscent(const Params& p) : p_(p) {}
  bool needs_forget_labels() const override { return true; }
  UnlearnedModel unlearn(const UnlearningContext& ctx) override {
    const UnlearningData& d = *ctx.data;
    const DescentOptions o{p_.epochs, p_.learning_rate, p_.batch_size};
    return {{descend(ctx.model, *ctx.original, {}, descent_part(d.forget_rows(), 1.0), o, ctx.seed)}, {}};
  }
  bool regression() const override { return true; }

 private:
  Params p_;
};

}  // namespace

SB_REGISTER_UNLEARNER(GradientAscent, "gradient-ascent")
    .describe("minibatch gradient ascent on the forget rows' loss from the original model")
    .paper("Thudi, Deza, Chandrasekaran & Papernot (2022), Unrolling SGD, EuroS&P")
    .field(&GradientAscent::Params::epochs, "epochs", 0, 100000, "passes over the forget rows")
    .field(&GradientAscent::Params::learning_rate, "learning_rate", 0.0, 100.0, "step size")
    .field(&GradientAscent::Params::batch_size, "batch_size", 1, 10000000, "rows per step");

}  // namespace sb::unlearning
