// Final-model-only gradient attribution: Wei, Padhi, Ghosh, Dhurandhar, Ramamurthy & Chang (2024), Final-model-only data attribution with a unifying view of gradient-based methods, arXiv:2412.03906
#include "estimators/models/margin.h"
#include "estimators/selection/attribution.h"

namespace sb::selection {
namespace {

// Only the final model is used (no checkpoints, no refits beyond the model
// itself). The paper's gold standard is further training from the final
// model with row i's weight changed; its gradient-based approximations
// differ in how they expand it. Here: `steps` T of full-batch gradient
// descent with step `learning_rate` eta on the quadratic (second-order)
// model of the penalised objective around theta, whose effect of removing
// row i is delta_T = (eta / n) S_T grad loss_i with
// S_T = sum_{s<T} (I - eta H)^s. So
//   tau(i, t) = -(eta / n) grad f_t^T S_T grad loss_i.
// T = 1 is the first-order method (Grad-Dot, eta/n grad f . grad loss); as
// T grows (eta below 2 / the Hessian's largest eigenvalue) it tends to the
// influence function -grad f^T H^-1 grad loss_i / n.
class GradientFinal : public Valuer {
 public:
  struct Params {
    std::int64_t steps = 1;
    double learning_rate = 1.0;
  };
  explicit GradientFinal(const Params& p) : params_(p) {}

  Eigen::VectorXd values(const ValuationContext& ctx) const override { return valuate(ctx).values; }

  Valuation valuate(const ValuationContext& ctx) const override {
    const auto& train = ctx.data->train;
    const auto& valid = ctx.data->valid;
    const auto model = fit_all_classes(ctx, "gradient-final");
    const double l2 = ctx.utility->options().l2, eta = params_.learning_rate;
    const Eigen::MatrixXd train_gradients = models::per_example_gradients(train.x, train.y, model.weight, model.bias);
    // S_T grad f_t for every validation row (H is symmetric, so S_T acts on
    // the m validation gradients rather than the n training ones).
    const Eigen::MatrixXd margin = models::margin_gradients(valid.x, valid.y, model.weight, model.bias);
    Eigen::MatrixXd acc = Eigen::MatrixXd::Zero(margin.cols(), margin.rows());
    Eigen::MatrixXd term = margin.transpose();
    for (std::int64_t s = 0; s < params_.steps; ++s) {
      acc += term;
      if (s + 1 == params_.steps) break;
      for (Eigen::Index t = 0; t < term.cols(); ++t) {
        const Eigen::VectorXd column = term.col(t);
        term.col(t) -= eta * models::softmax_hessian_vector(train.x, model.weight, model.bias, l2, column);
      }
    }
    Valuation out;
    out.attribution = -(eta / static_cast<double>(train.rows())) * (train_gradients * acc);
    out.values = mean_attribution(out.attribution);
    return out;
  }

 private:
  Params params_;
};

}  // namespace

SB_REGISTER_VALUER(GradientFinal, "gradient-final")
    .describe("Final-model-only attribution: the margin change of T steps of further gradient descent (quadratic "
              "model) when a row is removed; T = 1 is Grad-Dot, large T the influence function (one fit)")
    .paper("Wei, Padhi, Ghosh, Dhurandhar, Ramamurthy & Chang (2024), Final-model-only data attribution with a "
           "unifying view of gradient-based methods, arXiv:2412.03906")
    .field(&GradientFinal::Params::steps, "steps", 1, 1000000, "further-training steps T (Hessian-vector products: "
                                                               "(T - 1) per validation row)")
    .field(&GradientFinal::Params::learning_rate, "learning_rate", 1e-8, 1e6, "further-training step size eta");

}  // namespace sb::selection
