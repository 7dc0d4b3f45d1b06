// The linear base's rows of either task, so that a linear method is written
// once: classification rows carry labels y (the model's softmax or one-hot
// squared loss, theta (p+1) x k); regression rows carry real targets t and
// the squared loss (1/2)(z_i theta - t_i)^2 (ridge regression, theta (p+1) x 1,
// the same penalty (lambda/2)||theta||^2 on every parameter).
#pragma once

#include <Eigen/Dense>

#include <vector>

#include "estimators/models/penalized_linear.h"

namespace sb::unlearning {

struct LinearRows {
  const Eigen::MatrixXd* z = nullptr;  // n x (p+1)
  const Eigen::VectorXi* y = nullptr;  // classification labels (unused when t is set)
  const Eigen::VectorXd* t = nullptr;  // regression targets, or null
  bool regression() const { return t != nullptr; }
};

// A copy of rows `rows` of some LinearRows (view() points into it).
struct SelectedRows {
  Eigen::MatrixXd z;
  Eigen::VectorXi y;
  Eigen::VectorXd t;
  bool regression = false;
  LinearRows view() const { return {&z, &y, regression ? &t : nullptr}; }
};
SelectedRows select_linear_rows(const LinearRows& from, const std::vector<Eigen::Index>& rows);

// L_S(theta) over the rows (penalty = false: the losses alone); its gradient when non-null.
double linear_objective(const models::PenalizedLinear& model, const LinearRows& rows, const Eigen::MatrixXd& theta,
                        Eigen::MatrixXd* gradient, bool penalty = true);

// Per-example losses.
Eigen::VectorXd example_losses(const models::PenalizedLinear& model, const LinearRows& rows,
                               const Eigen::MatrixXd& theta);

// The unique minimiser of L_S(theta) + <linear_term, theta>: models::fit_linear
// for labels; for targets the normal equations (Z^T Z + lambda I) theta =
// Z^T t - linear_term by Cholesky (start unused: the solve is exact).
Eigen::MatrixXd fit_linear(const models::PenalizedLinear& model, const LinearRows& rows, int num_classes,
                           const Eigen::MatrixXd& start = {}, const Eigen::MatrixXd& linear_term = {});

}  // namespace sb::unlearning
