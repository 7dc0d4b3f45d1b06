#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "datasets/fashion_mnist.h"
#include "datasets/pca.h"
#include "harness/core/errors.h"

namespace sb::data {
namespace {

// Sample covariance (1/(n-1)) by plain loops: independent of fit_pca's route.
Eigen::MatrixXd covariance_by_loops(const Eigen::MatrixXd& x) {
  const auto n = x.rows(), d = x.cols();
  Eigen::VectorXd mean = Eigen::VectorXd::Zero(d);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < d; ++j) mean(j) += x(i, j) / static_cast<double>(n);
  Eigen::MatrixXd c = Eigen::MatrixXd::Zero(d, d);
  for (Eigen::Index a = 0; a < d; ++a)
    for (Eigen::Index b = 0; b < d; ++b) {
      for (Eigen::Index i = 0; i < n; ++i) c(a, b) += (x(i, a) - mean(a)) * (x(i, b) - mean(b));
      c(a, b) /= static_cast<double>(n - 1);
    }
  return c;
}

TEST(Pca, TwoDimensionsMatchTheClosedFormEigenpairs) {
  // Five hand-picked points; the 2 x 2 covariance [[a, b], [b, c]] has
  // eigenvalues (a + c)/2 +- sqrt(((a - c)/2)^2 + b^2).
  Eigen::MatrixXd x(5, 2);
  x << 2, 1, -1, 0.5, 0, -2, 3, 2, -4, -1;
  const Eigen::MatrixXd c = covariance_by_loops(x);
  const double a = c(0, 0), b = c(0, 1), d = c(1, 1);
  const double root = std::sqrt((a - d) * (a - d) / 4 + b * b);
  const PcaProjection p = fit_pca(x, 2);
  EXPECT_NEAR(p.variances(0), (a + d) / 2 + root, 1e-12);
  EXPECT_NEAR(p.variances(1), (a + d) / 2 - root, 1e-12);
  // First eigenvector is proportional to (b, lambda - a); sign: largest entry positive.
  Eigen::Vector2d v(b, p.variances(0) - a);
  v.normalize();
  if (std::abs(v(1)) > std::abs(v(0)) ? v(1) < 0 : v(0) < 0) v = -v;
  EXPECT_NEAR((p.components.col(0) - v).norm(), 0, 1e-12);
  EXPECT_NEAR(p.mean(0), 0.0, 1e-15);
  EXPECT_NEAR(p.mean(1), 0.1, 1e-15);
}

TEST(Pca, ComponentsAreOrthonormalEigenvectorsInDecreasingOrder) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> z;
  Eigen::MatrixXd x(200, 6);
  const double scale[] = {5, 0.3, 2, 1, 0.1, 3};
  for (Eigen::Index i = 0; i < x.rows(); ++i)
    for (Eigen::Index j = 0; j < x.cols(); ++j) x(i, j) = scale[j] * z(rng) + (j == 2 ? 0.5 * x(i, 0) : 0.0);
  const Eigen::MatrixXd c = covariance_by_loops(x);
  const PcaProjection p = fit_pca(x, 4);
  ASSERT_EQ(p.components.rows(), 6);
  ASSERT_EQ(p.components.cols(), 4);
  EXPECT_LT((p.components.transpose() * p.components - Eigen::MatrixXd::Identity(4, 4)).norm(), 1e-12);
  for (int j = 0; j < 4; ++j) {
    EXPECT_LT((c * p.components.col(j) - p.variances(j) * p.components.col(j)).norm(), 1e-10 * p.variances(0));
    if (j > 0) {
      EXPECT_GE(p.variances(j - 1), p.variances(j));
    }
  }
  // All components: the variances add up to the trace; the projected rows'
  // covariance is diagonal with the variances on it.
  const PcaProjection all = fit_pca(x, 6);
  EXPECT_NEAR(all.variances.sum(), c.trace(), 1e-10 * c.trace());
  const Eigen::MatrixXd projected_cov = covariance_by_loops(p.project(x));
  EXPECT_LT((projected_cov - Eigen::MatrixXd(p.variances.asDiagonal())).norm(), 1e-10 * p.variances(0));
  EXPECT_THROW(fit_pca(x, 7), InputError);
  EXPECT_THROW(fit_pca(x.topRows(1), 1), InputError);
}

TEST(Pca, FashionMnistMapIsFittedOnTheTestImagesAndDecorrelatesThem) {
  const PcaProjection& p = fashion_mnist_pca("", 32);
  EXPECT_EQ(&p, &fashion_mnist_pca("", 32));  // cached, one map per process
  const auto& raw = fashion_mnist_files(fashion_mnist_dir(), "t10k");
  ASSERT_EQ(raw.images.count, 10000);
  Eigen::MatrixXd x(raw.images.count, 784);
  for (Eigen::Index i = 0; i < x.rows(); ++i)
    for (Eigen::Index j = 0; j < 784; ++j) x(i, j) = raw.images.pixels[static_cast<size_t>(i * 784 + j)] / 255.0;
  const Eigen::MatrixXd z = p.project(x);
  // The projected test images: mean 0, covariance diag(variances) (by loops).
  const Eigen::MatrixXd cov = covariance_by_loops(z);
  EXPECT_LT(z.colwise().mean().cwiseAbs().maxCoeff(), 1e-10);
  EXPECT_LT((cov - Eigen::MatrixXd(p.variances.asDiagonal())).cwiseAbs().maxCoeff(), 1e-9 * p.variances(0));
  for (int j = 1; j < 32; ++j) EXPECT_GE(p.variances(j - 1), p.variances(j));
  // 32 components keep most of the pixel variance (about 80% for Fashion-MNIST).
  double total = 0;
  for (Eigen::Index j = 0; j < 784; ++j) total += (x.col(j).array() - x.col(j).mean()).square().sum() / (x.rows() - 1);
  EXPECT_GT(p.variances.sum() / total, 0.7);
  EXPECT_LT(p.variances.sum() / total, 0.95);
}

}  // namespace
}  // namespace sb::data
