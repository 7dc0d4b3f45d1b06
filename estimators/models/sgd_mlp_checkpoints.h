// Checkpoints of the SGD-trained network (sgd_mlp.h) and the derivatives of
// its last layer, for training-dynamics attribution (TracIn over the
// checkpoints; TRAK/GraSS-style last-layer features).
//
// The last layer is softmax regression on the last hidden layer h(x):
// logits = h W_L^T + b_L, W_L: classes x hidden, packed in theta as W_L
// column-major then b_L, the packing of logistic_classifier.h's
// [vec(W) column-major (k x p), b]. So its per-example loss gradients are
// per_example_gradients(h, y, W_L, b_L), and its Hessian is
// softmax_hessian(h, W_L, b_L, l2) with the penalty on b_L as well (the
// network's objective penalises every parameter).
#pragma once

#include <Eigen/Dense>

#include <cstdint>
#include <vector>

#include "estimators/models/sgd_mlp.h"

namespace sb::models {

struct SgdMlpCheckpoint {
  Eigen::VectorXd theta;
  std::int64_t epoch = 0;        // epochs done when it was saved
  double learning_rate = 0;      // the step size of the epochs before it
};

// sgd_mlp_train(shape, x, y, options, seed) (the same steps, bit for bit),
// saving a copy of theta after every `every` epochs and after the last one.
std::vector<SgdMlpCheckpoint> sgd_mlp_train_checkpoints(const SgdMlpShape& shape, const Eigen::MatrixXd& x,
                                                        const Eigen::VectorXi& y, const SgdMlpOptions& options,
                                                        std::uint64_t seed, std::int64_t every);

// The last layer of theta: weight (classes x hidden) and bias (classes).
struct SgdMlpLastLayer {
  Eigen::MatrixXd weight;
  Eigen::VectorXd bias;
};
SgdMlpLastLayer sgd_mlp_last_layer(const SgdMlpShape& shape, const Eigen::VectorXd& theta);

// The last hidden layer h(x) (n x hidden): the last layer's inputs.
Eigen::MatrixXd sgd_mlp_features(const SgdMlpShape& shape, const Eigen::VectorXd& theta, const Eigen::MatrixXd& x);

// n x classes (hidden + 1): row i = d loss_i / d (W_L, b_L), the cross-entropy
// of row i alone (no penalty), in theta's packing of the last layer.
Eigen::MatrixXd sgd_mlp_last_layer_gradients(const SgdMlpShape& shape, const Eigen::VectorXd& theta,
                                             const Eigen::MatrixXd& x, const Eigen::VectorXi& y);

// The Hessian of the objective (mean cross-entropy over x + (l2/2)||theta||^2)
// in the last layer's parameters, times v (classes (hidden + 1)).
Eigen::VectorXd sgd_mlp_last_layer_hessian_vector(const SgdMlpShape& shape, const Eigen::VectorXd& theta,
                                                  const Eigen::MatrixXd& x, double l2, const Eigen::VectorXd& v);

}  // namespace sb::models
