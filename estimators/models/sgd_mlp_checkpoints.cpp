// Checkpoints and last-layer derivatives of the SGD-trained network (sgd_mlp_checkpoints.h).
#include "estimators/models/sgd_mlp_checkpoints.h"

#include <random>

#include "datasets/random.h"
#include "estimators/models/logistic_classifier.h"
#include "harness/core/errors.h"

namespace sb::models {

std::vector<SgdMlpCheckpoint> sgd_mlp_train_checkpoints(const SgdMlpShape& shape, const Eigen::MatrixXd& x,
                                                        const Eigen::VectorXi& y, const SgdMlpOptions& o,
                                                        std::uint64_t seed, std::int64_t every) {
  SB_THROW_IF_NOT(InputError, every >= 1 && o.batch_size >= 1 && o.epochs >= 1,
                  "sgd_mlp checkpoints: every = {}, batch_size = {}, epochs = {}", every, o.batch_size, o.epochs);
  SB_THROW_IF_NOT(InputError, x.rows() == y.size() && x.rows() > 0, "sgd_mlp checkpoints: {} rows, {} labels",
                  x.rows(), y.size());
  // sgd_mlp_train's steps: its initialisation, its stream (the seed mixed as
  // there), a Fisher-Yates permutation per epoch, consecutive batches.
  Eigen::VectorXd theta = sgd_mlp_init(shape, seed);
  std::mt19937_64 rng(seed ^ 0x5851f42d4c957f2dULL);
  std::vector<Eigen::Index> order(static_cast<size_t>(x.rows()));
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<Eigen::Index>(i);
  std::vector<SgdMlpCheckpoint> out;
  Eigen::VectorXd g;
  for (std::int64_t e = 0; e < o.epochs; ++e) {
    data::shuffle_in_place(order, rng);
    for (size_t start = 0; start < order.size(); start += static_cast<size_t>(o.batch_size)) {
      const size_t end = std::min(order.size(), start + static_cast<size_t>(o.batch_size));
      const auto rows = static_cast<Eigen::Index>(end - start);
      Eigen::MatrixXd xb(rows, x.cols());
      Eigen::VectorXi yb(rows);
      for (Eigen::Index i = 0; i < rows; ++i) {
        xb.row(i) = x.row(order[start + static_cast<size_t>(i)]);
        yb(i) = y(order[start + static_cast<size_t>(i)]);
      }
      sgd_mlp_objective(shape, theta, xb, yb, o.l2, &g);
      theta -= o.learning_rate * g;
    }
    SB_THROW_IF_NOT(MethodError, theta.allFinite(), "sgd: the parameters became non-finite (epoch {})", e);
    if ((e + 1) % every == 0 || e + 1 == o.epochs) out.push_back({theta, e + 1, o.learning_rate});
  }
  return out;
}

SgdMlpLastLayer sgd_mlp_last_layer(const SgdMlpShape& shape, const Eigen::VectorXd& theta) {
  SB_THROW_IF_NOT(InputError, theta.size() == shape.size(), "sgd_mlp: {} parameters, expected {}", theta.size(),
                  shape.size());
  const Eigen::Index k = shape.classes, h = shape.hidden, offset = shape.size() - k * (h + 1);
  return {Eigen::Map<const Eigen::MatrixXd>(theta.data() + offset, k, h),
          Eigen::Map<const Eigen::VectorXd>(theta.data() + offset + k * h, k)};
}

Eigen::MatrixXd sgd_mlp_features(const SgdMlpShape& shape, const Eigen::VectorXd& theta, const Eigen::MatrixXd& x) {
  return std::move(sgd_mlp_forward(shape, theta, x).hidden.back());
}

Eigen::MatrixXd sgd_mlp_last_layer_gradients(const SgdMlpShape& shape, const Eigen::VectorXd& theta,
                                             const Eigen::MatrixXd& x, const Eigen::VectorXi& y) {
  const SgdMlpLastLayer last = sgd_mlp_last_layer(shape, theta);
  return per_example_gradients(sgd_mlp_features(shape, theta, x), y, last.weight, last.bias);
}

Eigen::VectorXd sgd_mlp_last_layer_hessian_vector(const SgdMlpShape& shape, const Eigen::VectorXd& theta,
                                                  const Eigen::MatrixXd& x, double l2, const Eigen::VectorXd& v) {
  const SgdMlpLastLayer last = sgd_mlp_last_layer(shape, theta);
  Eigen::VectorXd out = softmax_hessian_vector(sgd_mlp_features(shape, theta, x), last.weight, last.bias, l2, v);
  out.tail(shape.classes) += l2 * v.tail(shape.classes);  // the network penalises the bias too
  return out;
}

}  // namespace sb::models
