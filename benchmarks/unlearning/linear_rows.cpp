#include "benchmarks/unlearning/linear_rows.h"

#include "estimators/models/linear.h"
#include "harness/core/errors.h"

namespace sb::unlearning {
namespace {

// z theta - t, checking the task's shapes (a regression theta is one column).
Eigen::VectorXd residuals(const models::PenalizedLinear& model, const LinearRows& rows, const Eigen::MatrixXd& theta) {
  SB_THROW_IF_NOT(InternalError, model.loss == models::LinearLoss::kSquared && theta.cols() == 1,
                  "linear regression rows need the squared loss and a one-column theta, got {} columns", theta.cols());
  SB_THROW_IF_NOT(InputError, rows.t->allFinite(), "linear regression: a target is not finite (hidden?)");
  return *rows.z * theta.col(0) - *rows.t;
}

}  // namespace

SelectedRows select_linear_rows(const LinearRows& from, const std::vector<Eigen::Index>& rows) {
  SelectedRows out;
  out.regression = from.regression();
  out.z = models::select_rows(*from.z, rows);
  const auto n = static_cast<Eigen::Index>(rows.size());
  out.y.resize(n);
  if (out.regression) out.t.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    out.y(i) = (*from.y)(rows[static_cast<size_t>(i)]);
    if (out.regression) out.t(i) = (*from.t)(rows[static_cast<size_t>(i)]);
  }
  return out;
}

double linear_objective(const models::PenalizedLinear& model, const LinearRows& rows, const Eigen::MatrixXd& theta,
                        Eigen::MatrixXd* gradient, bool penalty) {
  if (!rows.regression()) return models::linear_objective(model, *rows.z, *rows.y, theta, gradient, penalty);
  const Eigen::VectorXd r = residuals(model, rows, theta);
  const double lambda = penalty ? model.lambda : 0.0;
  if (gradient) *gradient = rows.z->transpose() * r + lambda * theta;
  return 0.5 * r.squaredNorm() + 0.5 * lambda * theta.squaredNorm();
}

Eigen::VectorXd example_losses(const models::PenalizedLinear& model, const LinearRows& rows,
                               const Eigen::MatrixXd& theta) {
  if (!rows.regression()) return models::example_losses(model, *rows.z, *rows.y, theta);
  return 0.5 * residuals(model, rows, theta).array().square();
}

Eigen::MatrixXd fit_linear(const models::PenalizedLinear& model, const LinearRows& rows, int num_classes,
                           const Eigen::MatrixXd& start, const Eigen::MatrixXd& linear_term) {
  if (!rows.regression()) return models::fit_linear(model, *rows.z, *rows.y, num_classes, start, linear_term);
  SB_THROW_IF_NOT(InternalError, model.loss == models::LinearLoss::kSquared, "linear regression needs the squared loss");
  SB_THROW_IF_NOT(InputError, rows.t->allFinite(), "linear regression: a target is not finite (hidden?)");
  const Eigen::MatrixXd& z = *rows.z;
  Eigen::MatrixXd gram = z.transpose() * z;
  gram.diagonal().array() += model.lambda;
  Eigen::MatrixXd rhs = z.transpose() * *rows.t;
  if (linear_term.size()) rhs -= linear_term;
  const auto factor = gram.llt();
  SB_THROW_IF_NOT(MethodError, factor.info() == Eigen::Success, "linear regression: the normal equations are singular");
  return factor.solve(rhs);
}

}  // namespace sb::unlearning
