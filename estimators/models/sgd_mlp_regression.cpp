#include "estimators/models/sgd_mlp_regression.h"

#include "estimators/models/linear.h"  // select_rows
#include "harness/core/errors.h"

namespace sb::models {

Eigen::VectorXd sgd_mlp_outputs(const SgdMlpShape& shape, const Eigen::VectorXd& theta, const Eigen::MatrixXd& x) {
  SB_THROW_IF_NOT(InternalError, shape.classes == 1, "sgd_mlp_outputs: a regression network has one output, not {}",
                  shape.classes);
  return sgd_mlp_forward(shape, theta, x).logits.col(0);
}

double sgd_mlp_squared_objective(const SgdMlpShape& shape, const Eigen::VectorXd& theta, const Eigen::MatrixXd& x,
                                 const Eigen::VectorXd& t, double l2, Eigen::VectorXd* gradient) {
  SB_THROW_IF_NOT(InternalError, shape.classes == 1 && t.size() == x.rows(),
                  "sgd_mlp_squared_objective: {} outputs, {} targets for {} rows", shape.classes, t.size(), x.rows());
  SB_THROW_IF_NOT(InputError, t.allFinite(), "sgd_mlp: a regression target is not finite");
  const auto f = sgd_mlp_forward(shape, theta, x);
  const Eigen::MatrixXd residual = f.logits.col(0) - t;
  const double n = static_cast<double>(x.rows());
  if (gradient) *gradient = sgd_mlp_backward(shape, theta, x, f, residual / n) + l2 * theta;
  return 0.5 * residual.squaredNorm() / n + 0.5 * l2 * theta.squaredNorm();
}

Eigen::VectorXd sgd_mlp_train_regression(const SgdMlpShape& shape, const Eigen::MatrixXd& x, const Eigen::VectorXd& t,
                                         const SgdMlpOptions& o, std::uint64_t seed, const Eigen::VectorXd& start) {
  const Eigen::VectorXd theta0 = start.size() ? start : sgd_mlp_init(shape, seed);
  // The batch stream's seed as sgd_mlp_train derives it: one seed, one run, whatever the task.
  return sgd_descend(theta0, x.rows(), o.epochs, o.batch_size, o.learning_rate, seed ^ 0x5851f42d4c957f2dULL,
                     [&](const std::vector<Eigen::Index>& rows, const Eigen::VectorXd& theta) {
                       Eigen::VectorXd g;
                       sgd_mlp_squared_objective(shape, theta, select_rows(x, rows), select_rows(t, rows), o.l2, &g);
                       return g;
                     });
}

}  // namespace sb::models
