// KNN-Shapley's distance kernels: every kernel this processor runs gives the
// same bits (one summation order whatever the instruction set), close to the
// direct sum of squared differences, and exact for integer features.
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "estimators/selection/knn_distances.h"
#include "harness/core/errors.h"

namespace sb::selection {
namespace {

Eigen::MatrixXd random_rows(Eigen::Index n, Eigen::Index d, std::uint64_t seed, bool integers) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> z;
  std::uniform_int_distribution<int> pixel(0, 255);
  Eigen::MatrixXd x(n, d);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < d; ++j) x(i, j) = integers ? pixel(rng) : 3.0 * z(rng) + 0.1 * j;
  return x;
}

double direct(const Eigen::MatrixXd& a, Eigen::Index i, const Eigen::MatrixXd& b, Eigen::Index t) {
  double s = 0;
  for (Eigen::Index j = 0; j < a.cols(); ++j) s += (a(i, j) - b(t, j)) * (a(i, j) - b(t, j));
  return s;
}

TEST(KnnDistances, EveryKernelGivesTheSameBitsCloseToTheDirectSum) {
  // Odd row counts and 37 features (padded to 40) reach every tile shape.
  const Eigen::MatrixXd train = random_rows(13, 37, 1, false), test = random_rows(9, 37, 2, false);
  const PaddedRows train_rows(train), test_rows(test);
  const auto kernels = available_distance_kernels();
  ASSERT_FALSE(kernels.empty());
  EXPECT_EQ(kernels.back(), "baseline");
  EXPECT_EQ(kernels.front(), distance_kernel_name());
  Eigen::MatrixXd reference;
  squared_distances_with("baseline", train_rows, test_rows, 2, 5, reference);
  ASSERT_EQ(reference.rows(), 13);
  ASSERT_EQ(reference.cols(), 5);
  for (Eigen::Index i = 0; i < 13; ++i)
    for (Eigen::Index b = 0; b < 5; ++b) {
      const double want = direct(train, i, test, 2 + b);
      EXPECT_NEAR(reference(i, b), want, 1e-12 * (1 + want)) << i << "," << b;
    }
  for (const auto& kernel : kernels) {
    Eigen::MatrixXd dist;
    squared_distances_with(kernel, train_rows, test_rows, 2, 5, dist);
    EXPECT_EQ(std::memcmp(dist.data(), reference.data(), sizeof(double) * 65), 0) << kernel;
  }
  Eigen::MatrixXd chosen;
  squared_distances(train_rows, test_rows, 2, 5, chosen);
  EXPECT_EQ(std::memcmp(chosen.data(), reference.data(), sizeof(double) * 65), 0);
  EXPECT_THROW(squared_distances_with("no-such-kernel", train_rows, test_rows, 0, 1, chosen), InputError);
}

TEST(KnnDistances, IntegerFeaturesGiveExactDistances) {
  const Eigen::MatrixXd train = random_rows(11, 784, 3, true), test = random_rows(4, 784, 4, true);
  const PaddedRows train_rows(train), test_rows(test);
  for (const auto& kernel : available_distance_kernels()) {
    Eigen::MatrixXd dist;
    squared_distances_with(kernel, train_rows, test_rows, 0, 4, dist);
    for (Eigen::Index i = 0; i < 11; ++i)
      for (Eigen::Index b = 0; b < 4; ++b) EXPECT_EQ(dist(i, b), direct(train, i, test, b)) << kernel;
  }
}

}  // namespace
}  // namespace sb::selection
