// Influence functions: Koh & Liang (2017), Understanding black-box predictions via influence functions, ICML
#include <numeric>

#include "benchmarks/selection/selection.h"
#include "estimators/models/logistic_classifier.h"
#include "harness/core/errors.h"

namespace sb::selection {

namespace {

class Influence : public Valuer {
 public:
  Eigen::VectorXd values(const ValuationContext& ctx) const override {
    const auto& train = ctx.data->train;
    const auto& valid = ctx.data->valid;
    std::vector<Eigen::Index> all(static_cast<size_t>(train.rows()));
    std::iota(all.begin(), all.end(), Eigen::Index{0});
    const auto model = ctx.utility->fit(all);
    if (model.constant_class >= 0 || !model.bias.allFinite()) {
      throw MethodError("influence: the training split misses a class, the full-class Hessian is singular");
    }
    const double l2 = ctx.utility->options().l2;
    const Eigen::MatrixXd h = models::softmax_hessian(train.x, model.weight, model.bias, l2);
    const Eigen::VectorXd valid_gradient =
        models::per_example_gradients(valid.x, valid.y, model.weight, model.bias).colwise().mean().transpose();
    // The Hessian is singular along a shift of every class's logit by the same
    // amount (softmax ignores it; the bias is not penalised); every gradient is
    // orthogonal to that direction, so the minimum-norm solve is exact.
    const Eigen::VectorXd s = h.completeOrthogonalDecomposition().solve(valid_gradient);
    const Eigen::MatrixXd g = models::per_example_gradients(train.x, train.y, model.weight, model.bias);
    // Removing row i moves theta by ~ H^{-1} grad_i / n and the validation
    // loss by ~ grad_valid' H^{-1} grad_i / n: the value (positive = helpful).
    return (g * s) / static_cast<double>(train.rows());
  }
};

}  // namespace

SB_REGISTER_VALUER(Influence, "influence")
    .describe("Influence of each row on the validation log loss with the exact Hessian of the "
              "L2-penalised multinomial logistic regression (one fit)")
    .paper("Koh & Liang (2017), Understanding black-box predictions via influence functions, ICML");

}  // namespace sb::selection
