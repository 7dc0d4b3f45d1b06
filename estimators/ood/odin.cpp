// Temperature-scaled max softmax after a small step that raises it.
// Paper: Liang, Li & Srikant (2018), Enhancing the reliability of out-of-distribution image detection in neural networks, ICLR
#include "estimators/ood/common.h"

namespace sb::ood {
namespace {

Eigen::MatrixXd sign(const Eigen::MatrixXd& x) {
  return x.unaryExpr([](double v) { return v > 0 ? 1.0 : (v < 0 ? -1.0 : 0.0); });
}

class Odin final : public Detector {
 public:
  struct Params {
    double temperature = 1000.0;
    double epsilon = 0.0014;
  };
  explicit Odin(const Params& p)
      : temperature_(p.temperature), epsilon_(p.epsilon) {}

  void fit(const FitContext& ctx) override {
    detail::require_train(ctx, "odin");
    model_ = ctx.model;  // owned by the suite, outlives the detector's cell
    weight_ = ctx.weight;
    bias_ = ctx.bias;
  }

  // x' = x - eps * sign(grad_x [-log softmax(logits(x) / T)_yhat]), then the
  // max of softmax(logits(x') / T). Without a model or raw inputs the step
  // is taken on the penultimate features f (logits = W f + b) instead.
  Eigen::VectorXd score(const Split& split) const override {
    detail::require_features(split, weight_.cols(), "odin");
    Eigen::MatrixXd features;
    if (model_ != nullptr && split.inputs.cols() > 0 && split.inputs.rows() == split.features.rows()) {
      const Eigen::MatrixXd grad = model_->input_gradient(split.inputs, temperature_);
      features = model_->features(split.inputs - epsilon_ * sign(grad));
    } else {
      const Eigen::MatrixXd grad =
          models::odin_feature_gradient(logits_of(split.features), weight_, temperature_);
      features = split.features - epsilon_ * sign(grad);
    }
    return models::softmax_rows(logits_of(features), temperature_).rowwise().maxCoeff();
  }

 private:
  Eigen::MatrixXd logits_of(const Eigen::MatrixXd& f) const {
    return (f * weight_.transpose()).rowwise() + bias_.transpose();
  }

  double temperature_;
  double epsilon_;
  const Classifier* model_ = nullptr;
  Eigen::MatrixXd weight_;
  Eigen::VectorXd bias_;
};

}  // namespace
}  // namespace sb::ood

SB_REGISTER_DETECTOR(sb::ood::Odin, "odin")
    .describe("Max softmax at temperature T after an eps-step against the predicted-class loss "
              "(on inputs through the model, else on the penultimate features)")
    .paper("Liang, Li & Srikant (2018), Enhancing the reliability of out-of-distribution image detection in neural networks, ICLR")
    .field(&sb::ood::Odin::Params::temperature, "temperature", 1e-3, 1e5, "softmax temperature T")
    .field(&sb::ood::Odin::Params::epsilon, "epsilon", 0.0, 1.0, "perturbation size eps (0 = temperature scaling only)");
