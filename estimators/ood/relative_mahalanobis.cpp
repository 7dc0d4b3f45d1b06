// Mahalanobis distance minus that under one background Gaussian of all data.
// Paper: Ren, Fort, Liu, Roy, Padhy & Lakshminarayanan (2021), A simple fix to Mahalanobis distance for improving near-OOD detection, arXiv:2106.09022
#include "estimators/ood/common.h"

namespace sb::ood {
namespace {

class RelativeMahalanobis final : public Detector {
 public:
  void fit(const FitContext& ctx) override {
    const Split& train = detail::require_train(ctx, "relative-mahalanobis");
    classes_ = detail::fit_class_gaussians(train.features, train.labels, ctx.num_classes);
    background_ = detail::fit_class_gaussians(
        train.features, Eigen::VectorXi::Zero(train.features.rows()), 1);
  }
  // -min_c (MD_c(f) - MD_0(f)); MD_0 uses the mean and covariance of all
  // training features together.
  Eigen::VectorXd score(const Split& split) const override {
    detail::require_features(split, classes_.whitening.rows(), "relative-mahalanobis");
    return detail::min_class_distance(background_, split.features) -
           detail::min_class_distance(classes_, split.features);
  }

 private:
  detail::ClassGaussians classes_;
  detail::ClassGaussians background_;
};

}  // namespace
}  // namespace sb::ood

SB_REGISTER_DETECTOR(sb::ood::RelativeMahalanobis, "relative-mahalanobis")
    .describe("-min_c (Mahalanobis_c - Mahalanobis to a background Gaussian of all training features)")
    .paper("Ren, Fort, Liu, Roy, Padhy & Lakshminarayanan (2021), A simple fix to Mahalanobis distance for improving near-OOD detection, arXiv:2106.09022");
