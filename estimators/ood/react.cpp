// Energy of the logits after clipping features at a training percentile.
// Paper: Sun, Guo & Li (2021), ReAct: Out-of-distribution detection with rectified activations, NeurIPS
#include <vector>

#include "estimators/ood/common.h"

namespace sb::ood {
namespace {

class React final : public Detector {
 public:
  struct Params { double percentile = 90.0; };
  explicit React(const Params& p) : percentile_(p.percentile) {}

  // Threshold c = p-th percentile of all training activations (every entry
  // of the n x m training feature matrix).
  void fit(const FitContext& ctx) override {
    const Split& train = detail::require_train(ctx, "react");
    const Eigen::MatrixXd& f = train.features;
    threshold_ = detail::percentile(std::vector<double>(f.data(), f.data() + f.size()), percentile_);
    weight_ = ctx.weight;
    bias_ = ctx.bias;
  }

  // logsumexp(W min(f, c) + b).
  Eigen::VectorXd score(const Split& split) const override {
    detail::require_features(split, weight_.cols(), "react");
    const Eigen::MatrixXd clipped = split.features.cwiseMin(threshold_);
    return detail::energy_score((clipped * weight_.transpose()).rowwise() + bias_.transpose());
  }

  double threshold() const { return threshold_; }

 private:
  double percentile_;
  double threshold_ = 0;
  Eigen::MatrixXd weight_;
  Eigen::VectorXd bias_;
};

}  // namespace
}  // namespace sb::ood

SB_REGISTER_DETECTOR(sb::ood::React, "react")
    .describe("Energy score of the logits of features clipped at the p-th percentile of training activations")
    .paper("Sun, Guo & Li (2021), ReAct: Out-of-distribution detection with rectified activations, NeurIPS")
    .field(&sb::ood::React::Params::percentile, "percentile", 0.0, 100.0, "percentile p of training activations used as the clip threshold");
