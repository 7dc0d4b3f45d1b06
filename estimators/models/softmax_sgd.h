// Softmax (multinomial logistic) regression trained by seeded minibatch SGD,
// with a checkpoint after every epoch (for training-dynamics attribution
// such as TracIn).
#pragma once

#include <Eigen/Dense>

#include <cstdint>
#include <vector>

namespace sb::models {

struct SoftmaxSgdOptions {
  int epochs = 5;
  int batch_size = 32;         // the last batch of an epoch may be smaller
  double learning_rate = 0.1;  // constant
  double l2 = 0.0;             // penalty (l2/2)||W||^2 added to each batch's mean loss
};

struct SoftmaxCheckpoint {
  Eigen::MatrixXd weight;  // k x p
  Eigen::VectorXd bias;    // k
  double learning_rate = 0;  // the step size used in the epoch that ended here
};

// From W = 0, b = 0: every epoch draws a permutation of the rows (Fisher-Yates
// on std::mt19937_64 seeded by `seed`, raw draws modulo the range) and takes
// one step per consecutive batch. Returns one checkpoint per epoch.
std::vector<SoftmaxCheckpoint> train_softmax_sgd(const Eigen::MatrixXd& x, const Eigen::VectorXi& y, int num_classes,
                                                 const SoftmaxSgdOptions& options, std::uint64_t seed);

}  // namespace sb::models
