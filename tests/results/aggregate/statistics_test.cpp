#include "results/aggregate/statistics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "harness/core/errors.h"

namespace sb::stats {
namespace {

TEST(Statistics, MeanAndSampleSdByHand) {
  // mean 5, squared deviations 9+1+1+9 = 20, sd = sqrt(20/3).
  const std::vector<double> x = {2, 4, 6, 8};
  EXPECT_DOUBLE_EQ(mean(x), 5.0);
  EXPECT_DOUBLE_EQ(sample_sd(x), std::sqrt(20.0 / 3.0));
  EXPECT_TRUE(std::isnan(sample_sd({1.0})));
  EXPECT_TRUE(std::isnan(mean({})));
}

TEST(Statistics, StudentTQuantilesMatchTables) {
  EXPECT_NEAR(student_t_quantile(0.975, 4), 2.776, 5e-4);
  EXPECT_NEAR(student_t_quantile(0.975, 9), 2.262, 5e-4);
  EXPECT_NEAR(student_t_quantile(0.95, 19), 1.729, 5e-4);
  EXPECT_NEAR(normal_quantile(0.975), 1.95996, 1e-5);
}

TEST(Statistics, MeanCIUsesStudentT) {
  // n = 5, mean 3, sd = sqrt(2.5); half width = 2.7764 * sqrt(2.5) / sqrt(5).
  const auto ci = mean_ci({1, 2, 3, 4, 5}, 0.95);
  EXPECT_EQ(ci.n, 5u);
  EXPECT_DOUBLE_EQ(ci.mean, 3.0);
  EXPECT_NEAR(ci.half_width, 2.7764451051977987 * std::sqrt(2.5) / std::sqrt(5.0), 1e-12);
  EXPECT_NEAR(ci.low(), 3 - ci.half_width, 1e-15);
  EXPECT_TRUE(std::isnan(mean_ci({7.0}).half_width));
  EXPECT_THROW(mean_ci({1, 2}, 1.5), InputError);
}

TEST(Statistics, WilsonIntervalMatchesReference) {
  // Reference values: statsmodels proportion_confint(method="wilson").
  auto a = wilson_ci(17, 20, 0.95);
  EXPECT_DOUBLE_EQ(a.estimate, 0.85);
  EXPECT_NEAR(a.low, 0.639581135259243, 1e-9);
  EXPECT_NEAR(a.high, 0.9476312541037833, 1e-9);
  // 0 of 10: closed form upper end z^2/n / (1 + z^2/n).
  auto b = wilson_ci(0, 10, 0.95);
  const double z2 = 1.959963984540054 * 1.959963984540054;
  EXPECT_DOUBLE_EQ(b.low, 0.0);
  EXPECT_NEAR(b.high, (z2 / 10) / (1 + z2 / 10), 1e-12);
  auto c = wilson_ci(10, 10, 0.90);
  EXPECT_NEAR(c.low, 0.7870580299165928, 1e-9);
  EXPECT_DOUBLE_EQ(c.high, 1.0);
  EXPECT_TRUE(std::isnan(wilson_ci(0, 0).estimate));
  EXPECT_THROW(wilson_ci(3, 2), InputError);
}

TEST(Statistics, AverageRanksWithTiesAndDirection) {
  EXPECT_EQ(average_ranks({0.9, 0.7, 0.9, 0.5}, true), (std::vector<double>{1.5, 3, 1.5, 4}));
  EXPECT_EQ(average_ranks({0.9, 0.7, 0.9, 0.5}, false), (std::vector<double>{3.5, 2, 3.5, 1}));
  EXPECT_EQ(average_ranks({2, 2, 2}, true), (std::vector<double>{2, 2, 2}));
  const double nan = std::nan("");
  EXPECT_EQ(average_ranks({nan, 1, nan, 3}, true), (std::vector<double>{3.5, 2, 3.5, 1}));
}

TEST(Statistics, FriedmanHandComputedExample) {
  // Blocks (rows) x 3 methods, lower is better.
  // Ranks: (1,2,3) (2,3,1) (3,1,2) (1,3,2); rank sums 7, 9, 8 ->
  // mean ranks 1.75, 2.25, 2.0.
  // chi2 = 12*4/(3*4) * (1.75^2 + 2.25^2 + 2^2 - 3*4^2/4) = 4 * 0.125 = 0.5
  // (scipy.stats.friedmanchisquare agrees: 0.5, p = 0.7788).
  // F_F = (4-1)*0.5 / (4*2 - 0.5) = 0.2.
  const std::vector<std::vector<double>> scores = {{1, 2, 3}, {2, 3, 1}, {3, 1, 2}, {1, 3, 2}};
  const auto r = friedman_test(scores, /*higher_is_better=*/false);
  EXPECT_EQ(r.mean_ranks, (std::vector<double>{1.75, 2.25, 2.0}));
  EXPECT_NEAR(r.chi_square, 0.5, 1e-12);
  EXPECT_NEAR(r.chi_square_p, 0.7788007830714049, 1e-9);
  EXPECT_NEAR(r.iman_davenport_f, 0.2, 1e-12);
  // Direction reverses the ranks but not the statistic (k + 1 - r).
  const auto flipped = friedman_test(scores, true);
  EXPECT_NEAR(flipped.chi_square, 0.5, 1e-12);
  EXPECT_DOUBLE_EQ(flipped.mean_ranks[0], 4 - 1.75);
}

TEST(Statistics, FriedmanDemsarWorkedExample) {
  // Demšar (2006), Section 3.2.2: four C4.5 variants on 14 data sets, mean
  // ranks 3.143, 2.000, 2.893, 1.964 -> chi2_F = 9.28, F_F = 3.69.
  const auto r = friedman_from_mean_ranks({3.143, 2.000, 2.893, 1.964}, 14);
  EXPECT_NEAR(r.chi_square, 9.28, 0.01);
  EXPECT_NEAR(r.iman_davenport_f, 3.69, 0.01);
  // Critical F(3, 39) at alpha 0.05 is 2.85 < 3.69: the null is rejected.
  EXPECT_LT(r.iman_davenport_p, 0.05);
  EXPECT_THROW(friedman_from_mean_ranks({1.0}, 5), InputError);
}

TEST(Statistics, FriedmanPerfectAgreementIsInfiniteF) {
  const auto r = friedman_test({{1, 2, 3}, {1, 2, 3}, {1, 2, 3}}, true);
  EXPECT_TRUE(std::isinf(r.iman_davenport_f));
  EXPECT_EQ(r.iman_davenport_p, 0.0);
  EXPECT_THROW(friedman_test({{1, 2}, {1}}, true), InputError);
}

TEST(Statistics, NemenyiCriticalDifferenceOfDemsar) {
  EXPECT_NEAR(nemenyi_q(0.05, 4), 2.569, 5e-4);
  // k = 4, N = 14: CD = 2.569 * sqrt(4*5 / (6*14)) = 1.25.
  EXPECT_NEAR(nemenyi_cd(0.05, 4, 14), 1.25, 0.005);
  EXPECT_NEAR(nemenyi_cd(0.10, 4, 14), nemenyi_q(0.10, 4) * std::sqrt(20.0 / 84.0), 1e-12);
  EXPECT_THROW(nemenyi_q(0, 4), InputError);
  EXPECT_THROW(nemenyi_q(1, 4), InputError);
  EXPECT_THROW(nemenyi_q(0.05, 1), InputError);
  EXPECT_THROW(nemenyi_cd(0.05, 4, 0), InputError);
}

// The computed quantiles against published tables: Demšar (2006), Table 5(a)
// (the Nemenyi q, 3 decimals, k = 2..10: 3-decimal studentized range values
// divided by sqrt(2), so within 1e-3) and the studentized range with
// infinite df of Harter (1960) as reprinted in Tukey HSD tables (3 decimals
// for k = 11..20 at alpha 0.05; 2 decimals at alpha 0.01).
TEST(Statistics, NemenyiQuantilesMatchPublishedTables) {
  const double q05[] = {1.960, 2.343, 2.569, 2.728, 2.850, 2.949, 3.031, 3.102, 3.164};
  const double q10[] = {1.645, 2.052, 2.291, 2.459, 2.589, 2.693, 2.780, 2.855, 2.920};
  for (std::size_t k = 2; k <= 10; ++k) {
    EXPECT_NEAR(nemenyi_q(0.05, k), q05[k - 2], 1e-3) << k;
    EXPECT_NEAR(nemenyi_q(0.10, k), q10[k - 2], 1e-3) << k;
  }
  const double range05[] = {4.552, 4.622, 4.685, 4.743, 4.796, 4.845, 4.891, 4.934, 4.974, 5.012};
  for (std::size_t k = 11; k <= 20; ++k) {
    EXPECT_NEAR(normal_range_quantile(0.95, k), range05[k - 11], 1.1e-3) << k;
  }
  EXPECT_NEAR(normal_range_quantile(0.99, 2), 3.64, 6e-3);
  EXPECT_NEAR(normal_range_quantile(0.99, 5), 4.60, 6e-3);
  EXPECT_NEAR(normal_range_quantile(0.99, 10), 5.16, 6e-3);
  EXPECT_NEAR(normal_range_quantile(0.99, 20), 5.65, 6e-3);
  // k = 2: the range of two normals is |N(0, 2)|, so q / sqrt(2) = z_{1 - alpha/2}.
  EXPECT_NEAR(nemenyi_q(0.05, 2), 1.959963984540054, 1e-9);
}

// P(range of k iid N(0,1) < w) by an independent integration (trapezoid,
// another grid) for many methods, where no table reaches.
double trapezoid_range_cdf(double w, int k) {
  const double lo = -9, hi = 9;
  const int steps = 6000;
  const double h = (hi - lo) / steps;
  double sum = 0;
  for (int i = 0; i <= steps; ++i) {
    const double z = lo + i * h;
    const double phi = std::exp(-z * z / 2) / std::sqrt(2 * M_PI);
    const double inner = 0.5 * std::erfc(-(z + w) / std::sqrt(2.0)) - 0.5 * std::erfc(-z / std::sqrt(2.0));
    const double f = phi * std::pow(inner, k - 1);
    sum += (i == 0 || i == steps) ? f / 2 : f;
  }
  return k * sum * h;
}

TEST(Statistics, NormalRangeCdfAgreesWithAnIndependentIntegralForManyMethods) {
  for (int k : {2, 17, 40, 100}) {
    for (double w : {1.0, 3.0, 5.0, 6.5}) {
      EXPECT_NEAR(normal_range_cdf(w, static_cast<std::size_t>(k)), trapezoid_range_cdf(w, k), 1e-8)
          << k << " " << w;
    }
    const double q = normal_range_quantile(0.95, static_cast<std::size_t>(k));
    EXPECT_NEAR(trapezoid_range_cdf(q, k), 0.95, 1e-8);
  }
  EXPECT_GT(nemenyi_q(0.05, 17), nemenyi_q(0.05, 16));  // grows with k
}

// Demšar (2006), Table 5(b); his k = 9 entry at alpha 0.05 (2.724) is a
// misprint of z_{1 - 0.05/16} = 2.734.
TEST(Statistics, BonferroniDunnMatchesDemsar) {
  const double q05[] = {1.960, 2.241, 2.394, 2.498, 2.576, 2.638, 2.690, 2.734, 2.773};
  const double q10[] = {1.645, 1.960, 2.128, 2.241, 2.326, 2.394, 2.450, 2.498, 2.539};
  for (std::size_t k = 2; k <= 10; ++k) {
    EXPECT_NEAR(bonferroni_dunn_q(0.05, k), q05[k - 2], 6e-4) << k;
    EXPECT_NEAR(bonferroni_dunn_q(0.10, k), q10[k - 2], 6e-4) << k;
  }
  EXPECT_NEAR(bonferroni_dunn_cd(0.05, 5, 14), 2.498 * std::sqrt(30.0 / 84.0), 1e-3);
  EXPECT_THROW(bonferroni_dunn_q(0.05, 1), InputError);
}

TEST(Statistics, WilcoxonExactSmallByHand) {
  // Five positive differences, no ties: W+ = 15 is the most extreme of 2^5
  // sign patterns, so p = 2 / 32.
  const auto r = wilcoxon_signed_rank({1, 2, 3, 4, 5}, {0, 0, 0, 0, 0});
  EXPECT_TRUE(r.exact);
  EXPECT_EQ(r.n_nonzero, 5u);
  EXPECT_DOUBLE_EQ(r.w_plus, 15);
  EXPECT_DOUBLE_EQ(r.p_value, 2.0 / 32.0);
  // Zero differences are dropped.
  const auto z = wilcoxon_signed_rank({1, 2, 3, 4, 5, 7}, {0, 0, 0, 0, 0, 7});
  EXPECT_EQ(z.n_nonzero, 5u);
  EXPECT_DOUBLE_EQ(z.p_value, 2.0 / 32.0);
  const auto none = wilcoxon_signed_rank({1, 2}, {1, 2});
  EXPECT_EQ(none.n_nonzero, 0u);
  EXPECT_EQ(none.p_value, 1.0);
}

TEST(Statistics, WilcoxonExactMatchesScipy) {
  // scipy.stats.wilcoxon(x, y, mode="exact") -> statistic 5.0, p 0.0390625.
  const std::vector<double> x = {1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30};
  const std::vector<double> y = {0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29};
  const auto r = wilcoxon_signed_rank(x, y);
  EXPECT_DOUBLE_EQ(r.w_minus, 5.0);
  EXPECT_DOUBLE_EQ(r.w_plus, 40.0);
  EXPECT_NEAR(r.p_value, 0.0390625, 1e-12);
}

TEST(Statistics, WilcoxonExactWithTiesMatchesBruteForce) {
  // Tied |d| (averaged ranks): compare the DP with enumerating all 2^n signs.
  const std::vector<double> d = {1, -1, 2, 2, -2, 3, 3, 4, -5, 5, 5, 6};
  const std::vector<double> zero(d.size(), 0.0);
  const auto r = wilcoxon_signed_rank(d, zero);
  const auto ranks = average_ranks([&] {
    std::vector<double> a;
    for (double v : d) a.push_back(std::abs(v));
    return a;
  }(), false);
  const int n = static_cast<int>(d.size());
  int low = 0, high = 0;
  for (int mask = 0; mask < (1 << n); ++mask) {
    double w = 0;
    for (int i = 0; i < n; ++i) if (mask & (1 << i)) w += ranks[i];
    if (w <= r.w_plus + 1e-9) ++low;
    if (w >= r.w_plus - 1e-9) ++high;
  }
  const double expected = std::min(1.0, 2.0 * std::min(low, high) / (1 << n));
  EXPECT_TRUE(r.exact);
  EXPECT_NEAR(r.p_value, expected, 1e-12);
}

TEST(Statistics, WilcoxonNormalApproximationMatchesScipy) {
  // 30 values, two zeros (dropped -> n = 28 > 25), many ties.
  // scipy.stats.wilcoxon(a, zeros, zero_method="wilcox", correction=True,
  // mode="approx") -> statistic 135.5, p 0.12587960376128726.
  const std::vector<double> a = {2.3, -2.3, 0.7, -0.3, -0.2, 0.1, -1.7, 0.1, -0.6, 3.6,
                                 0.5, -0.1, 0.0,  -0.4, -0.8, -0.1, 0.8, 0.1, 1.3, 0.1,
                                 0.3, 1.8,  0.8,  -0.2, 0.1,  0.8,  2.2, 0.0, 0.1, 1.3};
  const auto r = wilcoxon_signed_rank(a, std::vector<double>(a.size(), 0.0));
  EXPECT_FALSE(r.exact);
  EXPECT_EQ(r.n_nonzero, 28u);
  EXPECT_DOUBLE_EQ(std::min(r.w_plus, r.w_minus), 135.5);
  EXPECT_NEAR(r.p_value, 0.12587960376128726, 1e-9);
}

TEST(Statistics, HolmAdjustmentByHand) {
  // Sorted p: 0.01 (x3 = 0.03), 0.02 (x2 = 0.04), 0.04 (x1 = 0.04).
  const auto adj = holm_adjust({0.04, 0.01, 0.02});
  EXPECT_NEAR(adj[0], 0.04, 1e-15);
  EXPECT_NEAR(adj[1], 0.03, 1e-15);
  EXPECT_NEAR(adj[2], 0.04, 1e-15);
  // Monotonicity: a later raw p smaller after scaling still gets the max.
  const auto mono = holm_adjust({0.01, 0.011, 0.5});
  EXPECT_NEAR(mono[0], 0.03, 1e-15);
  EXPECT_NEAR(mono[1], 0.03, 1e-15);  // 2 * 0.011 = 0.022 < 0.03
  EXPECT_NEAR(mono[2], 0.5, 1e-15);
  EXPECT_EQ(holm_adjust({0.9, 0.8})[0], 1.0);
}

TEST(Statistics, PairwiseWilcoxonHolmCoversAllPairs) {
  const std::vector<std::vector<double>> s = {{1, 2, 3, 4, 5}, {0, 0, 0, 0, 0}, {1, 2, 3, 4, 5}};
  const auto tests = pairwise_wilcoxon_holm(s);
  ASSERT_EQ(tests.size(), 3u);
  EXPECT_EQ(tests[0].a, 0u);
  EXPECT_EQ(tests[0].b, 1u);
  EXPECT_DOUBLE_EQ(tests[0].test.p_value, 0.0625);
  EXPECT_DOUBLE_EQ(tests[1].test.p_value, 1.0);  // identical samples
  // Two p = 0.0625 and one p = 1: Holm gives 3*0.0625, then max(0.1875, 2*0.0625).
  EXPECT_DOUBLE_EQ(tests[0].p_holm, 0.1875);
  EXPECT_DOUBLE_EQ(tests[2].p_holm, 0.1875);
  EXPECT_DOUBLE_EQ(tests[1].p_holm, 1.0);
}

// Closed forms of Student's t: df = 1 is Cauchy, P(|T| > t) = 1 - 2 atan(t) / pi;
// df = 2 has P(|T| > t) = 1 - t / sqrt(2 + t^2).
TEST(Statistics, PairedTMatchesClosedFormsForOneAndTwoDegreesOfFreedom) {
  // d = (1, 3): mean 2, sd sqrt(2), se 1, t = 2.
  const auto one = paired_t_test({2, 5}, {1, 2});
  EXPECT_EQ(one.n, 2u);
  EXPECT_DOUBLE_EQ(one.mean_difference, 2.0);
  EXPECT_NEAR(one.t, 2.0, 1e-12);
  EXPECT_NEAR(one.p_value, 1 - 2 * std::atan(2.0) / M_PI, 1e-10);
  // d = (1, 2, 6): mean 3, sd sqrt(7), t = 3 / sqrt(7 / 3); the sign follows x - y.
  const auto two = paired_t_test({0, 0, 0}, {1, 2, 6});
  const double t = 3 / std::sqrt(7.0 / 3.0);
  EXPECT_NEAR(two.t, -t, 1e-12);
  EXPECT_NEAR(two.p_value, 1 - t / std::sqrt(2 + t * t), 1e-10);
}

TEST(Statistics, PairedTDegenerateCases) {
  EXPECT_TRUE(std::isnan(paired_t_test({1}, {0}).p_value));
  EXPECT_DOUBLE_EQ(paired_t_test({1, 2}, {1, 2}).p_value, 1.0);
  const auto shift = paired_t_test({2, 3}, {1, 2});
  EXPECT_DOUBLE_EQ(shift.p_value, 0.0);
  EXPECT_TRUE(std::isinf(shift.t) && shift.t > 0);
  EXPECT_THROW(paired_t_test({1, 2}, {1}), InputError);
}

}  // namespace
}  // namespace sb::stats
