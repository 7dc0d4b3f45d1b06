// Influence functions: Koh & Liang (2017), Understanding black-box predictions via influence functions, ICML
#include "estimators/selection/influence_common.h"

#include "estimators/models/ridge.h"

namespace sb::selection {

namespace {

// Regression (the ridge utility: mean squared error / 2 + (l2/2)||w||^2,
// validation R^2): the objective is quadratic, so with A = Z^T Z + n l2 P
// the influence of removing row i on the parameters is -A^{-1} z_i r_i
// (Sherman-Morrison without the leverage factor 1 / (1 - h_ii), which makes
// it the exact refit: models::RidgeSystem::without), and its value is the
// first-order change of R^2 = 1 - SSE_valid / SST_valid:
//   value_i = U(D) - U(D \ i) ~ 2 r_i z_i^T A^{-1} Z_v^T r_v / SST_valid.
Eigen::VectorXd ridge_influence_values(const ValuationContext& ctx) {
  const auto& train = ctx.data->train;
  const auto& valid = ctx.data->valid;
  const double n = static_cast<double>(train.rows());
  const models::RidgeSystem system(train.x, train.target, n * ctx.utility->options().l2);
  Eigen::MatrixXd zv(valid.rows(), valid.x.cols() + 1);
  zv << Eigen::VectorXd::Ones(valid.rows()), valid.x;
  const Eigen::VectorXd rv = valid.target - zv * system.theta();
  const double sst = (valid.target.array() - valid.target.mean()).square().sum();
  if (!(sst > 0)) return Eigen::VectorXd::Zero(train.rows());  // R^2 is 0 whatever the model
  const Eigen::VectorXd direction = system.solve(zv.transpose() * rv) * (2.0 / sst);
  Eigen::VectorXd values(train.rows());
  for (Eigen::Index i = 0; i < train.rows(); ++i) values(i) = system.residual(i) * system.z(i).dot(direction);
  return values;
}

class Influence : public Valuer {
 public:
  Eigen::VectorXd values(const ValuationContext& ctx) const override { return valuate(ctx).values; }

  Valuation valuate(const ValuationContext& ctx) const override {
    if (ctx.data->regression()) return {ridge_influence_values(ctx), {}};
    const InfluenceProblem p = influence_problem(ctx);
    const Eigen::MatrixXd h = models::softmax_hessian(ctx.data->train.x, p.model.weight, p.model.bias, p.l2);
    // The Hessian is singular along a shift of every class's logit by the same
    // amount (softmax ignores it; the bias is not penalised); every gradient is
    // orthogonal to that direction, so the minimum-norm solve is exact.
    const auto solver = h.completeOrthogonalDecomposition();
    Valuation out;
    out.values = p.values(solver.solve(p.valid_gradient));
    if (ctx.want_attribution) out.attribution = p.attribution(solver.solve(p.valid_margin_gradients().transpose()));
    return out;
  }
};

}  // namespace

SB_REGISTER_VALUER(Influence, "influence")
    .describe("Influence of each row on the validation log loss with the exact Hessian of the "
              "L2-penalised multinomial logistic regression (one fit); on a regression table, on the "
              "validation R^2 of the ridge utility (closed form)")
    .tag("task:regression")
    .paper("Koh & Liang (2017), Understanding black-box predictions via influence functions, ICML");

}  // namespace sb::selection
