// Largest unnormalised logit (keeps the magnitude softmax discards).
// Paper: Hendrycks et al. (2022), Scaling out-of-distribution detection for real-world settings, ICML
#include "estimators/ood/common.h"

namespace sb::ood {
namespace {

class MaxLogit final : public Detector {
 public:
  void fit(const FitContext& ctx) override { num_classes_ = ctx.num_classes; }
  Eigen::VectorXd score(const Split& split) const override {
    detail::require_logits(split, num_classes_, "max-logit");
    return split.logits.rowwise().maxCoeff();
  }

 private:
  long num_classes_ = -1;
};

}  // namespace
}  // namespace sb::ood

SB_REGISTER_DETECTOR(sb::ood::MaxLogit, "max-logit")
    .describe("Largest logit")
    .paper("Hendrycks et al. (2022), Scaling out-of-distribution detection for real-world settings, ICML");
