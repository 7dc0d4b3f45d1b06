#include <gtest/gtest.h>

#include <random>

#include "estimators/estimation/quantiles.h"
#include "tests/benchmarks/estimation/test_util.h"

namespace sb::estimation {
namespace {

using testing::make_estimator;

Data regression_data(int n, int p, std::uint64_t seed, double outlier_shift = 0) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  Data d;
  d.task = "regression";
  d.x.resize(n, p);
  d.y.resize(n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j + 1 < p; ++j) d.x(i, j) = normal(rng);
    d.x(i, p - 1) = 1;
    d.y(i) = d.x.row(i).sum() + normal(rng) + (i % 5 == 0 ? outlier_shift : 0);
  }
  d.truth = Eigen::VectorXd::Ones(p);
  return d;
}

TEST(Ols, NormalEquationsAndClassicalStandardError) {
  const Data d = regression_data(40, 3, 1);
  const auto est = make_estimator("ols")->estimate(d, 0);
  const Eigen::MatrixXd xtx = d.x.transpose() * d.x;
  const Eigen::VectorXd b = xtx.ldlt().solve(d.x.transpose() * d.y);
  EXPECT_LT((est.value - b).norm(), 1e-12);
  const double s2 = (d.y - d.x * b).squaredNorm() / (40 - 3);
  EXPECT_NEAR(est.std_error, std::sqrt(s2 * xtx.inverse()(0, 0)), 1e-12);
  EXPECT_LT(est.ci_low, est.value(0));
}

TEST(Lad, OptimalAgainstEveryInterpolant) {
  const Data d = regression_data(12, 2, 5, 15);
  const auto est = make_estimator("lad")->estimate(d, 0);
  const double loss = robust::check_loss(d.y - d.x * est.value, 0.5);
  for (int i = 0; i < 12; ++i) {
    for (int k = i + 1; k < 12; ++k) {
      Eigen::Matrix2d xs;
      xs << d.x(i, 0), d.x(i, 1), d.x(k, 0), d.x(k, 1);
      const Eigen::Vector2d b = xs.inverse() * Eigen::Vector2d(d.y(i), d.y(k));
      EXPECT_LE(loss, robust::check_loss(d.y - d.x * b, 0.5) + 1e-12);
    }
  }
}

TEST(QuantileRegressionEstimator, UsesTheScenarioLevel) {
  Data d = regression_data(9, 1, 2);
  d.task = "quantile";
  d.y << 3, 9, 1, 7, 5, 2, 8, 6, 4;  // intercept only: the sample quantile
  d.level = 0.3;                     // ceil(9 * 0.3) = 3rd smallest
  d.truth = Eigen::VectorXd::Zero(1);
  EXPECT_DOUBLE_EQ(make_estimator("quantile-regression")->estimate(d, 0).value(0), 3);
}

TEST(HuberRegression, HugeTuningConstantIsOls) {
  const Data d = regression_data(50, 3, 3);
  const auto huber = make_estimator("huber-regression", {{"c", 100.0}})->estimate(d, 0);
  const auto ols = make_estimator("ols")->estimate(d, 0);
  EXPECT_LT((huber.value - ols.value).norm(), 1e-8);
}

TEST(HuberRegression, InterceptOnlyEqualsHuberMean) {
  Data d = regression_data(25, 1, 4, 30);
  Data loc = d;
  loc.task = "location";
  loc.x = d.y;
  const auto reg = make_estimator("huber-regression")->estimate(d, 0);
  const auto mean = make_estimator("huber-mean")->estimate(loc, 0);
  EXPECT_NEAR(reg.value(0), mean.value(0), 1e-8);
}

TEST(HuberRegression, SolvesItsEstimatingEquation) {
  const Data d = regression_data(60, 3, 6, 25);
  const auto est = make_estimator("huber-regression")->estimate(d, 0);
  // Recompute the fixed scale from an exact LAD fit, then sum psi(r/s) x = 0.
  const Eigen::VectorXd lad = robust::quantile_regression(d.x, d.y, 0.5).coef;
  const Eigen::VectorXd r0 = d.y - d.x * lad;
  const double s = robust::median_absolute_deviation({r0.data(), r0.data() + r0.size()}, 0) /
                   robust::kMadToSigma;
  const Eigen::VectorXd r = d.y - d.x * est.value;
  Eigen::VectorXd score = Eigen::VectorXd::Zero(3);
  int clipped = 0;
  for (int i = 0; i < 60; ++i) {
    const double u = std::clamp(r(i) / s, -1.345, 1.345);
    clipped += std::abs(r(i) / s) > 1.345;
    score += u * d.x.row(i).transpose();
  }
  EXPECT_GT(clipped, 0);
  EXPECT_LT(score.norm(), 1e-7);
  // The outliers (every 5th y shifted by 25) pull OLS, not Huber.
  const auto ols = make_estimator("ols")->estimate(d, 0);
  EXPECT_LT((est.value - d.truth).norm(), (ols.value - d.truth).norm());
}

}  // namespace
}  // namespace sb::estimation
