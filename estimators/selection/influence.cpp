// Influence functions: Koh & Liang (2017), Understanding black-box predictions via influence functions, ICML
#include "estimators/selection/influence_common.h"

namespace sb::selection {

namespace {

class Influence : public Valuer {
 public:
  Eigen::VectorXd values(const ValuationContext& ctx) const override { return valuate(ctx).values; }

  Valuation valuate(const ValuationContext& ctx) const override {
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
              "L2-penalised multinomial logistic regression (one fit)")
    .paper("Koh & Liang (2017), Understanding black-box predictions via influence functions, ICML");

}  // namespace sb::selection
