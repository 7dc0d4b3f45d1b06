// Retraining from scratch on the retain rows: the exact unlearning the
// oracle defines, listed as a method for its cost (speedup = 1 up to timing noise).
// Every base model: the MLP retrains from the original's seed (so it is the oracle itself).
// Paper: Cao & Yang (2015), Towards making systems forget with machine unlearning, IEEE S&P (the baseline).
#include "benchmarks/unlearning/protocol.h"

namespace sb::unlearning {
namespace {

class Retrain : public Unlearner {
 public:
  UnlearnedModel unlearn(const UnlearningContext& ctx) override {
    return {{fit_base(ctx, ctx.data->retain, ctx.base_seed)}, {}};
  }
  bool sequential() const override { return true; }  // no state: each request refits the rows still kept
  bool regression() const override { return true; }
  std::vector<BaseKind> bases() const override { return {BaseKind::kLinear, BaseKind::kKnn, BaseKind::kMlp}; }
};

}  // namespace

SB_REGISTER_UNLEARNER(Retrain, "retrain")
    .describe("fit the base model on the retain rows from zero (the oracle itself; its cost)")
    .paper("Cao & Yang (2015), Towards making systems forget with machine unlearning, IEEE S&P");

}  // namespace sb::unlearning
