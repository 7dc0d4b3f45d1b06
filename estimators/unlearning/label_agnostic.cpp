// Label-agnostic forgetting by representation alignment, on the MLP. LAF
// (Shen et al. 2024) unlearns without any labels in two stages: it first
// updates the representation extractor so that the forget data's
// representations depart from what the original extractor gives them while
// the remaining data's are kept, then aligns the new extractor's
// representations of the remaining data with the original's (a supervised
// contrastive step in the paper). Adapted here: the extractor is every layer
// up to the last hidden layer h_L and the classifier head is frozen; the
// paper's VAE of the remaining data's representations becomes an isotropic
// Gaussian at their mean mu_r = mean_r h0_L(x_r), so that "the forget data
// look like remaining data to the extractor" is the squared distance to mu_r
// (a departure from h0_L(x_f) itself would have zero gradient at the start):
//   stage 1 (`epochs`): descent on mean_r ||h_L(x_r) - h0_L(x_r)||^2 + beta * mean_f ||h_L(x_f) - mu_r||^2
//   stage 2 (`align_epochs`): descent on mean_r ||h_L(x_r) - h0_L(x_r)||^2 alone,
// h0 the original's representations. No label of any row is read. (Unlike
// `lunar`, which trains one layer towards a shifted copy of each forget
// activation, every extractor layer moves and the forget activations collapse
// towards one point.)
// Paper: Shen et al. (2024), Label-Agnostic Forgetting: A Supervision-Free Unlearning
// in Deep Models, ICLR.
#include "benchmarks/unlearning/protocol.h"
#include "harness/core/suite.h"  // derive_seed
#include "estimators/unlearning/impl/mlp_descent.h"

namespace sb::unlearning {
namespace {

class LabelAgnostic : public Unlearner {
 public:
  struct Params {
    std::int64_t epochs = 3;
    std::int64_t align_epochs = 2;
    double beta = 1.0;
    double learning_rate = 0.01;
    std::int64_t batch_size = 32;
  };
  explicit LabelAgnostic(const Params& p) : p_(p) {}

  UnlearnedModel unlearn(const UnlearningContext& ctx) override {
    const UnlearningData& d = *ctx.data;
    const auto& shape = ctx.base.mlp_shape;
    const Eigen::MatrixXd xr = mlp_inputs(d.retain_z), xf = mlp_inputs(d.forget_z);
    const Eigen::VectorXd& original = ctx.original->col(0);
    const Eigen::MatrixXd hr = models::sgd_mlp_forward(shape, original, xr).hidden.back();
    const Eigen::MatrixXd hf =
        hr.colwise().mean().replicate(xf.rows(), 1);  // mu_r: the forget rows' target
    const Eigen::Index head = mlp_output_layer_begin(shape);
    auto stage = [&](Eigen::VectorXd theta, std::int64_t epochs, double beta, Eigen::Index n_forget,
                     std::uint64_t seed) {
      return mlp_descend(
          std::move(theta), xr.rows(), n_forget, epochs, p_.batch_size, p_.learning_rate, seed,
          [&](const Eigen::VectorXd& t, const std::vector<Eigen::Index>& r, const std::vector<Eigen::Index>& f) {
            const Eigen::MatrixXd tr = mlp_rows(hr, r), tf = mlp_rows(hf, f);
            Eigen::VectorXd g = mlp_hidden_distance_gradient(shape, t, mlp_rows(xr, r), &tr, 1.0);
            if (beta != 0) g += beta * mlp_hidden_distance_gradient(shape, t, mlp_rows(xf, f), &tf, 1.0);
            g.tail(g.size() - head).setZero();  // the classifier head is frozen
            return g;
          });
    };
    Eigen::VectorXd theta = stage(original, p_.epochs, p_.beta, xf.rows(), derive_seed(ctx.seed, "laf/extract"));
    theta = stage(std::move(theta), p_.align_epochs, 0.0, 0, derive_seed(ctx.seed, "laf/align"));
    return {{theta}, {}};
  }
  std::vector<BaseKind> bases() const override { return {BaseKind::kMlp}; }

 private:
  Params p_;
};

}  // namespace

SB_REGISTER_UNLEARNER(LabelAgnostic, "label-agnostic")
    .describe("mlp, no labels: pull the forget rows' last-hidden representations to the retain rows' mean while "
              "keeping the retain rows', then realign the retain representations (head frozen)")
    .paper("Shen et al. (2024), Label-Agnostic Forgetting: A Supervision-Free Unlearning in Deep Models, ICLR")
    .field(&LabelAgnostic::Params::epochs, "epochs", 0, 100000, "stage 1: passes over retain + forget rows")
    .field(&LabelAgnostic::Params::align_epochs, "align_epochs", 0, 100000, "stage 2: passes over retain rows")
    .field(&LabelAgnostic::Params::beta, "beta", 0.0, 1e6, "stage 1: weight of the forget term")
    .field(&LabelAgnostic::Params::learning_rate, "learning_rate", 0.0, 100.0, "step size")
    .field(&LabelAgnostic::Params::batch_size, "batch_size", 1, 10000000, "rows per step");

}  // namespace sb::unlearning
