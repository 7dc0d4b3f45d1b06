// Data-integration and IV estimators against hand computations and
// closed-form identities.
#include <gtest/gtest.h>

#include <cmath>

#include "tests/benchmarks/estimation/causal_test_util.h"

namespace sb::estimation::testing {
namespace {

// Experiment: treated {5, 7}, controls {1, 3}; history: {2, 4, 6}.
Data tiny_integration() {
  Data d;
  d.task = "integration";
  d.y = (Eigen::VectorXd(7) << 5, 7, 1, 3, 2, 4, 6).finished();
  d.treatment = (Eigen::VectorXd(7) << 1, 1, 0, 0, 0, 0, 0).finished();
  d.source = (Eigen::VectorXi(7) << 0, 0, 0, 0, 1, 1, 1).finished();
  d.x = Eigen::MatrixXd(7, 0);
  return d;
}

TEST(ExperimentOnly, HandComputed) {
  const Estimate e = run("experiment-only", tiny_integration());
  EXPECT_NEAR(e.value(0), 6 - 2, 1e-12);
  EXPECT_NEAR(e.std_error, std::sqrt(2.0 / 2 + 2.0 / 2), 1e-12);
}

TEST(NaivePooling, HandComputed) {
  // Controls {1,3,2,4,6}: mean 3.2, s^2 = (4.84+.04+1.44+.64+7.84)/4 = 3.7.
  const Estimate e = run("naive-pooling", tiny_integration());
  EXPECT_NEAR(e.value(0), 6 - 3.2, 1e-12);
  EXPECT_NEAR(e.std_error, std::sqrt(2.0 / 2 + 3.7 / 5), 1e-12);
}

TEST(ShiftAwarePooling, HandComputedWeight) {
  // v_t = 2/2, v_c = 2/2, v_h = 4/3; shift-hat = 4 - 2 = 2;
  // bound = 2 + 1.96 sqrt(1 + 4/3); lambda = 1 / (1 + 4/3 + bound^2).
  const Estimate e = run("shift-aware-pooling", tiny_integration());
  const double bound = 2 + 1.96 * std::sqrt(1 + 4.0 / 3);
  const double lambda = 1 / (1 + 4.0 / 3 + bound * bound);
  const double value = 6 - ((1 - lambda) * 2 + lambda * 4);
  const double se = std::sqrt(1 + (1 - lambda) * (1 - lambda) + lambda * lambda * 4.0 / 3);
  EXPECT_NEAR(e.value(0), value, 1e-12);
  EXPECT_NEAR(e.std_error, se, 1e-12);
  EXPECT_NEAR(e.ci_high - e.value(0), 1.959963984540054 * se + lambda * bound, 1e-9);
  // pessimism = 0 with a zero estimated shift: the inverse-variance weight.
  Data same = tiny_integration();
  same.y.tail(3) << 1, 3, 2;  // history mean 2 = experimental control mean
  const Estimate z = run("shift-aware-pooling", same, {{"pessimism", 0.0}});
  const double lam0 = 1.0 / (1.0 + 1.0 / 3);  // v_c / (v_c + v_h), v_h = 1/3
  EXPECT_NEAR(z.value(0), 6 - ((1 - lam0) * 2 + lam0 * 2), 1e-12);
}

// Under a large shift the weight vanishes and the estimate approaches the
// experiment-only one; naive pooling keeps the full bias.
TEST(ShiftAwarePooling, LargeShiftFallsBackToExperiment) {
  const Data d = make_scenario("ab-historical", {{"shift", 50.0}})->generate(1);
  const double exp_only = run("experiment-only", d).value(0);
  EXPECT_NEAR(run("shift-aware-pooling", d).value(0), exp_only, 0.01);
  EXPECT_GT(std::abs(run("naive-pooling", d).value(0) - d.truth(0)), 20.0);
}

// IV: 8 units. Z=1: D = (1,1,0,1), Y = (5,6,2,7); Z=0: D = (0,1,0,0), Y = (1,4,2,1).
Data tiny_iv() {
  Data d;
  d.task = "iv";
  d.instrument = (Eigen::VectorXd(8) << 1, 1, 1, 1, 0, 0, 0, 0).finished();
  d.treatment = (Eigen::VectorXd(8) << 1, 1, 0, 1, 0, 1, 0, 0).finished();
  d.y = (Eigen::VectorXd(8) << 5, 6, 2, 7, 1, 4, 2, 1).finished();
  d.x = Eigen::MatrixXd(8, 0);
  return d;
}

TEST(Wald2sls, RatioOfDifferencesAndHc0ByHand) {
  // (mean Y|Z=1 - mean Y|Z=0) / (mean D|Z=1 - mean D|Z=0) = (5 - 2) / (0.75 - 0.25) = 6.
  const Data d = tiny_iv();
  const Estimate e = run("wald-2sls", d);
  EXPECT_NEAR(e.value(0), 6.0, 1e-12);
  // HC0 slope variance = sum u_i^2 (Z_i - Zbar)^2 / (sum (D_i - Dbar)(Z_i - Zbar))^2.
  const double alpha = d.y.mean() - 6.0 * d.treatment.mean();
  double num = 0, den = 0;
  for (int i = 0; i < 8; ++i) {
    const double u = d.y(i) - alpha - 6.0 * d.treatment(i);
    const double zc = d.instrument(i) - 0.5;
    num += u * u * zc * zc;
    den += (d.treatment(i) - d.treatment.mean()) * zc;
  }
  EXPECT_NEAR(e.std_error, std::sqrt(num) / std::abs(den), 1e-12);
}

// Without covariates, DR-IV with the fitted (constant) instrument propensity
// is the Wald ratio, and its delta-method SE is the HC0 SE times sqrt(n/(n-1)).
TEST(DrIv, NoCovariatesEqualsWald) {
  const Data d = tiny_iv();
  const Estimate wald = run("wald-2sls", d);
  const Estimate dr = run("dr-iv", d);
  EXPECT_NEAR(dr.value(0), wald.value(0), 1e-10);
  EXPECT_NEAR(dr.std_error, wald.std_error * std::sqrt(8.0 / 7.0), 1e-10);
}

TEST(Wald2sls, InstrumentThatMovesNothingThrows) {
  Data d = tiny_iv();
  d.treatment << 1, 0, 0, 0, 1, 0, 0, 0;  // same take-up in both arms
  EXPECT_THROW(run("wald-2sls", d), MethodError);
  EXPECT_THROW(run("dr-iv", d), MethodError);
}

}  // namespace
}  // namespace sb::estimation::testing
