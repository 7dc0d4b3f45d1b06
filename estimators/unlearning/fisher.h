// The diagonal Fisher information Fisher forgetting uses, shared with its test.
#pragma once

#include <Eigen/Dense>

#include "estimators/models/penalized_linear.h"

namespace sb::unlearning {

// Diagonal of the Fisher information of the summed model log-likelihood over
// the rows of z at theta ((p+1) x k), expectation over the model's own
// predictive distribution:
//   softmax: F[j, c] = sum_i z_ij^2 p_ic (1 - p_ic)
//   squared (unit-variance Gaussian outputs): F[j, c] = sum_i z_ij^2.
Eigen::MatrixXd fisher_diagonal(const models::PenalizedLinear& model, const Eigen::MatrixXd& z,
                                const Eigen::MatrixXd& theta);

}  // namespace sb::unlearning
