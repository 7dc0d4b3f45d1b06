// Energy score with final-layer weights sparsified by their contribution.
// Paper: Sun & Li (2022), DICE: Leveraging sparsification for out-of-distribution detection, ECCV
#include <vector>

#include "estimators/ood/common.h"

namespace sb::ood {
namespace {

class Dice final : public Detector {
 public:
  struct Params { double percentile = 90.0; };
  explicit Dice(const Params& p) : percentile_(p.percentile) {}

  // Contribution V_cj = W_cj * mean_j (mean training feature); keep the
  // weights whose contribution exceeds the p-th percentile of V, zero the rest.
  void fit(const FitContext& ctx) override {
    const Split& train = detail::require_train(ctx, "dice");
    const Eigen::RowVectorXd mean = train.features.colwise().mean();
    const Eigen::MatrixXd contrib = ctx.weight.array().rowwise() * mean.array();
    const double threshold = detail::percentile(
        std::vector<double>(contrib.data(), contrib.data() + contrib.size()), percentile_);
    sparse_weight_ = (contrib.array() > threshold).select(ctx.weight, 0.0);
    bias_ = ctx.bias;
  }

  Eigen::VectorXd score(const Split& split) const override {
    detail::require_features(split, sparse_weight_.cols(), "dice");
    return detail::energy_score((split.features * sparse_weight_.transpose()).rowwise() +
                                bias_.transpose());
  }

  const Eigen::MatrixXd& sparse_weight() const { return sparse_weight_; }

 private:
  double percentile_;
  Eigen::MatrixXd sparse_weight_;
  Eigen::VectorXd bias_;
};

}  // namespace
}  // namespace sb::ood

SB_REGISTER_DETECTOR(sb::ood::Dice, "dice")
    .describe("Energy score with final-layer weights kept only where W_cj * mean feature_j exceeds its p-th percentile")
    .paper("Sun & Li (2022), DICE: Leveraging sparsification for out-of-distribution detection, ECCV")
    .field(&sb::ood::Dice::Params::percentile, "percentile", 0.0, 100.0, "sparsity p: the weights with the lowest p% contributions are dropped");
