#include <gtest/gtest.h>

#include <algorithm>

#include "estimators/estimation/conformal_common.h"
#include "harness/core/errors.h"
#include "tests/benchmarks/estimation/test_util.h"

namespace sb::estimation {
namespace {

using testing::make_estimator;
using testing::make_scenario;

// Intercept-only interval data: the least-squares fit is the fit rows' mean.
Data constant_interval_data(const std::vector<double>& y, double level) {
  Data d;
  d.task = "interval";
  d.level = level;
  const auto n = static_cast<Eigen::Index>(y.size());
  d.x = Eigen::MatrixXd::Ones(n, 1);
  d.y = Eigen::Map<const Eigen::VectorXd>(y.data(), n);
  d.x_test = Eigen::MatrixXd::Ones(2, 1);
  d.y_test = Eigen::VectorXd::Zero(2);
  d.truth = Eigen::VectorXd::Constant(1, level);
  d.propensity = Eigen::VectorXd::Constant(n + 2, 0.5);  // w = 1 everywhere
  return d;
}

TEST(SplitConformal, QuantileIndexIsCeilNPlusOneTimesLevel) {
  std::vector<double> y(21);
  for (int i = 0; i < 21; ++i) y[static_cast<std::size_t>(i)] = (i * 7) % 21 + 0.5 * (i % 3);
  const Data d = constant_interval_data(y, 0.8);
  const std::uint64_t seed = 5;
  const auto est = make_estimator("split-conformal")->estimate(d, seed);
  // By hand: 10 fit rows, 11 calibration rows, k = ceil(12 * 0.8) = 10.
  const auto split = robust::split_rows(21, 0.5, 1, seed);
  double mean = 0;
  for (auto i : split.fit) mean += d.y(i);
  mean /= 10;
  std::vector<double> scores;
  for (auto i : split.calibration) scores.push_back(std::abs(d.y(i) - mean));
  std::sort(scores.begin(), scores.end());
  EXPECT_NEAR(est.lower(0), mean - scores[9], 1e-12);
  EXPECT_NEAR(est.upper(1), mean + scores[9], 1e-12);
}

TEST(WeightedConformal, EqualWeightsReduceToSplitConformal) {
  auto scen = make_scenario("shifted-intervals", {{"n", std::int64_t{101}}, {"n_test", std::int64_t{30}}});
  Data d = scen->generate(3);
  d.propensity.setConstant(0.5);
  const auto split = make_estimator("split-conformal")->estimate(d, 8);
  const auto weighted = make_estimator("weighted-conformal")->estimate(d, 8);
  EXPECT_LT((split.lower - weighted.lower).cwiseAbs().maxCoeff(), 1e-12);
  EXPECT_LT((split.upper - weighted.upper).cwiseAbs().maxCoeff(), 1e-12);
}

TEST(WeightedConformal, HandWeightedQuantile) {
  // 4 rows, fit_fraction 0.5: 2 fit, 2 calibration rows. Calibration weights
  // w = p/(1-p); test weight 1. With level 0.5 the target mass is
  // 0.5 (W + 1); the interval half-width is the first sorted score whose
  // cumulative weight reaches it.
  Data d = constant_interval_data({0, 10, 20, 30}, 0.5);
  const auto split = robust::split_rows(4, 0.5, 1, 1);
  const double mean = (d.y(split.fit[0]) + d.y(split.fit[1])) / 2;
  const Eigen::Index a = split.calibration[0], b = split.calibration[1];
  d.propensity(a) = 0.75;  // w = 3
  d.propensity(b) = 0.5;   // w = 1
  const double va = std::abs(d.y(a) - mean), vb = std::abs(d.y(b) - mean);
  // Target 0.5 * (3 + 1 + 1) = 2.5: reached by a (weight 3) alone if va < vb,
  // else b (weight 1) is not enough and a is needed: q = va either way.
  const auto est = make_estimator("weighted-conformal")->estimate(d, 1);
  EXPECT_NEAR(est.upper(0) - mean, va, 1e-12);
  // Flip the weights: the a-only mass is 1 < 2.5 (needs both) if va < vb,
  // and b alone (3) reaches it if vb < va: q = vb either way.
  d.propensity(a) = 0.5;
  d.propensity(b) = 0.75;
  EXPECT_NEAR(make_estimator("weighted-conformal")->estimate(d, 1).upper(0) - mean, vb, 1e-12);
  // A heavy test point needs the +inf mass: infinite interval.
  d.propensity(4) = 0.999;
  EXPECT_TRUE(std::isinf(make_estimator("weighted-conformal")->estimate(d, 1).upper(0)));
  d.propensity(4) = 1.0;  // a ratio too large for a double: infinite weight
  EXPECT_TRUE(std::isinf(make_estimator("weighted-conformal")->estimate(d, 1).upper(0)));
  EXPECT_TRUE(std::isfinite(make_estimator("weighted-conformal")->estimate(d, 1).upper(1)));
}

TEST(Conformal, TooSmallCalibrationSetThrows) {
  const Data d = constant_interval_data({1, 2, 3, 4, 5, 6}, 0.9);  // 3 calibration rows
  EXPECT_THROW(make_estimator("split-conformal")->estimate(d, 0), MethodError);
  EXPECT_THROW(make_estimator("cqr")->estimate(d, 0), MethodError);
}

// Marginal coverage over replications: every method at level 0.9 without
// shift; with shift only weighted conformal keeps it (oracle weights).
double mean_coverage(const std::string& method, double shift, int reps) {
  auto scen = make_scenario("shifted-intervals", {{"n", std::int64_t{200}},
                                                  {"n_test", std::int64_t{200}},
                                                  {"shift", shift}});
  auto est = make_estimator(method);
  double total = 0;
  for (int r = 0; r < reps; ++r) {
    const Data d = scen->generate(static_cast<std::uint64_t>(r));
    const Estimate e = est->estimate(d, static_cast<std::uint64_t>(r) + 1000);
    double covered = 0;
    for (Eigen::Index i = 0; i < d.y_test.size(); ++i) {
      covered += e.lower(i) <= d.y_test(i) && d.y_test(i) <= e.upper(i);
    }
    total += covered / static_cast<double>(d.y_test.size());
  }
  return total / reps;
}

TEST(Conformal, MarginalCoverageWithoutShift) {
  // Coverage of split conformal is in [0.9, 0.9 + 1/(n_cal + 1)] in
  // expectation; 100 replications of 200 test points: sd about 0.004.
  for (const char* m : {"split-conformal", "cqr", "weighted-conformal"}) {
    const double c = mean_coverage(m, 0.0, 100);
    EXPECT_GT(c, 0.885) << m;
    EXPECT_LT(c, 0.925) << m;
  }
}

TEST(Conformal, WeightedConformalKeepsCoverageUnderShift) {
  const double weighted = mean_coverage("weighted-conformal", 1.5, 100);
  const double split = mean_coverage("split-conformal", 1.5, 100);
  EXPECT_GT(weighted, 0.88);
  EXPECT_LT(split, weighted);  // heteroscedastic noise grows where the test mass moved
}

}  // namespace
}  // namespace sb::estimation
