#include "results/aggregate/compare.h"

#include <gtest/gtest.h>

#include <cmath>

#include "harness/core/errors.h"
#include "tests/results/fixtures.h"

namespace sb {
namespace {

using testing::make_cell;

std::vector<MetricInfo> infos() { return {{"acc", true, "accuracy"}, {"loss", false, "loss"}}; }

// Side A: acc = 0.5 + 0.01 s over seeds 0..5; side B adds 0.1 + 0.001 s^2
// (every difference positive and distinct), on arm d1 / m[k=1].
std::vector<CellRecord> side(bool b) {
  std::vector<CellRecord> out;
  for (int s = 0; s < 6; ++s) {
    const double acc = 0.5 + 0.01 * s + (b ? 0.1 + 0.001 * s * s : 0);
    out.push_back(make_cell("toy", "d1[n=5]", "m[k=1]", s, {{"acc", acc}, {"loss", 1 - acc}}));
  }
  return out;
}

TEST(Compare, DifferenceAndTestsByHand) {
  const auto c = compare_results(side(false), side(true), {{"toy", infos()}});
  ASSERT_EQ(c.arms.size(), 1u);
  const auto& arm = c.arms[0];
  EXPECT_EQ(arm.metric, "acc");  // the primary metric: first with a direction
  EXPECT_EQ(arm.n_pairs, 6u);
  // Mean of 0.1 + 0.001 s^2 over s = 0..5: 0.1 + 0.001 * 55 / 6.
  EXPECT_NEAR(arm.difference, 0.1 + 0.055 / 6, 1e-12);
  EXPECT_NEAR(arm.mean_a, 0.525, 1e-12);
  EXPECT_NEAR(arm.relative, arm.difference / 0.525, 1e-12);
  // Six positive differences: W+ = 21, exact two-sided p = 2 / 2^6.
  EXPECT_DOUBLE_EQ(arm.wilcoxon.w_plus, 21);
  EXPECT_NEAR(arm.wilcoxon.p_value, 2.0 / 64, 1e-12);
  EXPECT_GT(arm.t.t, 0);
  EXPECT_EQ(arm.verdict, CompareVerdict::kBetter);
}

TEST(Compare, VerdictFollowsTheMetricDirection) {
  CompareOptions options;
  options.metrics = {"loss", "acc"};
  const auto c = compare_results(side(false), side(true), {{"toy", infos()}}, options);
  ASSERT_EQ(c.arms.size(), 2u);
  EXPECT_EQ(c.arms[0].metric, "loss");
  EXPECT_EQ(c.arms[0].verdict, CompareVerdict::kBetter);  // loss went down
  EXPECT_LT(c.arms[0].difference, 0);
  EXPECT_EQ(c.arms[1].verdict, CompareVerdict::kBetter);  // acc went up
  // The other way round, both are worse.
  const auto back = compare_results(side(true), side(false), {{"toy", infos()}}, options);
  EXPECT_EQ(back.arms[0].verdict, CompareVerdict::kWorse);
  EXPECT_EQ(back.arms[1].verdict, CompareVerdict::kWorse);
  // Undeclared metric: significant but no direction.
  const auto none = compare_results(side(false), side(true), {}, options);
  EXPECT_EQ(none.arms[0].verdict, CompareVerdict::kDiffers);
  // A stricter alpha than the smallest attainable p: not significant.
  options.alpha = 0.01;
  EXPECT_EQ(compare_results(side(false), side(true), {{"toy", infos()}}, options).arms[0].verdict,
            CompareVerdict::kNotSignificant);
}

TEST(Compare, UnpairedSeedsAndOneSidedArms) {
  auto a = side(false), b = side(true);
  b.pop_back();                                      // seed 5 only in A
  b[0] = make_cell("toy", "d1[n=5]", "m[k=1]", 0, {}, "error");  // seed 0 failed in B
  a.push_back(make_cell("toy", "d2[n=5]", "m[k=1]", 0, {{"acc", 1}}));
  b.push_back(make_cell("toy", "d1[n=5]", "other", 0, {{"acc", 1}}));
  const auto c = compare_results(a, b, {{"toy", infos()}});
  ASSERT_EQ(c.arms.size(), 1u);
  EXPECT_EQ(c.arms[0].n_pairs, 4u);
  EXPECT_EQ(c.arms[0].n_unpaired, 2u);
  EXPECT_NEAR(c.arms[0].difference, 0.1 + 0.001 * (1 + 4 + 9 + 16) / 4.0, 1e-12);
  EXPECT_EQ(c.arms[0].verdict, CompareVerdict::kNotSignificant);  // p >= 2 / 2^4
  ASSERT_EQ(c.only_in_a.size(), 1u);
  EXPECT_EQ(c.only_in_a[0].dataset_label, "d2[n=5]");
  ASSERT_EQ(c.only_in_b.size(), 1u);
  EXPECT_EQ(c.only_in_b[0].method_label, "other");
}

TEST(Compare, TheCellFinishedLastCountsForADuplicatedSeed) {
  auto a = side(false), b = side(false);
  auto newer = make_cell("toy", "d1[n=5]", "m[k=1]", 0, {{"acc", 10.5}});
  newer.finished_at = "2030-01-01T00:00:00Z";
  b.insert(b.begin(), newer);
  const auto c = compare_results(a, b, {{"toy", infos()}});
  EXPECT_NEAR(c.arms[0].difference, 10.0 / 6, 1e-12);
}

TEST(Compare, ErrorsNameWhatIsMissing) {
  CompareOptions options;
  options.metrics = {"nope"};
  EXPECT_THROW(compare_results(side(false), side(true), {{"toy", infos()}}, options), InputError);
  auto other = side(true);
  for (auto& r : other) r.method_label = "x";
  EXPECT_THROW(compare_results(side(false), other, {{"toy", infos()}}), InputError);
  EXPECT_THROW(compare_results(side(false), side(true), {{"toy", {{"estimate", true, "", false, false}}}}),
               InputError);  // no metric with a direction and no --metric
}

TEST(Compare, ShortLabelsOverBothSides) {
  auto a = side(false), b = side(true);
  for (auto& r : b) r.method_label = "m[k=2]";
  b.insert(b.end(), a.begin(), a.end());  // B has k=1 and k=2, A only k=1
  auto c = compare_results(a, b, {{"toy", infos()}});
  shorten_labels(c);
  EXPECT_EQ(c.arms[0].dataset_label, "d1");
  EXPECT_EQ(c.arms[0].method_label, "m[k=1]");
  ASSERT_EQ(c.only_in_b.size(), 1u);
  EXPECT_EQ(c.only_in_b[0].method_label, "m[k=2]");
}

}  // namespace
}  // namespace sb
