// NegGrad+: minibatch descent on  alpha * L_retain - (1 - alpha) * L_forget
// (per-batch means; the retain term carries the penalty), passes over the
// retain rows with forget batches cycling alongside.
// Paper: Kurmanji, Triantafillou, Hayes & Triantafillou (2023), Towards Unbounded Machine Unlearning, NeurIPS.
#include "benchmarks/unlearning/unlearning.h"
#include "estimators/unlearning/impl/descent.h"

namespace sb::unlearning {
namespace {

class NegGradPlus : public Unlearner {
 public:
  struct Params {
    double alpha = 0.9;
    std::int64_t epochs = 5;
    double learning_rate = 0.1;
    std::int64_t batch_size = 64;
  };
  explicit NegGradPlus(const Params& p) : p_(p) {}
  bool needs_forget_labels() const override { return true; }
  UnlearnedModel unlearn(const UnlearningContext& ctx) override {
    const UnlearningData& d = *ctx.data;
    const DescentOptions o{p_.epochs, p_.learning_rate, p_.batch_size};
    return {{descend(ctx.model, *ctx.original, descent_part(d.retain_rows(), p_.alpha),
                     descent_part(d.forget_rows(), 1.0 - p_.alpha), o, ctx.seed)},
            {}};
  }
  bool regression() const override { return true; }

 private:
  Params p_;
};

}  // namespace

SB_REGISTER_UNLEARNER(NegGradPlus, "neggrad-plus")
    .describe("minibatch descent on alpha * retain loss - (1 - alpha) * forget loss")
    .paper("Kurmanji, Triantafillou, Hayes & Triantafillou (2023), Towards Unbounded Machine Unlearning, NeurIPS")
    .field(&NegGradPlus::Params::alpha, "alpha", 0.0, 1.0, "weight of the retain term (1 - alpha: the forget term)")
    .field(&NegGradPlus::Params::epochs, "epochs", 0, 100000, "passes over the retain rows (alpha > 0)")
    .field(&NegGradPlus::Params::learning_rate, "learning_rate", 0.0, 100.0, "step size")
    .field(&NegGradPlus::Params::batch_size, "batch_size", 1, 10000000, "rows per step");

}  // namespace sb::unlearning
