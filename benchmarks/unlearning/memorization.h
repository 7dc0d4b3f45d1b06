// The `high-memorization` forget set: the rows the model memorises most, by a
// leave-one-out margin score after Feldman's memorization score
// (docs/UNLEARNING.md, "Forget sets").
#pragma once

#include <Eigen/Dense>

#include <string>
#include <vector>

#include "estimators/models/penalized_linear.h"

namespace sb::unlearning {

// The label margin of each row: m_i(theta) = (z_i theta)_{y_i} - max_{c != y_i}
// (z_i theta)_c (softmax: logits; squared: outputs).
Eigen::VectorXd label_margins(const Eigen::MatrixXd& z, const Eigen::VectorXi& y, const Eigen::MatrixXd& theta);

// mem_i = m_i(theta_D) - m_i(theta_{-i}): how much of row i's margin it owes to
// being trained on (Feldman 2020's mem(A, S, i), the difference of P[h(x_i) =
// y_i] with and without i, with the margin in place of the 0/1 correctness
// that a deterministic model would make coarse). theta_D = fit_linear on every
// row; theta_{-i}:
//   "exact":     fit_linear on the rows but i, warm-started at theta_D (n fits);
//   "influence": theta_D + H_D^{-1} grad loss_i(theta_D) (Koh & Liang's first-
//                order leave-one-out; self-influence), one Hessian factored.
Eigen::VectorXd memorization_scores(const models::PenalizedLinear& model, const Eigen::MatrixXd& z,
                                    const Eigen::VectorXi& y, int num_classes, const std::string& loo);

// The `size` rows of largest mem_i (ties: the lower row), increasing.
std::vector<Eigen::Index> high_memorization_forget_set(const models::PenalizedLinear& model, const Eigen::MatrixXd& z,
                                                       const Eigen::VectorXi& y, int num_classes, Eigen::Index size,
                                                       const std::string& loo);

}  // namespace sb::unlearning
