// The unlearning suite's SGD MLP: gradients against central finite
// differences (one and two hidden layers, with an extra last-hidden-layer
// term), SGD as plain gradient descent with one full batch, determinism.
#include <gtest/gtest.h>

#include <random>

#include "datasets/random.h"
#include "estimators/models/sgd_mlp.h"

namespace sb::models {
namespace {

Eigen::MatrixXd normal_matrix(Eigen::Index r, Eigen::Index c, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  Eigen::MatrixXd m(r, c);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = data::standard_normal(rng);
  return m;
}

TEST(SgdMlp, GradientMatchesFiniteDifferences) {
  for (int layers : {1, 2}) {
    SCOPED_TRACE(layers);
    const SgdMlpShape shape{3, 5, layers, 4};
    const Eigen::MatrixXd x = normal_matrix(6, 3, 1);
    Eigen::VectorXi y(6);
    y << 0, 1, 2, 3, 1, 2;
    const Eigen::VectorXd theta = sgd_mlp_init(shape, 7) + 0.1 * normal_matrix(shape.size(), 1, 2).col(0);
    // f(theta) = objective + sum(a .* h_L): the extra term's gradient enters through d_last_hidden.
    const Eigen::MatrixXd a = normal_matrix(6, 5, 3);
    auto f = [&](const Eigen::VectorXd& t) {
      return sgd_mlp_objective(shape, t, x, y, 0.01, nullptr) +
             sgd_mlp_forward(shape, t, x).hidden.back().cwiseProduct(a).sum();
    };
    Eigen::VectorXd g;
    sgd_mlp_objective(shape, theta, x, y, 0.01, &g);
    const auto fw = sgd_mlp_forward(shape, theta, x);
    g += sgd_mlp_backward(shape, theta, x, fw, Eigen::MatrixXd::Zero(6, 4), &a);
    for (Eigen::Index i = 0; i < theta.size(); ++i) {
      Eigen::VectorXd up = theta, down = theta;
      up(i) += 1e-6, down(i) -= 1e-6;
      EXPECT_NEAR(g(i), (f(up) - f(down)) / 2e-6, 1e-6) << i;
    }
  }
}

TEST(SgdMlp, FullBatchSgdIsGradientDescentAndDeterministic) {
  const SgdMlpShape shape{2, 4, 1, 3};
  const Eigen::MatrixXd x = normal_matrix(10, 2, 4);
  Eigen::VectorXi y(10);
  y << 0, 1, 2, 0, 1, 2, 0, 1, 2, 0;
  const SgdMlpOptions o{3, 10, 0.1, 1e-3};
  Eigen::VectorXd expect = sgd_mlp_init(shape, 5);
  for (int e = 0; e < 3; ++e) {
    Eigen::VectorXd g;
    sgd_mlp_objective(shape, expect, x, y, 1e-3, &g);
    expect -= 0.1 * g;
  }
  const Eigen::VectorXd got = sgd_mlp_train(shape, x, y, o, 5);
  EXPECT_LT((got - expect).cwiseAbs().maxCoeff(), 1e-12);  // the batch order only permutes the sum
  EXPECT_EQ(sgd_mlp_train(shape, x, y, {3, 3, 0.1, 1e-3}, 5), sgd_mlp_train(shape, x, y, {3, 3, 0.1, 1e-3}, 5));
  EXPECT_NE(sgd_mlp_train(shape, x, y, {3, 3, 0.1, 1e-3}, 5), sgd_mlp_train(shape, x, y, {3, 3, 0.1, 1e-3}, 6));
}

}  // namespace
}  // namespace sb::models
