// Representer points of L2-penalised multinomial logistic regression.
#pragma once

#include <Eigen/Dense>

namespace sb::selection {

// alpha (n x k) with W = sum_i alpha_i x_i^T at a stationary point of
// mean_i loss_i + (l2/2)||W||^2: alpha_i = -(p_i - e_{y_i}) / (n l2), p_i the
// softmax of row i. Then logits(x) = sum_i alpha_i (x_i . x) + b.
Eigen::MatrixXd representer_alpha(const Eigen::MatrixXd& x, const Eigen::VectorXi& y, const Eigen::MatrixXd& weight,
                                  const Eigen::VectorXd& bias, double l2);

}  // namespace sb::selection
