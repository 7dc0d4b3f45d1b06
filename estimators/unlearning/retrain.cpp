// Retraining from scratch on the retain rows: the exact unlearning the
// oracle defines, listed as a method for its cost (speedup = 1 up to timing noise).
// Paper: Cao & Yang (2015), Towards making systems forget with machine unlearning, IEEE S&P (the baseline).
#include "benchmarks/unlearning/unlearning.h"

namespace sb::unlearning {
namespace {

class Retrain : public Unlearner {
 public:
  UnlearnedModel unlearn(const UnlearningContext& ctx) override {
    const UnlearningData& d = *ctx.data;
    return {{models::fit_linear(ctx.model, d.retain_z, d.retain_y, d.num_classes)}, {}};
  }
};

}  // namespace

SB_REGISTER_UNLEARNER(Retrain, "retrain")
    .describe("fit the base model on the retain rows from zero (the oracle itself; its cost)")
    .paper("Cao & Yang (2015), Towards making systems forget with machine unlearning, IEEE S&P");

}  // namespace sb::unlearning
