// benchmarks/selection/metrics.h and semivalue.h on hand-computed cases and
// brute force.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "benchmarks/selection/metrics.h"
#include "benchmarks/selection/semivalue.h"

namespace sb::selection {
namespace {

TEST(LowCluster, HandCaseAndGlobalOptimumByBruteForce) {
  EXPECT_EQ(low_cluster_1d({5.0, 0.1, 0.0, 5.1, 0.2}), (std::vector<char>{0, 1, 1, 0, 1}));
  EXPECT_EQ(low_cluster_1d({1.0, 1.0, 1.0}), (std::vector<char>{0, 0, 0}));  // no split
  // Against every 2-partition: the optimum's sum of squares is the least.
  std::mt19937_64 rng(1);
  std::normal_distribution<double> normal;
  auto sse = [](const std::vector<double>& v, const std::vector<char>& low) {
    double total = 0;
    for (char side : {0, 1}) {
      double s = 0, q = 0, m = 0;
      for (size_t i = 0; i < v.size(); ++i) {
        if (low[i] == side) s += v[i], q += v[i] * v[i], m += 1;
      }
      if (m > 0) total += q - s * s / m;
    }
    return total;
  };
  for (int trial = 0; trial < 30; ++trial) {
    std::vector<double> v(9);
    for (auto& x : v) x = normal(rng) + (normal(rng) > 0 ? 3 : 0);
    const auto low = low_cluster_1d(v);
    double best = INFINITY;
    for (unsigned mask = 1; mask + 1 < (1u << 9); ++mask) {
      std::vector<char> part(9);
      for (int i = 0; i < 9; ++i) part[static_cast<size_t>(i)] = (mask >> i) & 1;
      best = std::min(best, sse(v, part));
    }
    EXPECT_NEAR(sse(v, low), best, 1e-9);
    // The low cluster holds the smaller values.
    double max_low = -INFINITY, min_high = INFINITY;
    for (size_t i = 0; i < v.size(); ++i) {
      if (low[i]) max_low = std::max(max_low, v[i]);
      else min_high = std::min(min_high, v[i]);
    }
    EXPECT_LT(max_low, min_high);
  }
}

TEST(Detection, F1PrecisionAtRateAndAurocByHand) {
  // predicted {0,1,2}, truth {1,2,3}: tp 2, fp 1, fn 1 -> F1 = 4/6.
  EXPECT_DOUBLE_EQ(f1_score({1, 1, 1, 0, 0}, {0, 1, 1, 1, 0}), 4.0 / 6);
  EXPECT_DOUBLE_EQ(f1_score({0, 0}, {1, 0}), 0.0);
  // Values: rows 3 and 0 lowest; corrupted {0, 2}: precision at rate 2 = 1/2.
  EXPECT_DOUBLE_EQ(precision_at_rate({0.1, 0.5, 0.3, 0.0}, {1, 0, 1, 0}), 0.5);
  // A tie at the cut goes to the lower index.
  EXPECT_DOUBLE_EQ(precision_at_rate({0.2, 0.2, 0.9}, {1, 0, 0}), 1.0);
  EXPECT_DOUBLE_EQ(precision_at_rate({0.2, 0.2, 0.9}, {0, 1, 0}), 0.0);
  // AUROC of -value: corrupted {0.1, 0.4}, clean {0.3, 0.4, 0.9}: pairs
  // (0.1 < 0.3, 0.4, 0.9) = 3, (0.4 vs 0.3: no, 0.4 tie: 1/2, 0.9: yes) = 1.5 -> 4.5 / 6.
  EXPECT_DOUBLE_EQ(auroc_low_values({0.1, 0.3, 0.4, 0.4, 0.9}, {1, 0, 1, 0, 0}), 4.5 / 6);
  EXPECT_DOUBLE_EQ(noisy_f1_kmeans({0.0, 0.1, 5.0, 5.2}, {1, 1, 0, 0}), 1.0);
}

TEST(Removal, OrderAreaAndWeightedAccuracyDropByHand) {
  EXPECT_EQ(value_order({0.3, 0.1, 0.3, 0.2}, true), (std::vector<Eigen::Index>{1, 3, 0, 2}));
  EXPECT_EQ(value_order({0.3, 0.1, 0.3, 0.2}, false), (std::vector<Eigen::Index>{0, 2, 3, 1}));
  EXPECT_DOUBLE_EQ(curve_area({0.9, 0.8, 0.6, 0.5}), 0.7);
  // (0.9 - 0.8) / 1 + (0.9 - 0.6) / 2 = 0.25; as pyDVL's double sum:
  // j = 1: (0.1) / 1; j = 2: (0.1 + 0.2) / 2.
  EXPECT_NEAR(weighted_accuracy_drop({0.9, 0.8, 0.6}), 0.25, 1e-15);
}

TEST(Agreement, SpearmanAndRelativeL2ByHand) {
  EXPECT_DOUBLE_EQ(spearman({1, 2, 3, 4, 5}, {2, 1, 4, 3, 5}), 1 - 6.0 * 4 / (5 * 24));
  EXPECT_DOUBLE_EQ(spearman({1, 2, 3}, {30, 20, 10}), -1.0);
  EXPECT_TRUE(std::isnan(spearman({1, 1, 1}, {1, 2, 3})));
  // Ties: ranks (1.5, 1.5, 3) vs (1, 2, 3): Pearson of the ranks = sqrt(3)/2.
  EXPECT_NEAR(spearman({0, 0, 1}, {1, 2, 3}), std::sqrt(3.0) / 2, 1e-15);
  EXPECT_DOUBLE_EQ(relative_l2({1, 2}, {1, 0}), 2.0);
  EXPECT_TRUE(std::isnan(relative_l2({1, 2}, {0, 0})));
}

TEST(Semivalue, WeightsSumToOneAndBetaOneOneIsShapley) {
  for (int n : {1, 2, 5, 12}) {
    for (const auto& w : {shapley_weights(n), banzhaf_weights(n), beta_weights(n, 16, 1), beta_weights(n, 4, 2)}) {
      double total = 0;
      for (int k = 0; k < n; ++k) total += std::exp(std::lgamma(n) - std::lgamma(k + 1) - std::lgamma(n - k)) * w[static_cast<size_t>(k)];
      // Banzhaf's weights sum to 1 too: sum_k C(n-1, k) / 2^(n-1).
      EXPECT_NEAR(total, 1.0, 1e-12) << "n = " << n;
    }
    const auto s = shapley_weights(n);
    for (int k = 0; k < n; ++k) {
      // k! (n-1-k)! / n!
      const double direct = std::exp(std::lgamma(k + 1) + std::lgamma(n - k) - std::lgamma(n + 1));
      EXPECT_NEAR(s[static_cast<size_t>(k)], direct, 1e-14 * std::max(1.0, direct));
    }
    for (double f : permutation_importance(s)) EXPECT_NEAR(f, 1.0, 1e-12);
  }
  // Beta(16, 1) weighs small subsets most.
  const auto b = beta_weights(6, 16, 1);
  EXPECT_GT(b[0], b[5]);
}

TEST(Semivalue, ShapleyFromUtilitiesEqualsTheMeanOverAllPermutations) {
  const int n = 4;
  std::mt19937_64 rng(2);
  std::vector<double> u(1u << n);
  for (auto& x : u) x = std::uniform_real_distribution<double>(0, 1)(rng);
  u[0] = 0;
  const auto phi = semivalues_from_utilities(u, n, shapley_weights(n));
  std::vector<int> perm = {0, 1, 2, 3};
  std::vector<double> brute(n, 0.0);
  int count = 0;
  do {
    unsigned mask = 0;
    for (int i : perm) {
      brute[static_cast<size_t>(i)] += u[mask | (1u << i)] - u[mask];
      mask |= 1u << i;
    }
    ++count;
  } while (std::next_permutation(perm.begin(), perm.end()));
  double total = 0;
  for (int i = 0; i < n; ++i) {
    EXPECT_NEAR(phi[static_cast<size_t>(i)], brute[static_cast<size_t>(i)] / count, 1e-12);
    total += phi[static_cast<size_t>(i)];
  }
  EXPECT_NEAR(total, u[(1u << n) - 1] - u[0], 1e-12);  // efficiency
  // Banzhaf: the plain mean of the 2^(n-1) marginal contributions.
  const auto banzhaf = semivalues_from_utilities(u, n, banzhaf_weights(n));
  double b0 = 0;
  for (unsigned mask = 0; mask < (1u << n); ++mask) {
    if (!(mask & 1u)) b0 += u[mask | 1u] - u[mask];
  }
  EXPECT_NEAR(banzhaf[0], b0 / 8, 1e-12);
}

}  // namespace
}  // namespace sb::selection
