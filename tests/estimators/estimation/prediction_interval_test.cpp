// The jackknife, full conformal and normal-theory prediction intervals around
// least squares against independent computations: brute-force leave-one-out
// and augmented refits, a hand-written type-7 quantile, and the
// simple-regression closed form.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "harness/core/errors.h"
#include "tests/benchmarks/estimation/test_util.h"

namespace sb::estimation {
namespace {

using testing::make_estimator;
using testing::make_scenario;

// n rows of [x1, x2, 1] with a linear mean and uneven deterministic noise.
Data regression_data(int n, double level) {
  Data d;
  d.task = "interval";
  d.level = level;
  d.x.resize(n, 3);
  d.y.resize(n);
  for (int i = 0; i < n; ++i) {
    d.x(i, 0) = std::sin(1.7 * i);
    d.x(i, 1) = std::cos(0.3 * i) + 0.1 * i;
    d.x(i, 2) = 1;
    d.y(i) = 1 + 2 * d.x(i, 0) - d.x(i, 1) + ((i * 37) % 11 - 5) / 3.0;
  }
  d.x_test.resize(2, 3);
  d.x_test << 0.5, -1.0, 1, -0.8, 1.2, 1;
  d.y_test = Eigen::VectorXd::Zero(2);
  d.truth = Eigen::VectorXd::Constant(1, level);
  d.propensity = Eigen::VectorXd::Constant(n + 2, 0.5);
  return d;
}

Eigen::VectorXd least_squares_by_qr(const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
  return x.colPivHouseholderQr().solve(y);
}

// The least-squares coefficients refitted (QR) without training row `dropped`.
Eigen::VectorXd least_squares_without_row(const Data& d, Eigen::Index dropped) {
  const Eigen::Index n = d.x.rows();
  Eigen::MatrixXd x(n - 1, d.x.cols());
  Eigen::VectorXd y(n - 1);
  for (Eigen::Index row = 0, k = 0; row < n; ++row) {
    if (row == dropped) continue;
    x.row(k) = d.x.row(row);
    y(k++) = d.y(row);
  }
  return least_squares_by_qr(x, y);
}

TEST(JackknifeInterval, BruteForceLeaveOneOutAndType7Quantile) {
  const int n = 13;
  const Data d = regression_data(n, 0.8);
  std::vector<double> loo;
  for (int i = 0; i < n; ++i) loo.push_back(std::abs(d.y(i) - d.x.row(i).dot(least_squares_without_row(d, i))));
  std::sort(loo.begin(), loo.end());
  // R's type 7 at p = 0.8 over 13 values: h = 12 * 0.8 = 9.6 (0-based).
  const double q = loo[9] + 0.6 * (loo[10] - loo[9]);
  const Eigen::VectorXd predicted = d.x_test * least_squares_by_qr(d.x, d.y);
  const Estimate est = make_estimator("jackknife-interval")->estimate(d, 0);
  for (Eigen::Index j = 0; j < 2; ++j) {
    EXPECT_NEAR(est.lower(j), predicted(j) - q, 1e-10);
    EXPECT_NEAR(est.upper(j), predicted(j) + q, 1e-10);
  }
}

TEST(JackknifeInterval, LeverageOneRowThrows) {
  Data d = regression_data(8, 0.9);
  d.x.col(0).setZero();
  d.x(3, 0) = 1;  // the only row with x1 != 0: its own coefficient fits it exactly
  EXPECT_THROW(make_estimator("jackknife-interval")->estimate(d, 0), MethodError);
}

// Simple regression y = a + b x: the textbook interval
// yhat0 +- c s sqrt(1 + 1/n + (x0 - xbar)^2 / Sxx), s^2 = RSS / (n - 2).
TEST(OlsPredictionInterval, SimpleRegressionClosedForm) {
  const int n = 12;
  Data d = regression_data(n, 0.95);
  d.x = d.x(Eigen::all, std::vector<int>{0, 2}).eval();  // [x1, 1]
  d.x_test = d.x_test(Eigen::all, std::vector<int>{0, 2}).eval();
  double xbar = 0, ybar = 0;
  for (int i = 0; i < n; ++i) xbar += d.x(i, 0) / n, ybar += d.y(i) / n;
  double sxx = 0, sxy = 0;
  for (int i = 0; i < n; ++i) sxx += std::pow(d.x(i, 0) - xbar, 2), sxy += (d.x(i, 0) - xbar) * (d.y(i) - ybar);
  const double b = sxy / sxx, a = ybar - b * xbar;
  double rss = 0;
  for (int i = 0; i < n; ++i) rss += std::pow(d.y(i) - a - b * d.x(i, 0), 2);
  const double s = std::sqrt(rss / (n - 2));
  // qt(0.975, 10) and qnorm(0.975).
  for (const auto& [quantile, c] : {std::pair<const char*, double>{"t", 2.2281388519649385},
                                    std::pair<const char*, double>{"normal", 1.959963984540054}}) {
    const Estimate est =
        make_estimator("ols-prediction-interval", {{"quantile", std::string(quantile)}})->estimate(d, 0);
    for (Eigen::Index j = 0; j < 2; ++j) {
      const double x0 = d.x_test(j, 0);
      const double half = c * s * std::sqrt(1 + 1.0 / n + std::pow(x0 - xbar, 2) / sxx);
      EXPECT_NEAR(est.lower(j), a + b * x0 - half, 1e-9) << quantile;
      EXPECT_NEAR(est.upper(j), a + b * x0 + half, 1e-9) << quantile;
    }
  }
}

TEST(OlsPredictionInterval, NeedsMoreRowsThanColumns) {
  Data d = regression_data(3, 0.9);
  EXPECT_THROW(make_estimator("ols-prediction-interval")->estimate(d, 0), MethodError);
}

// Share of test points an interval method covers over 200 replications of
// Lei et al.'s (2018) Setting A (n = 100, 11 columns, 100 test points each).
double setting_a_coverage(const Estimator& method) {
  auto scen = make_scenario("lei2018-regression");
  double covered = 0, count = 0;
  for (std::uint64_t r = 0; r < 200; ++r) {
    const Data d = scen->generate(r);
    const Estimate e = method.estimate(d, r);
    for (Eigen::Index i = 0; i < d.y_test.size(); ++i) {
      covered += e.lower(i) <= d.y_test(i) && d.y_test(i) <= e.upper(i);
      ++count;
    }
  }
  return covered / count;
}

// Under normal homoscedastic errors the t interval covers a new point with
// probability exactly 0.9: Lei et al. (2018) Setting A (n = 100, 11
// columns), 200 replications of 100 test points (Monte Carlo sd about 0.002).
TEST(OlsPredictionInterval, TIntervalCoversExactlyUnderNormalErrors) {
  const double covered_t = setting_a_coverage(*make_estimator("ols-prediction-interval"));
  const double covered_normal =
      setting_a_coverage(*make_estimator("ols-prediction-interval", {{"quantile", std::string("normal")}}));
  EXPECT_NEAR(covered_t, 0.9, 0.008);
  EXPECT_LT(covered_normal, covered_t);  // the normal quantile is smaller: a narrower interval
}

// Full conformal by brute force: refit least squares (QR) on the n + 1 rows
// for every trial value, p-value = the share of the n + 1 absolute residuals
// at least the trial point's, then conformalInference's grid.interval
// ("linear"): first and last accepted trial values, each end interpolated
// to the crossing of alpha.
TEST(FullConformal, BruteForceRefitsOnTheGrid) {
  const int n = 25, grid_points = 15;
  const double grid_factor = 0.5, level = 0.8, alpha = 1 - level;
  const Data d = regression_data(n, level);
  const double y_min = d.y.minCoeff(), y_max = d.y.maxCoeff(), rg = y_max - y_min;
  const Estimate est =
      make_estimator("full-conformal", {{"grid_points", std::int64_t{grid_points}}, {"grid_factor", grid_factor}})
          ->estimate(d, 0);
  for (Eigen::Index k = 0; k < d.x_test.rows(); ++k) {
    std::vector<double> grid, p;
    for (int j = 0; j < grid_points; ++j) {
      const double t = y_min - grid_factor * rg + (1 + 2 * grid_factor) * rg * j / (grid_points - 1);
      Eigen::MatrixXd x(n + 1, 3);
      x << d.x, d.x_test.row(k);
      Eigen::VectorXd y(n + 1);
      y << d.y, t;
      const Eigen::VectorXd r = (y - x * least_squares_by_qr(x, y)).cwiseAbs();
      grid.push_back(t);
      p.push_back(static_cast<double>((r.array() >= r(n) - 1e-12).count()) / (n + 1));
    }
    int first = -1, last = -1;
    for (int j = 0; j < grid_points; ++j) {
      if (p[j] >= alpha && first < 0) first = j;
      if (p[j] >= alpha) last = j;
    }
    ASSERT_GT(first, 0) << "the test wants interior ends";
    ASSERT_LT(last, grid_points - 1);
    const double lo =
        grid[first - 1] + (alpha - p[first - 1]) * (grid[first] - grid[first - 1]) / (p[first] - p[first - 1]);
    const double hi = grid[last] + (alpha - p[last]) * (grid[last + 1] - grid[last]) / (p[last + 1] - p[last]);
    EXPECT_NEAR(est.lower(k), lo, 1e-9) << k;
    EXPECT_NEAR(est.upper(k), hi, 1e-9) << k;
  }
}

TEST(FullConformal, ConstantOutcomeThrows) {
  Data d = regression_data(20, 0.9);
  d.y.setConstant(2.5);
  EXPECT_THROW(make_estimator("full-conformal")->estimate(d, 0), MethodError);
}

TEST(FullConformal, NoAcceptedTrialValueGivesTheZeroInterval) {
  // Two trial values, both far outside the data: p-values 1/(n + 1) < alpha.
  const Data d = regression_data(20, 0.9);
  const Estimate est =
      make_estimator("full-conformal", {{"grid_points", std::int64_t{2}}, {"grid_factor", 5.0}})->estimate(d, 0);
  EXPECT_EQ(est.lower(0), 0.0);
  EXPECT_EQ(est.upper(0), 0.0);
}

// Full conformal covers with probability between 1 - alpha and 1 - alpha +
// 1/(n + 1) (exchangeable, continuous): 0.9 to 0.91 in Lei et al.'s Setting
// A; the grid moves the ends by less than a grid step. 200 replications.
TEST(FullConformal, CoverageInSettingA) {
  const double coverage = setting_a_coverage(*make_estimator("full-conformal"));
  EXPECT_GT(coverage, 0.892);
  EXPECT_LT(coverage, 0.918);
}

// Jackknife+ by brute force: refit without each row (QR), then the
// floor(alpha (n + 1))-th smallest of mu_(-i)(x) - R_i and the
// ceil((1 - alpha)(n + 1))-th smallest of mu_(-i)(x) + R_i.
TEST(JackknifePlus, BruteForceLeaveOneOutOrderStatistics) {
  const int n = 19;
  const double level = 0.8;  // alpha (n + 1) = 4: ranks 4 and 16
  const Data d = regression_data(n, level);
  std::vector<Eigen::VectorXd> betas;
  std::vector<double> r;
  for (int i = 0; i < n; ++i) {
    betas.push_back(least_squares_without_row(d, i));
    r.push_back(std::abs(d.y(i) - d.x.row(i).dot(betas.back())));
  }
  const Estimate est = make_estimator("jackknife-plus")->estimate(d, 0);
  for (Eigen::Index k = 0; k < d.x_test.rows(); ++k) {
    std::vector<double> lows, highs;
    for (int i = 0; i < n; ++i) {
      const double mu = d.x_test.row(k).dot(betas[static_cast<std::size_t>(i)]);
      lows.push_back(mu - r[static_cast<std::size_t>(i)]);
      highs.push_back(mu + r[static_cast<std::size_t>(i)]);
    }
    std::sort(lows.begin(), lows.end());
    std::sort(highs.begin(), highs.end());
    EXPECT_NEAR(est.lower(k), lows[3], 1e-10) << k;
    EXPECT_NEAR(est.upper(k), highs[15], 1e-10) << k;
  }
  // A level too high for n: (1 - alpha)(n + 1) > n and alpha (n + 1) < 1.
  const Estimate wide = make_estimator("jackknife-plus")->estimate(regression_data(n, 0.97), 0);
  EXPECT_TRUE(std::isinf(wide.lower(0)) && wide.lower(0) < 0);
  EXPECT_TRUE(std::isinf(wide.upper(0)) && wide.upper(0) > 0);
}

// At least 1 - 2 alpha in theory, about 1 - alpha in practice: Lei et al.'s
// Setting A, 200 replications of 100 test points.
TEST(JackknifePlus, CoverageInSettingA) {
  const double coverage = setting_a_coverage(*make_estimator("jackknife-plus"));
  EXPECT_GT(coverage, 0.885);
  EXPECT_LT(coverage, 0.915);
}

}  // namespace
}  // namespace sb::estimation
