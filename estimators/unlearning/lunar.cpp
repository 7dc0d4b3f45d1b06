// Activation redirection, LUNAR adapted from LLMs to the MLP. LUNAR
// (Shen et al. 2025) redirects the residual-stream activations of the forget
// prompts at one layer along a steering vector towards those of prompts the
// model refuses, training only that layer's down-projection, while retain
// activations are kept. The MLP has no refusal behaviour; its analogue is the
// retain data's mean representation, whose prediction is close to the class
// prior. So here, at the last hidden layer h_L,
//   r = mean_r h0_L(x_r) - mean_f h0_L(x_f)      (the steering vector, from the original h0)
// and only the layer producing h_L moves (the MLP's analogue of the one
// trained projection: its weights and biases), by minibatch descent on
//   mean_f ||h_L(x_f) - (h0_L(x_f) + scale * r)||^2 + mean_r ||h_L(x_r) - h0_L(x_r)||^2.
// No label is read.
// Paper: Shen et al. (2025), LUNAR: LLM Unlearning via Neural Activation Redirection (arXiv 2502.07218).
#include "benchmarks/unlearning/protocol.h"
#include "estimators/unlearning/impl/mlp_descent.h"

namespace sb::unlearning {
namespace {

class Lunar : public Unlearner {
 public:
  struct Params {
    std::int64_t epochs = 10;
    double learning_rate = 0.01;
    std::int64_t batch_size = 32;
    double scale = 1.0;
  };
  explicit Lunar(const Params& p) : p_(p) {}

  UnlearnedModel unlearn(const UnlearningContext& ctx) override {
    const UnlearningData& d = *ctx.data;
    const auto& shape = ctx.base.mlp_shape;
    const Eigen::MatrixXd xr = mlp_inputs(d.retain_z), xf = mlp_inputs(d.forget_z);
    const Eigen::VectorXd& original = ctx.original->col(0);
    const Eigen::MatrixXd hr = models::sgd_mlp_forward(shape, original, xr).hidden.back();
    Eigen::MatrixXd target = models::sgd_mlp_forward(shape, original, xf).hidden.back();
    const Eigen::RowVectorXd steer = hr.colwise().mean() - target.colwise().mean();
    target.rowwise() += p_.scale * steer;
    // Plain variables, not a structured binding: the lambda below captures
    // them (clang 14, the sanitizer build's compiler, cannot capture bindings).
    const std::pair<Eigen::Index, Eigen::Index> layer = mlp_last_hidden_layer(shape);
    const Eigen::Index begin = layer.first, end = layer.second;
    const Eigen::VectorXd theta = mlp_descend(
        original, xr.rows(), xf.rows(), p_.epochs, p_.batch_size, p_.learning_rate, ctx.seed,
        [&](const Eigen::VectorXd& t, const std::vector<Eigen::Index>& r, const std::vector<Eigen::Index>& f) {
          const Eigen::MatrixXd tr = mlp_rows(hr, r), tf = mlp_rows(target, f);
          Eigen::VectorXd g = mlp_hidden_distance_gradient(shape, t, mlp_rows(xr, r), &tr, 1.0) +
                              mlp_hidden_distance_gradient(shape, t, mlp_rows(xf, f), &tf, 1.0);
          g.head(begin).setZero();  // only the layer producing h_L moves
          g.tail(g.size() - end).setZero();
          return g;
        });
    return {{theta}, {}};
  }
  std::vector<BaseKind> bases() const override { return {BaseKind::kMlp}; }

 private:
  Params p_;
};

}  // namespace

SB_REGISTER_UNLEARNER(Lunar, "lunar")
    .describe("mlp, no labels: redirect the forget rows' last-hidden activations along (retain mean - forget "
              "mean), training only the layer that produces them; retain activations kept")
    .paper("Shen et al. (2025), LUNAR: LLM Unlearning via Neural Activation Redirection, arXiv 2502.07218 "
           "(adapted to the MLP's last hidden layer)")
    .field(&Lunar::Params::epochs, "epochs", 0, 100000, "passes over retain + forget rows")
    .field(&Lunar::Params::learning_rate, "learning_rate", 0.0, 100.0, "step size")
    .field(&Lunar::Params::batch_size, "batch_size", 1, 10000000, "rows per step")
    .field(&Lunar::Params::scale, "scale", 0.0, 1e6, "length of the redirection, in steering vectors");

}  // namespace sb::unlearning
