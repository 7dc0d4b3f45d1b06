#include "benchmarks/ood/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "harness/core/errors.h"

namespace sb::ood {
namespace {

using V = std::vector<double>;

DetectionMetrics M(const V& id, const V& ood) { return detection_metrics(id, ood); }

// Brute force from the definitions: AUROC over all pairs; AP over every
// distinct threshold (descending) as sklearn's average_precision_score;
// FPR at the first threshold (descending) with TPR >= 0.95.
DetectionMetrics brute(const V& id, const V& ood) {
  DetectionMetrics m;
  double wins = 0;
  for (double a : id)
    for (double b : ood) wins += a > b ? 1.0 : a == b ? 0.5 : 0.0;
  m.auroc = wins / (id.size() * ood.size());
  auto ap = [](const V& pos, const V& neg) {
    V t = pos;
    t.insert(t.end(), neg.begin(), neg.end());
    std::sort(t.begin(), t.end(), std::greater<>());
    t.erase(std::unique(t.begin(), t.end()), t.end());
    double sum = 0, prev_recall = 0;
    for (double th : t) {
      double tp = 0, fp = 0;
      for (double x : pos) tp += x >= th;
      for (double x : neg) fp += x >= th;
      const double recall = tp / pos.size();
      sum += (recall - prev_recall) * tp / (tp + fp);
      prev_recall = recall;
    }
    return sum;
  };
  m.aupr_in = ap(id, ood);
  V nid, nood;
  for (double x : id) nid.push_back(-x);
  for (double x : ood) nood.push_back(-x);
  m.aupr_out = ap(nood, nid);
  V t = id;
  std::sort(t.begin(), t.end(), std::greater<>());
  for (double th : t) {
    double tp = 0;
    for (double x : id) tp += x >= th;
    if (tp / id.size() >= 0.95 - 1e-12) {
      double fp = 0;
      for (double x : ood) fp += x >= th;
      m.fpr95 = fp / ood.size();
      break;
    }
  }
  return m;
}

TEST(OodMetrics, PerfectSeparation) {
  const auto m = M({3, 4}, {1, 2});
  EXPECT_EQ(m.auroc, 1.0);
  EXPECT_EQ(m.aupr_in, 1.0);
  EXPECT_EQ(m.aupr_out, 1.0);
  EXPECT_EQ(m.fpr95, 0.0);
}

TEST(OodMetrics, ReversedScores) {
  // By hand: AP-In = 1/2 * 1/3 + 1/2 * 2/4 = 5/12; symmetric for AP-Out.
  const auto m = M({1, 2}, {3, 4});
  EXPECT_EQ(m.auroc, 0.0);
  EXPECT_NEAR(m.aupr_in, 5.0 / 12, 1e-15);
  EXPECT_NEAR(m.aupr_out, 5.0 / 12, 1e-15);
  EXPECT_EQ(m.fpr95, 1.0);
}

TEST(OodMetrics, AllEqualScores) {
  const auto m = M({1, 1, 1}, {1, 1});
  EXPECT_EQ(m.auroc, 0.5);
  EXPECT_NEAR(m.aupr_in, 0.6, 1e-15);   // one threshold: precision 3/5 at recall 1
  EXPECT_NEAR(m.aupr_out, 0.4, 1e-15);  // 2/5
  EXPECT_EQ(m.fpr95, 1.0);
}

TEST(OodMetrics, HandComputedTies) {
  // Same numbers from sklearn 1.2: roc_auc_score 0.625, average_precision_score
  // 0.65 (ID positive) and 0.642857... (OOD positive, negated), roc_curve FPR 2/3.
  const auto m = M({0.5, 0.8, 0.8, 0.2}, {0.8, 0.1, 0.5});
  EXPECT_NEAR(m.auroc, 7.5 / 12, 1e-15);
  EXPECT_NEAR(m.aupr_in, 1.0 / 3 + 0.15 + 1.0 / 6, 1e-15);
  EXPECT_NEAR(m.aupr_out, 1.0 / 3 + 1.0 / 6 + 1.0 / 7, 1e-15);
  EXPECT_NEAR(m.fpr95, 2.0 / 3, 1e-15);
}

TEST(OodMetrics, SingleExamplePerClass) {
  auto m = M({1}, {0});
  EXPECT_EQ(m.auroc, 1.0);
  EXPECT_EQ(m.aupr_in, 1.0);
  EXPECT_EQ(m.aupr_out, 1.0);
  EXPECT_EQ(m.fpr95, 0.0);
  m = M({0}, {1});
  EXPECT_EQ(m.auroc, 0.0);
  EXPECT_EQ(m.aupr_in, 0.5);
  EXPECT_EQ(m.aupr_out, 0.5);
  EXPECT_EQ(m.fpr95, 1.0);
  m = M({2}, {2});
  EXPECT_EQ(m.auroc, 0.5);
}

TEST(OodMetrics, NegativeZeroTiesWithZeroAndInfinitiesSort) {
  EXPECT_EQ(M({-0.0}, {0.0}).auroc, 0.5);
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(M({inf, 5}, {-inf, -1e300}).auroc, 1.0);
  EXPECT_EQ(M({-5, -1}, {-3}).auroc, 0.5);  // negative numbers order correctly
}

TEST(OodMetrics, Fpr95ThresholdConvention) {
  // 20 ID scores 1..20: TPR >= 0.95 first at threshold 2 (19/20). OOD scores
  // 1.5 and 2 (tie, counted as accepted) and 3 -> 2 of 4 OOD at or above 2.
  V id;
  for (int i = 1; i <= 20; ++i) id.push_back(i);
  EXPECT_EQ(M(id, {1.5, 2, 3, 0}).fpr95, 0.5);
}

TEST(OodMetrics, EmptyOrNanInputThrows) {
  EXPECT_THROW(M({}, {1}), InputError);
  EXPECT_THROW(M({1}, {}), InputError);
  EXPECT_THROW(M({1, std::nan("")}, {0}), InputError);
  EXPECT_THROW(M({1}, {std::nan("")}), InputError);
}

TEST(OodMetrics, MatchesBruteForceOnRandomTiedScores) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    const int n_id = 1 + rng() % 40, n_ood = 1 + rng() % 40, levels = 1 + rng() % 12;
    V id, ood;
    for (int i = 0; i < n_id; ++i) id.push_back(static_cast<double>(rng() % levels) - 3.0);
    for (int i = 0; i < n_ood; ++i) ood.push_back(static_cast<double>(rng() % levels) * 0.9 - 3.0);
    const auto a = M(id, ood), b = brute(id, ood);
    ASSERT_NEAR(a.auroc, b.auroc, 1e-12) << trial;
    ASSERT_NEAR(a.aupr_in, b.aupr_in, 1e-12) << trial;
    ASSERT_NEAR(a.aupr_out, b.aupr_out, 1e-12) << trial;
    ASSERT_NEAR(a.fpr95, b.fpr95, 1e-12) << trial;
  }
}

TEST(OodMetrics, MatchesBruteForceOnContinuousScoresAcrossRadixPasses) {
  std::mt19937_64 rng(11);
  std::normal_distribution<double> normal;
  V id, ood;
  for (int i = 0; i < 300; ++i) id.push_back(normal(rng) * 1e3 + 0.5);
  for (int i = 0; i < 250; ++i) ood.push_back(normal(rng) * 1e-3);
  const auto a = M(id, ood), b = brute(id, ood);
  EXPECT_NEAR(a.auroc, b.auroc, 1e-12);
  EXPECT_NEAR(a.aupr_in, b.aupr_in, 1e-12);
  EXPECT_NEAR(a.aupr_out, b.aupr_out, 1e-12);
  EXPECT_NEAR(a.fpr95, b.fpr95, 1e-12);
}

}  // namespace
}  // namespace sb::ood
