// Multinomial logistic regression as a subset learner for data valuation:
// fits SoftmaxRegression on the classes present in the training rows (a
// subset of a data set often misses a class, whose unpenalised bias would
// run to -infinity), predicts among those classes, and gives the exact
// Hessian and per-example gradients that influence functions need.
#pragma once

#include <Eigen/Dense>

#include "estimators/models/softmax_regression.h"

namespace sb::models {

struct LogisticClassifier {
  int num_classes = 0;
  Eigen::MatrixXd weight;  // k x p (zero rows for absent classes)
  Eigen::VectorXd bias;    // k (-infinity for absent classes: never predicted)
  int constant_class = -1;  // >= 0 when the rows held one class only (then predicts it)
  bool converged = true;

  // n x k logits of x (n x p); absent classes get -infinity.
  Eigen::MatrixXd logits(const Eigen::MatrixXd& x) const;
  // Argmax class of each row of x; ties go to the lower class.
  Eigen::VectorXi predict(const Eigen::MatrixXd& x) const;
  // Share of rows of x whose predicted class is y.
  double accuracy(const Eigen::MatrixXd& x, const Eigen::VectorXi& y) const;
};

// Fits on x (n >= 1 rows) and labels y in [0, num_classes): softmax
// regression with penalty (l2/2)||W||^2 on the classes present (two or
// more), to options.gradient_tolerance; a constant predictor when one class
// is present. `start` (optional): a warm start from that model's parameters
// when it was fitted on the same present classes (else from zero).
LogisticClassifier fit_logistic(const Eigen::MatrixXd& x, const Eigen::VectorXi& y, int num_classes,
                                const SoftmaxRegressionOptions& options, const LogisticClassifier* start = nullptr);

// The parameters theta = [vec(W) column-major (k x p), b] (size k(p+1)) of
// softmax regression on all k classes, and the exact derivatives of its
// objective  L(theta) = mean_i loss_i + (l2/2)||W||^2  (softmax_objective):
//   per_example_gradients: n x k(p+1), row i = d loss_i / d theta
//   softmax_hessian: k(p+1) x k(p+1), (1/n) sum_i (diag(p_i) - p_i p_i^T)
//     (x) [x_i; 1][x_i; 1]^T  plus l2 on the W block.
// weight: k x p, bias: k (finite).
Eigen::MatrixXd per_example_gradients(const Eigen::MatrixXd& x, const Eigen::VectorXi& y,
                                      const Eigen::MatrixXd& weight, const Eigen::VectorXd& bias);
Eigen::MatrixXd softmax_hessian(const Eigen::MatrixXd& x, const Eigen::MatrixXd& weight,
                                const Eigen::VectorXd& bias, double l2);
// softmax_hessian(x, weight, bias, l2) * v without forming the Hessian:
// O(n k (p+1)) per product (v: k(p+1), same packing).
Eigen::VectorXd softmax_hessian_vector(const Eigen::MatrixXd& x, const Eigen::MatrixXd& weight,
                                       const Eigen::VectorXd& bias, double l2, const Eigen::VectorXd& v);

}  // namespace sb::models
