// The SGD-trained MLP (sgd_mlp.h) as a regression model: one output unit
// (shape.classes = 1), read as the prediction, and the squared loss
//   mean_{i in S} (1/2) (out_i - t_i)^2 + (l2/2) ||theta||^2
// in place of the cross-entropy (the unlearning suite's non-convex base on
// regression tables; Deep Regression Unlearning's setting).
#pragma once

#include <Eigen/Dense>

#include <cstdint>

#include "estimators/models/sgd_mlp.h"

namespace sb::models {

// The predictions (n): the single output unit.
Eigen::VectorXd sgd_mlp_outputs(const SgdMlpShape& shape, const Eigen::VectorXd& theta, const Eigen::MatrixXd& x);

// The objective above over the rows of x (targets t); its gradient when non-null.
double sgd_mlp_squared_objective(const SgdMlpShape& shape, const Eigen::VectorXd& theta, const Eigen::MatrixXd& x,
                                 const Eigen::VectorXd& t, double l2, Eigen::VectorXd* gradient);

// Trains from `start` (empty: sgd_mlp_init(shape, seed)) by sgd_descend with
// the seed, as sgd_mlp_train does for labels. Throws MethodError when theta
// becomes non-finite.
Eigen::VectorXd sgd_mlp_train_regression(const SgdMlpShape& shape, const Eigen::MatrixXd& x, const Eigen::VectorXd& t,
                                         const SgdMlpOptions& options, std::uint64_t seed,
                                         const Eigen::VectorXd& start = {});

}  // namespace sb::models
