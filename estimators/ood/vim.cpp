// Virtual logit from the feature residual outside the principal subspace.
// Paper: Wang, Li, Feng & Zhang (2022), ViM: Out-of-distribution with virtual-logit matching, CVPR
#include <algorithm>

#include "estimators/ood/common.h"
#include "harness/core/errors.h"

namespace sb::ood {
namespace {

class VirtualLogitMatching final : public Detector {
 public:
  struct Params {
    std::int64_t dim = 0;
    double alpha = 0.0;
  };
  explicit VirtualLogitMatching(const Params& p)
      : dim_(p.dim), alpha_param_(p.alpha) {}

  // Residual space as in the paper (origin -pinv(W) b, uncentred moment).
  // alpha = mean training max-logit / mean training residual norm unless
  // given; dim = 0 picks m / 2.
  void fit(const FitContext& ctx) override {
    const Split& train = detail::require_train(ctx, "vim");
    const long m = train.features.cols();
    const long dim = dim_ > 0 ? dim_ : std::max<long>(1, m / 2);
    subspace_ = detail::fit_residual_subspace(train.features, ctx.weight, ctx.bias, dim);
    num_classes_ = ctx.num_classes;
    if (alpha_param_ > 0) {
      alpha_ = alpha_param_;
    } else {
      const double mean_max_logit = detail::train_logits(ctx).rowwise().maxCoeff().mean();
      const double mean_residual = detail::residual_norms(subspace_, train.features).mean();
      SB_THROW_IF_NOT(MethodError, mean_residual > 0,
                      "vim: training features have no residual outside the {}-dim principal "
                      "subspace; alpha is undefined", dim);
      alpha_ = mean_max_logit / mean_residual;
    }
  }

  // logsumexp(logits) - alpha ||(f - u) R||: the energy minus the virtual
  // logit (equivalently -log of the virtual class's softmax probability,
  // up to a monotone map).
  Eigen::VectorXd score(const Split& split) const override {
    detail::require_features(split, subspace_.origin.size(), "vim");
    detail::require_logits(split, num_classes_, "vim");
    return detail::logsumexp_rows(split.logits) - alpha_ * detail::residual_norms(subspace_, split.features);
  }

  double alpha() const { return alpha_; }

 private:
  long dim_;
  double alpha_param_;
  double alpha_ = 0;
  long num_classes_ = -1;
  detail::ResidualSubspace subspace_;
};

}  // namespace
}  // namespace sb::ood

SB_REGISTER_DETECTOR(sb::ood::VirtualLogitMatching, "vim")
    .describe("logsumexp(logits) - alpha * norm of the feature residual outside the principal subspace")
    .paper("Wang, Li, Feng & Zhang (2022), ViM: Out-of-distribution with virtual-logit matching, CVPR")
    .field(&sb::ood::VirtualLogitMatching::Params::dim, "dim", 0, 100000, "principal subspace dimension D (0 = m / 2, must be < m)")
    .field(&sb::ood::VirtualLogitMatching::Params::alpha, "alpha", 0.0, 1e6, "virtual-logit scale (0 = mean max-logit / mean residual on training data)");
