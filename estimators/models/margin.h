// The correct-class margin of a softmax classifier, the model output that
// data attribution explains (TRAK's multiclass output function, Park et al.
// 2023): f(x, y) = z_y - log sum_{c != y} exp z_c = log p_y - log(1 - p_y),
// z = W x + b. Its gradient, in the parameter packing of
// per_example_gradients ([vec(W) column-major (k x p), b]), is a_c [x; 1] with
// a = e_y - q, q the softmax of the other classes' logits (q_y = 0); the loss
// gradient is -(1 - p_y) times it.
#pragma once

#include <Eigen/Dense>

#include "estimators/models/logistic_classifier.h"

namespace sb::models {

// f(x_t, y_t) for every row of x under `model`; a class absent from the
// model's fit (logit -infinity) gives -infinity when it is y_t, and +infinity
// when y_t is the only class present.
Eigen::VectorXd correct_class_margins(const LogisticClassifier& model, const Eigen::MatrixXd& x,
                                      const Eigen::VectorXi& y);

// n x k(p+1): row t = d f(x_t, y_t) / d theta (weight: k x p, bias: k, finite).
Eigen::MatrixXd margin_gradients(const Eigen::MatrixXd& x, const Eigen::VectorXi& y, const Eigen::MatrixXd& weight,
                                 const Eigen::VectorXd& bias);

// 1 - p_{y_t} for every row (the sum of the other classes' probabilities, so
// that it stays exact when p_y is close to 1).
Eigen::VectorXd one_minus_true_probability(const Eigen::MatrixXd& x, const Eigen::VectorXi& y,
                                           const Eigen::MatrixXd& weight, const Eigen::VectorXd& bias);

}  // namespace sb::models
