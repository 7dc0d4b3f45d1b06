// Gaussian fine-tuning (Deep Regression Unlearning), on the MLP: where
// random-label fine-tuning gives each forget row a random label, GFT gives it
// a random output drawn from a Gaussian fitted to the model's outputs. Here
// the outputs are the logits: per class, the mean and sd of the original
// model's logits over the retain rows; each forget row draws a target logit
// vector t_f; then minibatch descent over retain + forget rows on
//   mean CE over the retain rows + forget_weight * mean KL(softmax(t_f) || p(x_f))
// (the paper's squared error to the drawn output becomes a KL to the drawn
// output's class distribution: bounded gradients, where a squared logit error
// made SGD diverge on 784-pixel inputs).
// The forget labels are never read.
// Paper: Tarun, Chundawat, Mandal & Kankanhalli (2023), Deep Regression Unlearning, ICML.
#include "estimators/unlearning/gaussian_finetune.h"

#include "benchmarks/unlearning/protocol.h"
#include "harness/core/suite.h"  // derive_seed
#include "datasets/random.h"
#include "estimators/unlearning/impl/descent.h"
#include "estimators/unlearning/impl/mlp_descent.h"

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
    const Eigen::MatrixXd targets = models::softmax_rows(
        gaussian_logit_targets(models::sgd_mlp_forward(shape, ctx.original->col(0), xr).logits, xf.rows(), rng));
    const Eigen::VectorXd theta = mlp_descend(
        ctx.original->col(0), xr.rows(), xf.rows(), p_.epochs, p_.batch_size, p_.learning_rate, ctx.seed,
        [&](const Eigen::VectorXd& t, const std::vector<Eigen::Index>& r, const std::vector<Eigen::Index>& f) {
          const Eigen::MatrixXd target = mlp_rows(targets, f);
          return Eigen::VectorXd(
              mlp_cross_entropy_gradient(shape, t, mlp_rows(xr, r),
                                         select_labels(d.retain_y, r)) +
              mlp_soft_label_gradient(shape, t, mlp_rows(xf, f), target, p_.forget_weight));
        });
    return {{theta}, {}};
  }
  std::vector<BaseKind> bases() const override { return {BaseKind::kMlp}; }

 private:
  Params p_;
};

}  // namespace

SB_REGISTER_UNLEARNER(GaussianFinetune, "gaussian-finetune")
    .describe("mlp: retain cross-entropy plus pulling the forget rows' predictions to the softmax of logits "
              "drawn from a Gaussian fitted to the retain logits")
    .paper("Tarun, Chundawat, Mandal & Kankanhalli (2023), Deep Regression Unlearning, ICML (Gaussian fine tuning)")
    .field(&GaussianFinetune::Params::epochs, "epochs", 0, 100000, "passes over retain + forget rows")
    .field(&GaussianFinetune::Params::learning_rate, "learning_rate", 0.0, 100.0, "step size")
    .field(&GaussianFinetune::Params::batch_size, "batch_size", 1, 10000000, "rows per step")
    .field(&GaussianFinetune::Params::forget_weight, "forget_weight", 0.0, 1e6, "weight of the forget term");

}  // namespace sb::unlearning
