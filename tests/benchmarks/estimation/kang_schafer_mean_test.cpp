// kang-schafer-mean (Kang & Schafer 2007 as published): truth, hidden
// outcomes, the paper's transforms, the same units under every model flag
// (and as in kang-schafer with effect 0), response rate, and Monte Carlo
// checks where theory guarantees a result (fixed seeds).
#include <gtest/gtest.h>

#include <cmath>

#include "tests/benchmarks/estimation/causal_test_util.h"

namespace sb::estimation::testing {
namespace {

Data mean_data(const std::string& ps, const std::string& om, std::int64_t n, std::uint64_t seed) {
  return make_scenario("kang-schafer-mean",
                       {{"n", n}, {"propensity_model", ps}, {"outcome_model", om}})
      ->generate(seed);
}

TEST(KangSchaferMean, TruthHiddenOutcomesAndTransforms) {
  const Data good = mean_data("correct", "correct", 60, 9);
  const Data bad = mean_data("misspecified", "misspecified", 60, 9);
  EXPECT_EQ(good.task, "missing-mean");
  EXPECT_EQ(make_scenario("kang-schafer-mean")->task(), "missing-mean");
  EXPECT_EQ(good.truth.size(), 1);
  EXPECT_EQ(good.truth(0), 210.0);
  for (int i = 0; i < 60; ++i) {
    const double z1 = good.x(i, 0), z2 = good.x(i, 1), z3 = good.x(i, 2), z4 = good.x(i, 3);
    EXPECT_EQ(std::isnan(good.y(i)), good.treatment(i) == 0.0) << i;  // y hidden iff no response
    EXPECT_NEAR(good.propensity(i), expit(-z1 + 0.5 * z2 - 0.25 * z3 - 0.1 * z4), 1e-12);
    EXPECT_NEAR(bad.x(i, 0), std::exp(z1 / 2), 1e-12);
    EXPECT_NEAR(bad.x(i, 1), z2 / (1 + std::exp(z1)) + 10, 1e-12);
    EXPECT_NEAR(bad.x(i, 2), std::pow(z1 * z3 / 25 + 0.6, 3), 1e-12);
    EXPECT_NEAR(bad.x(i, 3), std::pow(z2 + z4 + 20, 2), 1e-9);
    if (good.treatment(i) == 1.0) {
      EXPECT_LT(std::abs(good.y(i) - (210 + 27.4 * z1 + 13.7 * (z2 + z3 + z4))), 6.0);
    }
  }
}

// The four model combinations see the same units for a seed; only which
// covariates x and x_propensity hold changes.
TEST(KangSchaferMean, ModelFlagsKeepTheUnits) {
  const Data cc = mean_data("correct", "correct", 80, 3);
  const Data mc = mean_data("misspecified", "correct", 80, 3);
  const Data cm = mean_data("correct", "misspecified", 80, 3);
  const Data mm = mean_data("misspecified", "misspecified", 80, 3);
  for (const Data* d : {&mc, &cm, &mm}) {
    EXPECT_EQ(d->treatment, cc.treatment);
    EXPECT_EQ(d->propensity, cc.propensity);
    EXPECT_TRUE(d->y.cwiseEqual(cc.y).count() + (cc.treatment.array() == 0).count() == 80);
  }
  EXPECT_EQ(mc.x, cc.x);
  EXPECT_EQ(cm.x_propensity, cc.x_propensity);
  EXPECT_EQ(mc.x_propensity, mm.x_propensity);
  EXPECT_EQ(cm.x, mm.x);
  EXPECT_NE(mm.x, cc.x);
  EXPECT_NE(mean_data("correct", "correct", 80, 4).treatment, cc.treatment);
}

// Same draws as kang-schafer with effect 0: there y = Y(0) = Y for everyone.
TEST(KangSchaferMean, SameUnitsAsTheAteVersionWithoutEffect) {
  const Data mean = mean_data("misspecified", "correct", 100, 17);
  const Data ate = make_scenario("kang-schafer", {{"n", std::int64_t{100}},
                                                  {"effect", 0.0},
                                                  {"propensity_model", std::string("misspecified")},
                                                  {"outcome_model", std::string("correct")}})
                       ->generate(17);
  EXPECT_EQ(mean.treatment, ate.treatment);
  EXPECT_EQ(mean.x, ate.x);
  EXPECT_EQ(mean.x_propensity, ate.x_propensity);
  for (int i = 0; i < 100; ++i) {
    if (mean.treatment(i) == 1.0) {
      EXPECT_EQ(mean.y(i), ate.y(i)) << i;
    }
  }
}

// The mirror design (observed_if_a = 0) sees the same units with Y shown
// exactly where the original hides it, response probability 1 - pi; and
// Horvitz-Thompson with that probability is unbiased for 210 there too.
TEST(KangSchaferMean, MirrorDesignObservesTheOtherUnits) {
  const Data a1 = mean_data("correct", "misspecified", 120, 21);
  const Data a0 = make_scenario("kang-schafer-mean", {{"n", std::int64_t{120}},
                                                      {"observed_if_a", std::int64_t{0}},
                                                      {"propensity_model", std::string("correct")},
                                                      {"outcome_model", std::string("misspecified")}})
                      ->generate(21);
  EXPECT_EQ(a0.x, a1.x);
  EXPECT_EQ(a0.x_propensity, a1.x_propensity);
  EXPECT_EQ(a0.truth, a1.truth);
  for (int i = 0; i < 120; ++i) {
    EXPECT_EQ(a0.treatment(i), 1.0 - a1.treatment(i)) << i;
    EXPECT_NEAR(a0.propensity(i), 1.0 - a1.propensity(i), 1e-15) << i;
    EXPECT_EQ(std::isnan(a0.y(i)), a0.treatment(i) == 0.0) << i;
    EXPECT_NE(std::isnan(a0.y(i)), std::isnan(a1.y(i))) << i;
  }
  const auto scenario =
      make_scenario("kang-schafer-mean", {{"n", std::int64_t{200}}, {"observed_if_a", std::int64_t{0}}});
  const auto ht = make_estimator("ks-ht", {{"propensity", std::string("true")}});
  const auto [m, mc_se] = replication_mean(*ht, *scenario, 300, 4000);
  EXPECT_LT(std::abs(m - 210.0), 3.5 * mc_se) << "mean " << m << " MC SE " << mc_se;
  // The observed units' mean is biased upwards here (response rises with
  // Z1): E[Y | T = 0] = 220; 215 is over 10 SEs below at 20,000 units.
  const Data big = make_scenario("kang-schafer-mean", {{"n", std::int64_t{20000}}, {"observed_if_a", std::int64_t{0}}})
                       ->generate(6);
  double seen = 0;
  for (Eigen::Index i = 0; i < big.y.size(); ++i) seen += std::isnan(big.y(i)) ? 0 : big.y(i);
  EXPECT_GT(seen / big.treatment.sum(), 215.0);
}

// E[pi(Z)] = 1/2 (the linear predictor is symmetric about 0 and
// expit(-t) = 1 - expit(t)); E[Y] = 210 over the full (ATE-version) outcomes.
// Both within 4 standard errors over 200,000 units.
TEST(KangSchaferMean, ResponseRateHalfAndPopulationMean210) {
  const std::int64_t n = 200000;
  const Data mean = mean_data("correct", "correct", n, 5);
  const double rate = mean.treatment.mean();
  EXPECT_LT(std::abs(rate - 0.5), 4 * std::sqrt(0.25 / n)) << rate;
  const Data ate = make_scenario("kang-schafer", {{"n", n}, {"effect", 0.0}})->generate(5);
  const double sd_y = std::sqrt(27.4 * 27.4 + 3 * 13.7 * 13.7 + 1);
  EXPECT_LT(std::abs(ate.y.mean() - 210.0), 4 * sd_y / std::sqrt(double(n))) << ate.y.mean();
  // The respondents' mean is biased downwards (response falls with Z1).
  double sum = 0;
  for (Eigen::Index i = 0; i < n; ++i) sum += mean.treatment(i) * (std::isnan(mean.y(i)) ? 0 : mean.y(i));
  EXPECT_LT(sum / mean.treatment.sum(), 205.0);
}

// Horvitz-Thompson with the true response probability is exactly unbiased,
// and with both models correct OLS and BC-OLS are unbiased too: the mean of
// 300 replications lies within 3.5 Monte Carlo SEs of 210.
TEST(KangSchaferMean, UnbiasedWhereTheoryGuaranteesIt) {
  const auto scenario = make_scenario("kang-schafer-mean", {{"n", std::int64_t{200}}});
  const std::map<std::string, ParamValue> none;
  const std::map<std::string, ParamValue> true_pi = {{"propensity", std::string("true")}};
  for (const auto& [name, params] : {std::pair{"ks-ht", true_pi}, std::pair{"ks-ols", none},
                                     std::pair{"ks-bc-ols", none}}) {
    const auto [m, mc_se] = replication_mean(*make_estimator(name, params), *scenario, 300, 2000);
    EXPECT_LT(std::abs(m - 210.0), 3.5 * mc_se) << name << " mean " << m << " MC SE " << mc_se;
  }
}

}  // namespace
}  // namespace sb::estimation::testing
