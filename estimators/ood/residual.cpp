// Norm of the feature residual outside the principal subspace, negated.
// Paper: Wang, Li, Feng & Zhang (2022), ViM: Out-of-distribution with virtual-logit matching, CVPR
#include <algorithm>

#include "estimators/ood/common.h"

namespace sb::ood {
namespace {

class Residual final : public Detector {
 public:
  struct Params { std::int64_t dim = 0; };
  explicit Residual(const Params& p) : dim_(p.dim) {}
  void fit(const FitContext& ctx) override {
    const Split& train = detail::require_train(ctx, "residual");
    const long m = train.features.cols();
    subspace_ = detail::fit_residual_subspace(train.features, ctx.weight, ctx.bias,
                                              dim_ > 0 ? dim_ : std::max<long>(1, m / 2));
  }
  Eigen::VectorXd score(const Split& split) const override {
    detail::require_features(split, subspace_.origin.size(), "residual");
    return -detail::residual_norms(subspace_, split.features);
  }

 private:
  long dim_;
  detail::ResidualSubspace subspace_;
};

}  // namespace
}  // namespace sb::ood

SB_REGISTER_DETECTOR(sb::ood::Residual, "residual")
    .describe("-norm of the feature residual outside the principal subspace (ViM's Residual baseline)")
    .paper("Wang, Li, Feng & Zhang (2022), ViM: Out-of-distribution with virtual-logit matching, CVPR")
    .field(&sb::ood::Residual::Params::dim, "dim", 0, 100000, "principal subspace dimension D (0 = m / 2, must be < m)");
