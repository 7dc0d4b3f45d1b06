// A ReLU network of one or two hidden layers trained by seeded minibatch SGD,
// the unlearning suite's non-convex base model (docs/UNLEARNING.md). Its
// parameters are one flat vector theta (so a model travels and is compared
// like a linear theta): per layer l, W_l (out x in, column-major) then b_l.
//   h_0 = x, h_l = relu(h_{l-1} W_l^T + b_l) (l = 1..layers), logits = h_L W^T + b.
// Objective of a set S: mean_{i in S} -log softmax(logits_i)_{y_i} + (l2/2) ||theta||^2.
// Deterministic: He-normal initialisation from the seed (portable draws), a
// seeded permutation per epoch, single-threaded Eigen products.
// (estimators/models/mlp.* is the OOD suite's Adam-trained network, left as it is.)
#pragma once

#include <Eigen/Dense>

#include <cstdint>
#include <functional>
#include <vector>

#include "estimators/models/classifier.h"  // softmax_rows

namespace sb::models {

struct SgdMlpShape {
  int inputs = 0, hidden = 32, layers = 1, classes = 2;  // layers: 1 or 2
  Eigen::Index size() const;                            // parameters
};

struct SgdMlpOptions {
  std::int64_t epochs = 20;
  std::int64_t batch_size = 32;
  double learning_rate = 0.05;
  double l2 = 1e-4;
};

// He-normal weights (sd sqrt(2 / fan_in)), zero biases.
Eigen::VectorXd sgd_mlp_init(const SgdMlpShape& shape, std::uint64_t seed);

struct SgdMlpForward {
  std::vector<Eigen::MatrixXd> hidden;  // h_1..h_L (n x hidden); hidden.back(): the last hidden layer
  Eigen::MatrixXd logits;               // n x classes
};
SgdMlpForward sgd_mlp_forward(const SgdMlpShape& shape, const Eigen::VectorXd& theta, const Eigen::MatrixXd& x);

// Gradient w.r.t. theta of a function of the forward pass on x, given its
// gradient w.r.t. the logits (n x classes) and, when non-null, an extra
// gradient w.r.t. the last hidden layer (n x hidden, before the output layer).
Eigen::VectorXd sgd_mlp_backward(const SgdMlpShape& shape, const Eigen::VectorXd& theta, const Eigen::MatrixXd& x,
                                 const SgdMlpForward& forward, const Eigen::MatrixXd& d_logits,
                                 const Eigen::MatrixXd* d_last_hidden = nullptr);

Eigen::MatrixXd sgd_mlp_probabilities(const SgdMlpShape& shape, const Eigen::VectorXd& theta,
                                      const Eigen::MatrixXd& x);

// Mean cross-entropy over the rows (+ (l2/2)||theta||^2); the gradient when non-null.
double sgd_mlp_objective(const SgdMlpShape& shape, const Eigen::VectorXd& theta, const Eigen::MatrixXd& x,
                         const Eigen::VectorXi& y, double l2, Eigen::VectorXd* gradient);

// `epochs` passes over n rows in minibatches of batch_size (a permutation per
// epoch from the seed); each step theta -= lr * batch_gradient(rows, theta).
Eigen::VectorXd sgd_descend(Eigen::VectorXd theta, Eigen::Index n, std::int64_t epochs, std::int64_t batch_size,
                            double learning_rate, std::uint64_t seed,
                            const std::function<Eigen::VectorXd(const std::vector<Eigen::Index>&,
                                                                const Eigen::VectorXd&)>& batch_gradient);

// Trains from `start` (empty: sgd_mlp_init(shape, seed)) on the objective by
// sgd_descend with the seed. Throws MethodError when theta becomes non-finite.
Eigen::VectorXd sgd_mlp_train(const SgdMlpShape& shape, const Eigen::MatrixXd& x, const Eigen::VectorXi& y,
                              const SgdMlpOptions& options, std::uint64_t seed, const Eigen::VectorXd& start = {});

}  // namespace sb::models
