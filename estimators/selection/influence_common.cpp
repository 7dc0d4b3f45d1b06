#include "estimators/selection/influence_common.h"

#include <numeric>

#include "estimators/models/margin.h"
#include "harness/core/errors.h"

namespace sb::selection {

Eigen::VectorXd InfluenceProblem::hessian_vector(const Eigen::VectorXd& v) const {
  return models::softmax_hessian_vector(data->train.x, model.weight, model.bias, l2, v);
}

Eigen::VectorXd InfluenceProblem::values(const Eigen::VectorXd& s) const {
  return (train_gradients * s) / static_cast<double>(train_gradients.rows());
}

Eigen::MatrixXd InfluenceProblem::valid_margin_gradients() const {
  return models::margin_gradients(data->valid.x, data->valid.y, model.weight, model.bias);
}

Eigen::MatrixXd InfluenceProblem::attribution(const Eigen::MatrixXd& solved) const {
  return -(train_gradients * solved) / static_cast<double>(train_gradients.rows());
}

InfluenceProblem influence_problem(const ValuationContext& ctx) {
  InfluenceProblem p;
  p.data = ctx.data;
  std::vector<Eigen::Index> all(static_cast<size_t>(ctx.data->train.rows()));
  std::iota(all.begin(), all.end(), Eigen::Index{0});
  p.model = ctx.utility->fit(all);
  if (p.model.constant_class >= 0 || !p.model.bias.allFinite()) {
    throw MethodError("influence: the training split misses a class, the full-class Hessian is singular");
  }
  p.l2 = ctx.utility->options().l2;
  const auto& valid = ctx.data->valid;
  p.train_gradients = models::per_example_gradients(ctx.data->train.x, ctx.data->train.y, p.model.weight, p.model.bias);
  p.valid_gradient =
      models::per_example_gradients(valid.x, valid.y, p.model.weight, p.model.bias).colwise().mean().transpose();
  return p;
}

}  // namespace sb::selection
