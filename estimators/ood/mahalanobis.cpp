// Class-conditional Gaussians with a shared covariance on the features.
// Paper: Lee, Lee, Lee & Shin (2018), A simple unified framework for detecting out-of-distribution samples and adversarial attacks, NeurIPS
#include <limits>
#include <vector>

#include "estimators/ood/common.h"

namespace sb::ood {
namespace {

class Mahalanobis final : public Detector {
 public:
  void fit(const FitContext& ctx) override {
    const Split& train = detail::require_train(ctx, "mahalanobis");
    gaussians_ = detail::fit_class_gaussians(train.features, train.labels, ctx.num_classes);
  }
  // -min_c (f - mu_c)^T Sigma^+ (f - mu_c). Single layer, no input
  // preprocessing and no feature ensemble (the paper's base variant).
  Eigen::VectorXd score(const Split& split) const override {
    detail::require_features(split, gaussians_.whitening.rows(), "mahalanobis");
    return -detail::min_class_distance(gaussians_, split.features);
  }

 private:
  detail::ClassGaussians gaussians_;
};

}  // namespace
}  // namespace sb::ood

SB_REGISTER_DETECTOR(sb::ood::Mahalanobis, "mahalanobis")
    .describe("-min_c squared Mahalanobis distance to class means (shared covariance)")
    .paper("Lee, Lee, Lee & Shin (2018), A simple unified framework for detecting out-of-distribution samples and adversarial attacks, NeurIPS");
