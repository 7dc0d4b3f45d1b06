// The SGD MLP's checkpoints and last-layer derivatives: the last checkpoint
// is sgd_mlp_train's model bit for bit; per-example last-layer gradients
// against central finite differences of one row's loss; the last-layer
// Hessian-vector product against finite differences of the objective's
// gradient (backpropagation, sgd_mlp_objective).
#include <gtest/gtest.h>

#include <random>

#include "datasets/random.h"
#include "estimators/models/sgd_mlp_checkpoints.h"

namespace sb::models {
namespace {

Eigen::MatrixXd normal_matrix(Eigen::Index r, Eigen::Index c, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  Eigen::MatrixXd m(r, c);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = data::standard_normal(rng);
  return m;
}

TEST(SgdMlpCheckpoints, EveryKEpochsAndTheLastIsTheTrainedModel) {
  const SgdMlpShape shape{4, 6, 1, 3};
  const Eigen::MatrixXd x = normal_matrix(25, 4, 1);
  Eigen::VectorXi y(25);
  for (Eigen::Index i = 0; i < 25; ++i) y(i) = static_cast<int>(i % 3);
  SgdMlpOptions o;
  o.epochs = 5;
  o.batch_size = 7;
  o.learning_rate = 0.1;
  o.l2 = 1e-3;
  const auto checkpoints = sgd_mlp_train_checkpoints(shape, x, y, o, 11, 2);
  ASSERT_EQ(checkpoints.size(), 3u);  // after epochs 2, 4 and 5
  EXPECT_EQ(checkpoints[0].epoch, 2);
  EXPECT_EQ(checkpoints[1].epoch, 4);
  EXPECT_EQ(checkpoints[2].epoch, 5);
  const Eigen::VectorXd trained = sgd_mlp_train(shape, x, y, o, 11);
  EXPECT_EQ(checkpoints[2].theta, trained);
  o.epochs = 4;
  EXPECT_EQ(checkpoints[1].theta, sgd_mlp_train(shape, x, y, o, 11));
  EXPECT_GT((checkpoints[1].theta - checkpoints[0].theta).norm(), 1e-6);  // they are copies, not one buffer
}

TEST(SgdMlpCheckpoints, LastLayerGradientsAndHessianVectorMatchFiniteDifferences) {
  for (int layers : {1, 2}) {
    SCOPED_TRACE(layers);
    const SgdMlpShape shape{3, 5, layers, 4};
    const Eigen::MatrixXd x = normal_matrix(6, 3, 2);
    Eigen::VectorXi y(6);
    y << 0, 1, 2, 3, 1, 2;
    const Eigen::VectorXd theta = sgd_mlp_init(shape, 3) + 0.1 * normal_matrix(shape.size(), 1, 4).col(0);
    const Eigen::Index last = 4 * (5 + 1), offset = shape.size() - last;
    // Per-example gradients: row i's loss alone (l2 = 0), perturbing the last layer.
    const Eigen::MatrixXd g = sgd_mlp_last_layer_gradients(shape, theta, x, y);
    ASSERT_EQ(g.rows(), 6);
    ASSERT_EQ(g.cols(), last);
    for (Eigen::Index i = 0; i < 6; ++i) {
      const Eigen::MatrixXd xi = x.row(i);
      const Eigen::VectorXi yi = y.segment(i, 1);
      for (Eigen::Index j = 0; j < last; ++j) {
        Eigen::VectorXd up = theta, down = theta;
        up(offset + j) += 1e-6;
        down(offset + j) -= 1e-6;
        const double fd = (sgd_mlp_objective(shape, up, xi, yi, 0, nullptr) -
                           sgd_mlp_objective(shape, down, xi, yi, 0, nullptr)) / 2e-6;
        EXPECT_NEAR(g(i, j), fd, 1e-7) << i << " " << j;
      }
    }
    // Hessian-vector product of the penalised objective in the last layer.
    const double l2 = 0.03;
    const Eigen::VectorXd v = normal_matrix(last, 1, 5).col(0);
    const Eigen::VectorXd hv = sgd_mlp_last_layer_hessian_vector(shape, theta, x, l2, v);
    Eigen::VectorXd up = theta, down = theta, g_up, g_down;
    up.tail(last) += 1e-5 * v;
    down.tail(last) -= 1e-5 * v;
    sgd_mlp_objective(shape, up, x, y, l2, &g_up);
    sgd_mlp_objective(shape, down, x, y, l2, &g_down);
    const Eigen::VectorXd fd = (g_up - g_down).tail(last) / 2e-5;
    for (Eigen::Index j = 0; j < last; ++j) EXPECT_NEAR(hv(j), fd(j), 1e-7) << j;
  }
}

}  // namespace
}  // namespace sb::models
