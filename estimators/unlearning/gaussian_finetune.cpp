// Gaussian fine-tuning (Deep Regression Unlearning), on the MLP: where
// random-label fine-tuning gives each forget row a random label, GFT gives it
// a random output drawn from a Gaussian fitted to the model's outputs (per
// output, the mean and sd of the original model's outputs over the retain
// rows), then minibatch descent over retain + forget rows on the retain
// rows' prediction loss + forget_weight * the forget rows' distance to their
// drawn outputs.
// Regression tables (the paper's setting): the outputs are the predictions,
// the prediction loss the mean (1/2) squared error and the distance the mean
// squared error to the drawn output. Classification (adapted): the outputs
// are the logits, the loss the cross-entropy and the distance the KL from
// the softmax of the drawn logits (bounded gradients, where a squared logit
// error made SGD diverge on 784-pixel inputs).
// The forget labels (targets) are never read.
// Paper: Tarun, Chundawat, Mandal & Kankanhalli (2023), Deep Regression Unlearning, ICML.
#include "estimators/unlearning/gaussian_finetune.h"

#include "benchmarks/unlearning/protocol.h"
#include "harness/core/suite.h"  // derive_seed
#include "datasets/random.h"
#include "estimators/unlearning/impl/descent.h"
#include "estimators/unlearning/impl/mlp_descent.h"
#include "estimators/models/linear.h"

namespace sb::unlearning {

Eigen::MatrixXd gaussian_logit_targets(const Eigen::MatrixXd& logits, Eigen::Index m, std::mt19937_64& rng) {
  const Eigen::RowVectorXd mean = logits.colwise().mean();
  const Eigen::RowVectorXd sd =
      ((logits.rowwise() - mean).array().square().colwise().sum() / static_cast<double>(logits.rows())).sqrt();
  Eigen::MatrixXd out(m, logits.cols());
  for (Eigen::Index i = 0; i < m; ++i)
    for (Eigen::Index c = 0; c < logits.cols(); ++c) out(i, c) = mean(c) + sd(c) * data::standard_normal(rng);
  return out;
}

namespace {

class GaussianFinetune : public Unlearner {
 public:
  struct Params {
    std::int64_t epochs = 5;
    double learning_rate = 0.05;
    std::int64_t batch_size = 32;
    double forget_weight = 1.0;
  };
  explicit GaussianFinetune(const Params& p) : p_(p) {}

  UnlearnedModel unlearn(const UnlearningContext& ctx) override {
    const UnlearningData& d = *ctx.data;
    const auto& shape = ctx.base.mlp_shape;
    const Eigen::MatrixXd xr = mlp_inputs(d.retain_z), xf = mlp_inputs(d.forget_z);
    std::mt19937_64 rng(derive_seed(ctx.seed, "gaussian-targets"));
    const Eigen::MatrixXd drawn =
        gaussian_logit_targets(models::sgd_mlp_forward(shape, ctx.original->col(0), xr).logits, xf.rows(), rng);
    const Eigen::MatrixXd targets = d.regression() ? drawn : Eigen::MatrixXd(models::softmax_rows(drawn));
    const Eigen::VectorXd theta = mlp_descend(
        ctx.original->col(0), xr.rows(), xf.rows(), p_.epochs, p_.batch_size, p_.learning_rate, ctx.seed,
        [&](const Eigen::VectorXd& t, const std::vector<Eigen::Index>& r, const std::vector<Eigen::Index>& f) {
          const Eigen::MatrixXd target = mlp_rows(targets, f), xb = mlp_rows(xf, f);
          if (d.regression())
            return Eigen::VectorXd(
                mlp_squared_error_gradient(shape, t, mlp_rows(xr, r), models::select_rows(d.retain_t, r)) +
                mlp_hidden_distance_gradient(shape, t, xb, nullptr, 0.0, &target, p_.forget_weight));
          return Eigen::VectorXd(
              mlp_cross_entropy_gradient(shape, t, mlp_rows(xr, r), select_labels(d.retain_y, r)) +
              mlp_soft_label_gradient(shape, t, xb, target, p_.forget_weight));
        });
    return {{theta}, {}};
  }
  bool regression() const override { return true; }
  std::vector<BaseKind> bases() const override { return {BaseKind::kMlp}; }

 private:
  Params p_;
};

}  // namespace

SB_REGISTER_UNLEARNER(GaussianFinetune, "gaussian-finetune")
    .describe("mlp: retain loss plus pulling the forget rows' outputs to outputs drawn from a Gaussian fitted to "
              "the retain outputs (regression: predictions; classification: softmax of drawn logits)")
    .paper("Tarun, Chundawat, Mandal & Kankanhalli (2023), Deep Regression Unlearning, ICML (Gaussian fine tuning)")
    .field(&GaussianFinetune::Params::epochs, "epochs", 0, 100000, "passes over retain + forget rows")
    .field(&GaussianFinetune::Params::learning_rate, "learning_rate", 0.0, 100.0, "step size")
    .field(&GaussianFinetune::Params::batch_size, "batch_size", 1, 10000000, "rows per step")
    .field(&GaussianFinetune::Params::forget_weight, "forget_weight", 0.0, 1e6, "weight of the forget term");

}  // namespace sb::unlearning
