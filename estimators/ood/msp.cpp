// Maximum softmax probability: the classifier's confidence as the score.
// Paper: Hendrycks & Gimpel (2017), A baseline for detecting misclassified and out-of-distribution examples in neural networks, ICLR
#include "estimators/ood/common.h"

namespace sb::ood {
namespace {

class MaxSoftmax final : public Detector {
 public:
  void fit(const FitContext& ctx) override { num_classes_ = ctx.num_classes; }
  Eigen::VectorXd score(const Split& split) const override {
    detail::require_logits(split, num_classes_, "msp");
    return models::softmax_rows(split.logits).rowwise().maxCoeff();
  }

 private:
  long num_classes_ = -1;
};

}  // namespace
}  // namespace sb::ood

SB_REGISTER_DETECTOR(sb::ood::MaxSoftmax, "msp")
    .describe("Largest softmax probability")
    .paper("Hendrycks & Gimpel (2017), A baseline for detecting misclassified and out-of-distribution examples in neural networks, ICLR");
