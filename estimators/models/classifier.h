// A trained classifier with a linear softmax head, and the softmax numerics
// every user of such a head shares (the learners here, the OOD detectors).
// Suite-free: the OOD suite uses it as its base model (sb::ood::Classifier).
#pragma once

#include <Eigen/Dense>

namespace sb::models {

// inputs -> features (penultimate) -> logits = W f + b.
class Classifier {
 public:
  virtual ~Classifier() = default;
  // n x m penultimate features of n x p inputs.
  virtual Eigen::MatrixXd features(const Eigen::MatrixXd& inputs) const = 0;
  // Gradient, with respect to the inputs, of the loss
  // -log softmax(logits(x) / temperature)[argmax class] (ODIN's perturbation).
  virtual Eigen::MatrixXd input_gradient(const Eigen::MatrixXd& inputs,
                                         double temperature) const = 0;
  const Eigen::MatrixXd& weight() const { return weight_; }  // k x m
  const Eigen::VectorXd& bias() const { return bias_; }      // k
  Eigen::MatrixXd logits_from_features(const Eigen::MatrixXd& f) const {
    return (f * weight_.transpose()).rowwise() + bias_.transpose();
  }

 protected:
  Eigen::MatrixXd weight_;
  Eigen::VectorXd bias_;
};

// Row-wise softmax of n x k logits / temperature (max-shifted, stable).
Eigen::MatrixXd softmax_rows(const Eigen::MatrixXd& logits, double temperature = 1.0);

// d/dlogits of -log softmax(logits / T)[argmax logits], one row per example.
Eigen::MatrixXd odin_logit_gradient(const Eigen::MatrixXd& logits, double temperature);

// The same loss differentiated with respect to the features f of the linear
// head logits = f W^T + b (weight: k x m): odin_logit_gradient(logits, T) W.
// Every ODIN gradient goes through here (the learners' input_gradient, and
// the detector's step on features when there is no model).
Eigen::MatrixXd odin_feature_gradient(const Eigen::MatrixXd& logits, const Eigen::MatrixXd& weight,
                                      double temperature);

}  // namespace sb::models
