// Minibatch stochastic gradient descent (Robbins & Monro 1951) on softmax regression
#include "estimators/models/softmax_sgd.h"

#include <algorithm>
#include <numeric>
#include <random>

#include "estimators/models/linear.h"
#include "estimators/models/softmax_regression.h"
#include "harness/core/errors.h"

namespace sb::models {

std::vector<SoftmaxCheckpoint> train_softmax_sgd(const Eigen::MatrixXd& x, const Eigen::VectorXi& y, int num_classes,
                                                 const SoftmaxSgdOptions& o, std::uint64_t seed) {
  check_training_data(x, y, num_classes, "softmax SGD");
  SB_THROW_IF_NOT(InputError, o.epochs >= 1 && o.batch_size >= 1 && o.learning_rate > 0 && o.l2 >= 0,
                  "softmax SGD: epochs = {}, batch_size = {}, learning_rate = {}, l2 = {}", o.epochs, o.batch_size,
                  o.learning_rate, o.l2);
  const Eigen::Index n = x.rows();
  Eigen::MatrixXd w = Eigen::MatrixXd::Zero(num_classes, x.cols());
  Eigen::VectorXd b = Eigen::VectorXd::Zero(num_classes);
  std::vector<Eigen::Index> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  std::mt19937_64 rng(seed);
  std::vector<SoftmaxCheckpoint> out;
  Eigen::MatrixXd gw;
  Eigen::VectorXd gb;
  for (int epoch = 0; epoch < o.epochs; ++epoch) {
    for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng() % i]);
    for (Eigen::Index start = 0; start < n; start += o.batch_size) {
      const Eigen::Index end = std::min<Eigen::Index>(n, start + o.batch_size);
      const std::vector<Eigen::Index> rows(order.begin() + start, order.begin() + end);
      Eigen::VectorXi labels(end - start);
      for (Eigen::Index i = start; i < end; ++i) labels(i - start) = y(order[static_cast<size_t>(i)]);
      softmax_objective(select_rows(x, rows), labels, w, b, o.l2, &gw, &gb);
      w -= o.learning_rate * gw;
      b -= o.learning_rate * gb;
    }
    out.push_back({w, b, o.learning_rate});
  }
  return out;
}

}  // namespace sb::models
