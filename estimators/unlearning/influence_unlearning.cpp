// Influence-function unlearning: one step with the Hessian of the full
// training objective at the original model (known before any request, so
// its factorisation is training-time work),
//   theta- = theta + H_D(theta)^{-1} sum_{i in F} grad loss_i(theta),
// the first-order (influence) estimate of retraining without F. It differs
// from newton-removal only by using H_D instead of the retain Hessian H_R.
// Paper: Koh & Liang (2017), Understanding Black-box Predictions via Influence Functions, ICML (removal form);
// used for unlearning by Warnecke et al. (2023), Machine Unlearning of Features and Labels, NDSS.
#include <optional>

#include "benchmarks/unlearning/unlearning.h"
#include "harness/core/errors.h"

namespace sb::unlearning {
namespace {

class InfluenceUnlearning : public Unlearner {
 public:
  void train(const UnlearningContext& ctx) override {
    const auto dims = ctx.original->size();
    if (dims <= 3000) factor_.emplace(models::linear_hessian(ctx.model, ctx.data->train_z, *ctx.original));
  }

  bool needs_forget_labels() const override { return true; }
  UnlearnedModel unlearn(const UnlearningContext& ctx) override {
    const UnlearningData& d = *ctx.data;
    const Eigen::MatrixXd& theta = *ctx.original;
    Eigen::MatrixXd forget_gradient;
    linear_objective(ctx.model, d.forget_rows(), theta, &forget_gradient, false);
    Eigen::MatrixXd step;
    if (factor_) {
      const Eigen::VectorXd s = factor_->solve(forget_gradient.reshaped());
      step = s.reshaped(theta.rows(), theta.cols());
    } else {
      step = models::solve_linear_hessian(ctx.model, d.train_z, theta, forget_gradient);
    }
    return {{theta + step}, {}};
  }
  // Least squares: the step is exact but for its Hessian, H_D where the retain optimum needs H_R.
  bool regression() const override { return true; }

 private:
  std::optional<Eigen::LLT<Eigen::MatrixXd>> factor_;  // H_D, when small enough to factor
};

}  // namespace

SB_REGISTER_UNLEARNER(InfluenceUnlearning, "influence-unlearning")
    .describe("one influence step theta + H_D^{-1} sum_F grad loss_i, with the full-data Hessian (factored at training)")
    .paper("Koh & Liang (2017), ICML; Warnecke, Pirch, Wressnegger & Rieck (2023), Machine Unlearning of Features "
           "and Labels, NDSS");

}  // namespace sb::unlearning
