// Causal scenarios: shapes, determinism, documented transformations and
// truths; Monte Carlo checks where theory guarantees a result (fixed seeds).
#include <gtest/gtest.h>

#include <cmath>

#include "tests/benchmarks/estimation/causal_test_util.h"

namespace sb::estimation::testing {
namespace {

TEST(KangSchafer, TransformsAndPropensityAsInThePaper) {
  auto make = [](const std::string& ps, const std::string& om) {
    return make_scenario("kang-schafer", {{"n", std::int64_t{50}},
                                          {"propensity_model", ps},
                                          {"outcome_model", om}})
        ->generate(9);
  };
  const Data good = make("correct", "correct");
  const Data bad = make("misspecified", "misspecified");
  const Data mixed = make("misspecified", "correct");
  EXPECT_EQ(good.y, bad.y);  // same units whatever the flags
  EXPECT_EQ(mixed.x, good.x);
  EXPECT_EQ(mixed.x_propensity, bad.x_propensity);
  EXPECT_DOUBLE_EQ(good.truth(0), 10.0);
  for (int i = 0; i < 50; ++i) {
    const double z1 = good.x(i, 0), z2 = good.x(i, 1), z3 = good.x(i, 2), z4 = good.x(i, 3);
    EXPECT_NEAR(bad.x(i, 0), std::exp(z1 / 2), 1e-12);
    EXPECT_NEAR(bad.x(i, 1), z2 / (1 + std::exp(z1)) + 10, 1e-12);
    EXPECT_NEAR(bad.x(i, 2), std::pow(z1 * z3 / 25 + 0.6, 3), 1e-12);
    EXPECT_NEAR(bad.x(i, 3), std::pow(z2 + z4 + 20, 2), 1e-9);
    EXPECT_NEAR(good.propensity(i), expit(-z1 + 0.5 * z2 - 0.25 * z3 - 0.1 * z4), 1e-12);
    // Without noise the outcome is the linear surface plus the effect: residual is N(0,1).
    const double surface = 210 + 27.4 * z1 + 13.7 * (z2 + z3 + z4) + 10 * good.treatment(i);
    EXPECT_LT(std::abs(good.y(i) - surface), 6.0);
  }
  const Data again = make("correct", "correct");
  EXPECT_EQ(again.y, good.y);
  EXPECT_NE(make_scenario("kang-schafer")->generate(10).y(0), good.y(0));
}

// Horvitz-Thompson with the true propensity is exactly unbiased: the mean
// over 400 replications lies within 3.5 Monte Carlo SEs of the truth.
TEST(KangSchafer, IpwWithTruePropensityIsUnbiased) {
  const auto scenario = make_scenario("kang-schafer", {{"n", std::int64_t{200}}});
  const auto ipw = make_estimator("ipw", {{"propensity", std::string("true")}});
  const auto [mean, mc_se] = replication_mean(*ipw, *scenario, 400, 1000);
  EXPECT_LT(std::abs(mean - 10.0), 3.5 * mc_se) << "mean " << mean << " MC SE " << mc_se;
}

// AIPW with both models correct: 95% CI coverage over 400 replications lies
// within 3 binomial SEs (0.011) of 0.95.
TEST(KangSchafer, AipwCoverageWithCorrectModels) {
  const auto scenario = make_scenario("kang-schafer", {{"n", std::int64_t{200}}});
  const auto aipw = make_estimator("aipw");
  const int reps = 400;
  int covered = 0;
  for (int r = 0; r < reps; ++r) {
    const Data d = scenario->generate(5000 + r);
    const Estimate e = aipw->estimate(d, 0);
    covered += e.ci_low <= d.truth(0) && d.truth(0) <= e.ci_high;
  }
  const double rate = static_cast<double>(covered) / reps;
  EXPECT_NEAR(rate, 0.95, 3 * std::sqrt(0.95 * 0.05 / reps)) << covered << " of " << reps;
}

TEST(HighDimConfounded, ShapesTruthAndAipwUnbiased) {
  const auto scenario = make_scenario(
      "high-dim-confounded",
      {{"d", std::int64_t{20}}, {"effect", std::string("heterogeneous")}, {"tau", 2.0}});
  const Data d = scenario->generate(1);
  EXPECT_EQ(d.x.rows(), 500);
  EXPECT_EQ(d.x.cols(), 20);
  EXPECT_DOUBLE_EQ(d.truth(0), 2.0);
  const auto aipw = make_estimator("aipw");
  const auto dim = make_estimator("difference-in-means");
  const int reps = 150;
  double sum = 0, sumsq = 0, naive = 0;
  for (int r = 0; r < reps; ++r) {
    const Data dr = scenario->generate(200 + r);
    const double v = aipw->estimate(dr, 0).value(0);
    sum += v, sumsq += v * v;
    naive += dim->estimate(dr, 0).value(0);
  }
  const double mean = sum / reps;
  const double mc_se = std::sqrt((sumsq / reps - mean * mean) / (reps - 1));
  EXPECT_LT(std::abs(mean - 2.0), 3.5 * mc_se);
  EXPECT_GT(naive / reps - 2.0, 0.5);  // confounding biases the naive contrast upwards
}

TEST(AbHistorical, DesignAndTruth) {
  const Data d = make_scenario("ab-historical", {{"n_exp", std::int64_t{101}},
                                                 {"n_hist", std::int64_t{40}},
                                                 {"shift", 2.0}})
                     ->generate(3);
  ASSERT_EQ(d.y.size(), 141);
  int treated = 0, historical = 0;
  for (int i = 0; i < 141; ++i) {
    historical += d.source(i);
    if (d.source(i) == 1) {
      EXPECT_EQ(d.treatment(i), 0.0);
    }
    treated += static_cast<int>(d.treatment(i));
  }
  EXPECT_EQ(treated, 50);
  EXPECT_EQ(historical, 40);
  EXPECT_DOUBLE_EQ(d.truth(0), 1.0);
}

// Expected naive-pooling bias = -n_hist/(n_c + n_hist) * shift = -(1000/1100) * 1.
TEST(AbHistorical, NaivePoolingBiasAndExperimentUnbiased) {
  const auto scenario = make_scenario("ab-historical", {{"shift", 1.0}});
  const auto naive = make_estimator("naive-pooling");
  const auto exp_only = make_estimator("experiment-only");
  const int reps = 200;
  double s_naive = 0, s_exp = 0, ss_exp = 0;
  for (int r = 0; r < reps; ++r) {
    const Data d = scenario->generate(r);
    s_naive += naive->estimate(d, 0).value(0);
    const double v = exp_only->estimate(d, 0).value(0);
    s_exp += v, ss_exp += v * v;
  }
  EXPECT_NEAR(s_naive / reps - 1.0, -1000.0 / 1100.0, 0.06);
  const double mean = s_exp / reps;
  EXPECT_LT(std::abs(mean - 1.0), 3.5 * std::sqrt((ss_exp / reps - mean * mean) / (reps - 1)));
}

// LATE by hand: E[c] = 0.6 - 0.05/2 = 0.575, E[c X1] = 0.3 - 0.025 = 0.275,
// E[c X2] = -0.1 E[X2^2] = -1/30; LATE = effect + h (0.275 - 1/30) / 0.575.
TEST(IvNoncompliance, ExactLateAndWaldConsistency) {
  const auto scenario = make_scenario(
      "iv-noncompliance", {{"effect", 1.5}, {"heterogeneity", 2.0}, {"n", std::int64_t{200000}}});
  const Data d = scenario->generate(1);
  const double late = 1.5 + 2.0 * (0.275 - 1.0 / 30) / 0.575;
  EXPECT_NEAR(d.truth(0), late, 1e-12);
  const Estimate wald = run("wald-2sls", d);
  EXPECT_LT(std::abs(wald.value(0) - late), 4 * wald.std_error);
  // The ATE (1.5 + 2 * 0.5 = 2.5) is a different number the Wald ratio must not hit.
  EXPECT_GT(std::abs(wald.value(0) - 2.5), 10 * wald.std_error);
}

// With a covariate-dependent instrument Wald is biased; DR-IV with the true
// instrument propensity stays centred on the LATE (mean over replications).
TEST(IvNoncompliance, DrIvHandlesDependentInstrument) {
  const auto scenario =
      make_scenario("iv-noncompliance", {{"instrument_dependence", 1.5}, {"n", std::int64_t{2000}}});
  const auto dr = make_estimator("dr-iv", {{"propensity", std::string("true")}});
  const auto wald = make_estimator("wald-2sls");
  const int reps = 100;
  double s_dr = 0, ss_dr = 0, s_wald = 0;
  double truth = 0;
  for (int r = 0; r < reps; ++r) {
    const Data d = scenario->generate(r);
    truth = d.truth(0);
    const double v = dr->estimate(d, 0).value(0);
    s_dr += v, ss_dr += v * v;
    s_wald += wald->estimate(d, 0).value(0);
  }
  const double mean = s_dr / reps;
  const double mc_se = std::sqrt((ss_dr / reps - mean * mean) / (reps - 1));
  EXPECT_LT(std::abs(mean - truth), 3.5 * mc_se);
  EXPECT_GT(std::abs(s_wald / reps - truth), 5 * mc_se);
}

// Registry sweep: every scenario of this area runs every estimator that
// declares its task, with default parameters, and returns a finite value,
// SE and ordered CI.
TEST(CausalRegistry, EveryEstimatorRunsOnEveryScenarioOfItsTask) {
  for (const char* scenario_name :
       {"kang-schafer", "kang-schafer-mean", "high-dim-confounded", "ab-historical",
        "iv-noncompliance"}) {
    const auto scenario = make_scenario(scenario_name);
    const Data d = scenario->generate(42);
    const std::string tag = "task:" + scenario->task();
    int ran = 0;
    for (const auto* entry : EstimatorRegistry::instance().entries()) {
      const auto& tags = entry->info.tags;
      if (std::find(tags.begin(), tags.end(), tag) == tags.end()) continue;
      if (entry->info.paper.empty()) ADD_FAILURE() << entry->info.name << " names no paper";
      const Estimate e = run(entry->info.name, d, {}, 42);
      ASSERT_EQ(e.value.size(), 1) << entry->info.name;
      EXPECT_TRUE(std::isfinite(e.value(0))) << entry->info.name << " on " << scenario_name;
      if (std::isfinite(e.std_error)) {
        EXPECT_LE(e.ci_low, e.ci_high) << entry->info.name;
      }
      ++ran;
    }
    EXPECT_GE(ran, 2) << scenario_name;
  }
}

}  // namespace
}  // namespace sb::estimation::testing
