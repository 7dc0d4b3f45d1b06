// One-hidden-layer ReLU network as an OOD base classifier:
// features = relu(x W1^T + b1) (n x hidden), logits = features W^T + b.
// Trained by mini-batch Adam on mean cross-entropy + (l2/2)(|W1|^2 + |W|^2),
// with seeded He initialisation and seeded shuffling: bitwise deterministic.
#pragma once

#include <Eigen/Dense>

#include <cstdint>

#include "estimators/models/classifier.h"

namespace sb::models {

struct MlpOptions {
  int hidden = 64;
  int epochs = 10;
  int batch_size = 128;
  double learning_rate = 1e-3;  // Adam step size (beta1 0.9, beta2 0.999, eps 1e-8)
  double l2 = 1e-4;             // on weights, not biases
  std::uint64_t seed = 0;
};

struct MlpParameters {
  Eigen::MatrixXd w1;  // hidden x p
  Eigen::VectorXd b1;  // hidden
  Eigen::MatrixXd w2;  // k x hidden
  Eigen::VectorXd b2;  // k
};

// Objective of a mini-batch (x: n x p, y in [0, k)); fills `gradient` when non-null.
double mlp_objective(const MlpParameters& params, const Eigen::MatrixXd& x,
                     const Eigen::VectorXi& y, double l2, MlpParameters* gradient);

class Mlp : public Classifier {
 public:
  // Trains on x (n x p), labels in [0, num_classes). Throws sb::InputError on
  // bad shapes/options, sb::MethodError if training diverges (non-finite loss).
  Mlp(const Eigen::MatrixXd& x, const Eigen::VectorXi& y, int num_classes,
      const MlpOptions& options);
  // A network with given parameters (tests).
  explicit Mlp(MlpParameters params);

  Eigen::MatrixXd features(const Eigen::MatrixXd& inputs) const override;
  Eigen::MatrixXd input_gradient(const Eigen::MatrixXd& inputs, double temperature) const override;

  const Eigen::MatrixXd& hidden_weight() const { return w1_; }
  const Eigen::VectorXd& hidden_bias() const { return b1_; }
  double final_loss() const { return final_loss_; }  // objective on the training set

 private:
  Eigen::MatrixXd w1_;
  Eigen::VectorXd b1_;
  double final_loss_ = 0;
};

}  // namespace sb::models
