// Multinomial logistic (softmax) regression as an OOD base classifier: the
// features are the inputs themselves, logits = W x + b.
#pragma once

#include <Eigen/Dense>

#include "estimators/models/classifier.h"

namespace sb::models {

struct SoftmaxRegressionOptions {
  double l2 = 1e-3;                 // penalty (l2/2) ||W||_F^2; the bias is not penalised
  int max_iterations = 500;         // L-BFGS iterations
  double gradient_tolerance = 1e-6; // stop when max |gradient| <= this
  // Starting point [vec(W) column-major (k x p), b] (a warm start, e.g. a
  // fit on nearly the same rows); null: W = 0, b = 0. The optimum is unique
  // up to a common shift of the biases (no prediction changes), so the start
  // changes the fit only within the tolerance.
  const Eigen::VectorXd* initial = nullptr;
};

// Mean cross-entropy of labels y (n, values in [0, k)) under logits x W^T + b,
// plus (l2/2)||W||^2. Writes the gradients when the pointers are non-null.
// x: n x p, weight: k x p, bias: k.
double softmax_objective(const Eigen::MatrixXd& x, const Eigen::VectorXi& y,
                         const Eigen::MatrixXd& weight, const Eigen::VectorXd& bias, double l2,
                         Eigen::MatrixXd* weight_gradient, Eigen::VectorXd* bias_gradient);

class SoftmaxRegression : public Classifier {
 public:
  // Fits on x (n x p) and labels y in [0, num_classes), from W = 0, b = 0 (the
  // objective is strictly convex, so no seed is needed). Throws sb::InputError
  // on shape/label problems.
  SoftmaxRegression(const Eigen::MatrixXd& x, const Eigen::VectorXi& y, int num_classes,
                    const SoftmaxRegressionOptions& options = {});

  // A model with given parameters (weight k x p, bias k), e.g. one trained
  // elsewhere and shipped as a reference.
  SoftmaxRegression(Eigen::MatrixXd weight, Eigen::VectorXd bias);

  Eigen::MatrixXd features(const Eigen::MatrixXd& inputs) const override;
  Eigen::MatrixXd input_gradient(const Eigen::MatrixXd& inputs, double temperature) const override;

  int iterations() const { return iterations_; }
  bool converged() const { return converged_; }
  double gradient_max() const { return gradient_max_; }

 private:
  int iterations_ = 0;
  bool converged_ = false;
  double gradient_max_ = 0;
};

// Shared checks for classifier training data; `who` prefixes messages.
void check_training_data(const Eigen::MatrixXd& x, const Eigen::VectorXi& y, int num_classes,
                         const char* who);

}  // namespace sb::models
