// Blindspot unlearning (Deep Regression Unlearning), on the MLP: a
// "blindspot" network, freshly initialised and only partially trained on the
// retain rows (`blind_epochs`), has not seen the forget rows; from the
// original model, minibatch descent over retain + forget rows on
//   mean CE over the retain rows of the batch
//   + forget_weight * mean KL(p_blind(x_f) || p(x_f))
//   + activation_weight * mean ||h_L(x_f) - h_L,blind(x_f)||^2
// over its forget rows. Adaptations: the paper's output-difference loss on
// regression outputs is taken on the predicted class distributions (a KL,
// whose gradient p - p_blind stays bounded: a squared logit difference made
// SGD diverge on 784-pixel inputs); its layer-wise "attention" difference is
// taken on the last hidden layer; its retain prediction loss is the
// cross-entropy. The forget labels are never read.
// Paper: Tarun, Chundawat, Mandal & Kankanhalli (2023), Deep Regression Unlearning, ICML.
#include "benchmarks/unlearning/protocol.h"
#include "harness/core/suite.h"  // derive_seed
#include "estimators/unlearning/impl/descent.h"
#include "estimators/unlearning/impl/mlp_descent.h"

namespace sb::unlearning {
namespace {

class Blindspot : public Unlearner {
 public:
  struct Params {
    std::int64_t blind_epochs = 2;
    std::int64_t epochs = 5;
    double learning_rate = 0.05;
    std::int64_t batch_size = 32;
    double forget_weight = 1.0;
    double activation_weight = 0.1;
  };
  explicit Blindspot(const Params& p) : p_(p) {}

  UnlearnedModel unlearn(const UnlearningContext& ctx) override {
    const UnlearningData& d = *ctx.data;
    const auto& shape = ctx.base.mlp_shape;
    const Eigen::MatrixXd xr = mlp_inputs(d.retain_z), xf = mlp_inputs(d.forget_z);
    models::SgdMlpOptions blind_options = ctx.base.mlp_options;
    blind_options.epochs = p_.blind_epochs;
    const Eigen::VectorXd blind =
        models::sgd_mlp_train(shape, xr, d.retain_y, blind_options, derive_seed(ctx.seed, "blindspot"));
    const auto blind_forward = models::sgd_mlp_forward(shape, blind, xf);
    const Eigen::MatrixXd blind_probabilities = models::softmax_rows(blind_forward.logits);
    const Eigen::VectorXd theta = mlp_descend(
        ctx.original->col(0), xr.rows(), xf.rows(), p_.epochs, p_.batch_size, p_.learning_rate, ctx.seed,
        [&](const Eigen::VectorXd& t, const std::vector<Eigen::Index>& r, const std::vector<Eigen::Index>& f) {
          const Eigen::MatrixXd hidden = mlp_rows(blind_forward.hidden.back(), f);
          const Eigen::MatrixXd target = mlp_rows(blind_probabilities, f), xb = mlp_rows(xf, f);
          return Eigen::VectorXd(
              mlp_cross_entropy_gradient(shape, t, mlp_rows(xr, r), select_labels(d.retain_y, r)) +
              mlp_soft_label_gradient(shape, t, xb, target, p_.forget_weight) +
              mlp_hidden_distance_gradient(shape, t, xb, &hidden, p_.activation_weight));
        });
    return {{theta}, {}};
  }
  std::vector<BaseKind> bases() const override { return {BaseKind::kMlp}; }

 private:
  Params p_;
};

}  // namespace

SB_REGISTER_UNLEARNER(Blindspot, "blindspot")
    .describe("mlp: retain cross-entropy plus matching a partially trained blindspot network's predictions and "
              "last-hidden activations on the forget rows")
    .paper("Tarun, Chundawat, Mandal & Kankanhalli (2023), Deep Regression Unlearning, ICML")
    .field(&Blindspot::Params::blind_epochs, "blind_epochs", 0, 100000, "epochs of the blindspot network on retain")
    .field(&Blindspot::Params::epochs, "epochs", 0, 100000, "passes over retain + forget rows")
    .field(&Blindspot::Params::learning_rate, "learning_rate", 0.0, 100.0, "step size")
    .field(&Blindspot::Params::batch_size, "batch_size", 1, 10000000, "rows per step")
    .field(&Blindspot::Params::forget_weight, "forget_weight", 0.0, 1e6, "weight of the KL to the blindspot's predictions")
    .field(&Blindspot::Params::activation_weight, "activation_weight", 0.0, 1e6,
           "weight of the last-hidden activation difference");

}  // namespace sb::unlearning
