#include "estimators/estimation/quantiles.h"

#include <gtest/gtest.h>

#include <functional>
#include <limits>
#include <random>
#include <tuple>

#include "harness/core/errors.h"
#include "harness/stats/distributions.h"

namespace sb::estimation::robust {
namespace {

TEST(Quantiles, MedianAndOrderStatistics) {
  EXPECT_DOUBLE_EQ(median({5, 1, 3}), 3);
  EXPECT_DOUBLE_EQ(median({4, 1, 3, 2}), 2.5);
  EXPECT_DOUBLE_EQ(order_statistic({9, 7, 8}, 1), 7);
  EXPECT_DOUBLE_EQ(order_statistic({9, 7, 8}, 3), 9);
  EXPECT_THROW(order_statistic({1, 2}, 3), MethodError);
  EXPECT_THROW(median({}), MethodError);
  // Type 7 (R default): quantile(c(1,2,3,4), 0.25) = 1.75.
  EXPECT_DOUBLE_EQ(quantile_type7({4, 3, 2, 1}, 0.25), 1.75);
  EXPECT_DOUBLE_EQ(median_absolute_deviation({0, 1, 2, 4, 100}, 2), 2);
}

TEST(Quantiles, Z975IsTheSharedNormalQuantile) {
  // One implementation (stats/distributions.h) for estimators and results.
  EXPECT_EQ(z975(), stats::normal_quantile(0.975));
  EXPECT_NEAR(z975(), 1.959963984540054, 1e-15);
}

// Brute force: an optimum of the check-loss LP interpolates p points, so the
// best of all p-subsets' interpolants is optimal.
double brute_force_check_loss(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, double tau) {
  const int n = static_cast<int>(x.rows()), p = static_cast<int>(x.cols());
  double best = std::numeric_limits<double>::infinity();
  std::vector<int> pick(static_cast<std::size_t>(p));
  std::function<void(int, int)> rec = [&](int start, int depth) {
    if (depth == p) {
      Eigen::MatrixXd xs(p, p);
      Eigen::VectorXd ys(p);
      for (int k = 0; k < p; ++k) {
        xs.row(k) = x.row(pick[static_cast<std::size_t>(k)]);
        ys(k) = y(pick[static_cast<std::size_t>(k)]);
      }
      Eigen::FullPivLU<Eigen::MatrixXd> lu(xs);
      if (!lu.isInvertible()) return;
      best = std::min(best, check_loss(y - x * lu.solve(ys), tau));
      return;
    }
    for (int i = start; i < n; ++i) {
      pick[static_cast<std::size_t>(depth)] = i;
      rec(i + 1, depth + 1);
    }
  };
  rec(0, 0);
  return best;
}

class QuantileRegressionBruteForce : public ::testing::TestWithParam<std::tuple<int, int, double>> {};

TEST_P(QuantileRegressionBruteForce, MatchesBestInterpolant) {
  const auto [n, p, tau] = GetParam();
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    std::mt19937_64 rng(seed * 1000 + static_cast<std::uint64_t>(n * p));
    std::normal_distribution<double> normal;
    std::exponential_distribution<double> skewed(1.0);
    Eigen::MatrixXd x(n, p);
    Eigen::VectorXd y(n);
    for (int i = 0; i < n; ++i) {
      for (int j = 0; j + 1 < p; ++j) x(i, j) = normal(rng);
      x(i, p - 1) = 1;
      y(i) = x.row(i).sum() + skewed(rng) * 3;
    }
    const auto fit = quantile_regression(x, y, tau);
    const double brute = brute_force_check_loss(x, y, tau);
    EXPECT_NEAR(fit.objective, brute, 1e-9 * (1 + brute)) << "seed " << seed;
    // The fit interpolates its basis points.
    for (Eigen::Index h : fit.basis) EXPECT_NEAR(y(h), x.row(h).dot(fit.coef), 1e-9);
  }
}

INSTANTIATE_TEST_SUITE_P(SmallProblems, QuantileRegressionBruteForce,
                         ::testing::Values(std::make_tuple(12, 1, 0.5), std::make_tuple(13, 2, 0.5),
                                           std::make_tuple(14, 2, 0.1), std::make_tuple(12, 3, 0.75),
                                           std::make_tuple(11, 3, 0.9), std::make_tuple(10, 4, 0.3)));

TEST(Quantiles, QuantileRegressionOfAConstantIsASampleQuantile) {
  // Intercept only: the tau-quantile LP optimum includes the order statistic
  // x_(ceil(n tau)) (unique when n tau is not an integer).
  Eigen::MatrixXd x = Eigen::MatrixXd::Ones(7, 1);
  Eigen::VectorXd y(7);
  y << 3, 9, 1, 7, 5, 2, 8;
  EXPECT_DOUBLE_EQ(quantile_regression(x, y, 0.5).coef(0), 5);
  EXPECT_DOUBLE_EQ(quantile_regression(x, y, 0.2).coef(0), 2);  // ceil(1.4) = 2nd
  EXPECT_DOUBLE_EQ(quantile_regression(x, y, 0.9).coef(0), 9);  // ceil(6.3) = 7th
  EXPECT_THROW(quantile_regression(x, y, 1.0), MethodError);
}

}  // namespace
}  // namespace sb::estimation::robust
