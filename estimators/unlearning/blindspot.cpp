// Blindspot unlearning (Deep Regression Unlearning), on the MLP: a
// "blindspot" network, freshly initialised and only partially trained on the
// retain rows (`blind_epochs`), has not seen the forget rows; from the
// original model, minibatch descent over retain + forget rows on
//   the retain rows' prediction loss over the batch
//   + forget_weight * output difference to the blindspot on its forget rows
//   + activation_weight * mean ||h_L(x_f) - h_L,blind(x_f)||^2.
// Regression tables (the paper's setting): the prediction loss is the mean
// (1/2) squared error and the output difference the mean squared difference
// (out(x_f) - out_blind(x_f))^2, as the paper writes it. Classification
// (adapted): the prediction loss is the cross-entropy and the output
// difference a KL(p_blind(x_f) || p(x_f)) of the predicted class
// distributions, whose gradient p - p_blind stays bounded (a squared logit
// difference made SGD diverge on 784-pixel inputs). The paper's layer-wise
// "attention" difference is taken on the last hidden layer. The forget
// labels (targets) are never read.
// Paper: Tarun, Chundawat, Mandal & Kankanhalli (2023), Deep Regression Unlearning, ICML.
#include "benchmarks/unlearning/protocol.h"
#include "harness/core/suite.h"  // derive_seed
#include "estimators/unlearning/impl/descent.h"
#include "estimators/unlearning/impl/mlp_descent.h"
#include "estimators/models/linear.h"
#include "estimators/models/sgd_mlp_regression.h"

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
    const std::uint64_t blind_seed = derive_seed(ctx.seed, "blindspot");
    const Eigen::VectorXd blind =
        d.regression() ? models::sgd_mlp_train_regression(shape, xr, d.retain_t, blind_options, blind_seed)
                       : models::sgd_mlp_train(shape, xr, d.retain_y, blind_options, blind_seed);
    const auto blind_forward = models::sgd_mlp_forward(shape, blind, xf);
    // Classification: the blindspot's class distributions; regression: its outputs.
    const Eigen::MatrixXd blind_targets =
        d.regression() ? blind_forward.logits : Eigen::MatrixXd(models::softmax_rows(blind_forward.logits));
    const Eigen::VectorXd theta = mlp_descend(
        ctx.original->col(0), xr.rows(), xf.rows(), p_.epochs, p_.batch_size, p_.learning_rate, ctx.seed,
        [&](const Eigen::VectorXd& t, const std::vector<Eigen::Index>& r, const std::vector<Eigen::Index>& f) {
          const Eigen::MatrixXd hidden = mlp_rows(blind_forward.hidden.back(), f);
          const Eigen::MatrixXd target = mlp_rows(blind_targets, f), xb = mlp_rows(xf, f);
          if (d.regression())
            return Eigen::VectorXd(
                mlp_squared_error_gradient(shape, t, mlp_rows(xr, r), models::select_rows(d.retain_t, r)) +
                mlp_hidden_distance_gradient(shape, t, xb, &hidden, p_.activation_weight, &target, p_.forget_weight));
          return Eigen::VectorXd(
              mlp_cross_entropy_gradient(shape, t, mlp_rows(xr, r), select_labels(d.retain_y, r)) +
              mlp_soft_label_gradient(shape, t, xb, target, p_.forget_weight) +
              mlp_hidden_distance_gradient(shape, t, xb, &hidden, p_.activation_weight));
        });
    return {{theta}, {}};
  }
  bool regression() const override { return true; }
  std::vector<BaseKind> bases() const override { return {BaseKind::kMlp}; }

 private:
  Params p_;
};

}  // namespace

SB_REGISTER_UNLEARNER(Blindspot, "blindspot")
    .describe("mlp: retain loss plus matching a partially trained blindspot network's predictions and "
              "last-hidden activations on the forget rows (regression and classification)")
    .paper("Tarun, Chundawat, Mandal & Kankanhalli (2023), Deep Regression Unlearning, ICML")
    .field(&Blindspot::Params::blind_epochs, "blind_epochs", 0, 100000, "epochs of the blindspot network on retain")
    .field(&Blindspot::Params::epochs, "epochs", 0, 100000, "passes over retain + forget rows")
    .field(&Blindspot::Params::learning_rate, "learning_rate", 0.0, 100.0, "step size")
    .field(&Blindspot::Params::batch_size, "batch_size", 1, 10000000, "rows per step")
    .field(&Blindspot::Params::forget_weight, "forget_weight", 0.0, 1e6, "weight of the output difference to the blindspot (regression: squared; classification: KL)")
    .field(&Blindspot::Params::activation_weight, "activation_weight", 0.0, 1e6,
           "weight of the last-hidden activation difference");

}  // namespace sb::unlearning
