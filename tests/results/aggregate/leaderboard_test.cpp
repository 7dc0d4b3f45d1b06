#include "results/aggregate/leaderboard.h"

#include <gtest/gtest.h>

#include <cmath>

#include <fmt/format.h>

#include "harness/core/errors.h"
#include "results/aggregate/statistics.h"
#include "results/render/table.h"
#include "tests/results/fixtures.h"

namespace sb {
namespace {

using testing::make_cell;
using testing::toy_infos;
using testing::toy_records;

TEST(MetricDirection, SubMetricTakesParentDirectionAndUnknownIsNeverGuessed) {
  const std::vector<MetricInfo> infos = {{"auroc", true, ""}, {"fpr95", false, ""}};
  EXPECT_EQ(metric_direction("auroc", infos), MetricDirection::kHigherIsBetter);
  EXPECT_EQ(metric_direction("auroc/near", infos), MetricDirection::kHigherIsBetter);
  EXPECT_EQ(metric_direction("fpr95/far/x", infos), MetricDirection::kLowerIsBetter);
  EXPECT_EQ(metric_direction("accuracy", infos), MetricDirection::kUnknown);
  EXPECT_EQ(metric_direction("aur/oc", infos), MetricDirection::kUnknown);
}

TEST(Leaderboard, SummariesFailuresMarksAndOrder) {
  const auto board = build_leaderboard(toy_records(), toy_infos());
  EXPECT_EQ(board.suite, "toy");
  ASSERT_EQ(board.metrics, (std::vector<std::string>{"acc", "loss", "acc/near", "mystery"}));
  EXPECT_EQ(board.directions[2], MetricDirection::kHigherIsBetter);
  EXPECT_EQ(board.directions[3], MetricDirection::kUnknown);
  ASSERT_EQ(board.rows.size(), 9u);
  EXPECT_EQ(board.rows[0].dataset_label, "d1[n=10]");
  EXPECT_EQ(board.rows[0].method_label, "A");
  EXPECT_EQ(board.rows[1].method_label, "B[k=2]");
  EXPECT_EQ(board.rows[8].dataset_label, "d3[n=10]");

  // A on d1: acc 0.85, 0.90, 0.95 -> mean 0.9, sd 0.05, t_{0.975,2} = 4.3027.
  const auto& a = board.rows[0].metrics[0];
  EXPECT_EQ(a.n, 3u);
  EXPECT_NEAR(a.mean, 0.9, 1e-12);
  EXPECT_NEAR(a.sd, 0.05, 1e-12);
  EXPECT_NEAR(a.ci_half_width, 4.302652729911275 * 0.05 / std::sqrt(3.0), 1e-10);

  // The failed cell is counted, not dropped, and not in the mean.
  const auto& b = board.rows[1];
  EXPECT_EQ(b.n_cells, 4u);
  EXPECT_EQ(b.n_ok, 3u);
  EXPECT_EQ(b.n_failed, 1u);
  EXPECT_EQ(b.failed_by_status.at("error"), 1u);
  EXPECT_EQ(b.metrics[0].n, 3u);
  EXPECT_EQ(board.n_failed, 1u);

  // Marks on d1: acc (higher) A best, B second; loss (lower) A best too.
  EXPECT_EQ(board.rows[0].marks[0], Mark::kBest);
  EXPECT_EQ(board.rows[1].marks[0], Mark::kSecond);
  EXPECT_EQ(board.rows[2].marks[0], Mark::kNone);
  EXPECT_EQ(board.rows[0].marks[1], Mark::kBest);
  EXPECT_EQ(board.rows[2].marks[1], Mark::kNone);
  // Sub-metric follows "acc"; unknown direction is never marked.
  EXPECT_EQ(board.rows[0].marks[2], Mark::kBest);
  for (const auto& row : board.rows) EXPECT_EQ(row.marks[3], Mark::kNone);
  // d2: C best, A and B tie for second.
  EXPECT_EQ(board.rows[5].marks[0], Mark::kBest);
  EXPECT_EQ(board.rows[3].marks[0], Mark::kSecond);
  EXPECT_EQ(board.rows[4].marks[0], Mark::kSecond);
}

TEST(Leaderboard, RanksMeanRanksAndFriedmanByHand) {
  const auto board = build_leaderboard(toy_records(), toy_infos());
  EXPECT_EQ(board.rank_metric, "acc");
  // Ranks on acc: d1 A1 B2 C3; d2 C1 A2.5 B2.5; d3 B1 C2 A3.
  EXPECT_DOUBLE_EQ(board.rows[0].rank, 1);
  EXPECT_DOUBLE_EQ(board.rows[3].rank, 2.5);
  EXPECT_DOUBLE_EQ(board.rows[4].rank, 2.5);
  EXPECT_DOUBLE_EQ(board.rows[8].rank, 2);
  // Mean ranks: A 6.5/3, B 5.5/3, C 2 -> order B, C, A.
  ASSERT_EQ(board.mean_ranks.size(), 3u);
  EXPECT_EQ(board.mean_ranks[0].method_label, "B[k=2]");
  EXPECT_NEAR(board.mean_ranks[0].mean_rank, 5.5 / 3, 1e-12);
  EXPECT_EQ(board.mean_ranks[1].method_label, "C");
  EXPECT_EQ(board.mean_ranks[2].method_label, "A");
  EXPECT_EQ(board.mean_ranks[2].n_datasets, 3u);
  // chi2 = 12*3/(3*4) * ((6.5/3)^2 + (5.5/3)^2 + 2^2 - 3*4^2/4) = 3 * (1/18) = 1/6.
  ASSERT_TRUE(board.friedman.has_value());
  EXPECT_NEAR(board.friedman->chi_square, 1.0 / 6.0, 1e-12);
  EXPECT_EQ(board.friedman_methods, (std::vector<std::string>{"A", "B[k=2]", "C"}));
  EXPECT_NEAR(board.critical_difference, 2.343 * std::sqrt(12.0 / 18.0), 1e-3);  // Demšar's q, 3 decimals
  EXPECT_TRUE(std::isnan(board.control_critical_difference));                  // no control asked
}

// 12 methods (beyond Demšar's table) on 4 datasets where method m has
// accuracy m / 100 everywhere: ranks 12..1, so the gap between methods i and
// j is |i - j| and the Nemenyi CD = q(0.05, 12) sqrt(12 * 13 / 24); against
// the control M00, Bonferroni-Dunn's smaller CD flags more methods.
TEST(Leaderboard, CriticalDifferencesForManyMethodsAndAgainstAControl) {
  std::vector<CellRecord> records;
  for (int d = 0; d < 4; ++d)
    for (int m = 0; m < 12; ++m)
      records.push_back(testing::make_cell("toy", fmt::format("d{}", d), fmt::format("M{:02}", m), 1,
                                           {{"acc", m / 100.0}}));
  LeaderboardOptions options;
  options.cd_control = "M00";
  const auto board = build_leaderboard(records, toy_infos(), options);
  const double nemenyi = stats::nemenyi_q(0.05, 12) * std::sqrt(12.0 * 13.0 / 24.0);
  EXPECT_NEAR(board.critical_difference, nemenyi, 1e-12);
  EXPECT_NEAR(board.critical_difference, 3.268 * std::sqrt(6.5), 2e-3);  // Harter: 4.622 / sqrt(2) = 3.268
  const double dunn = stats::bonferroni_dunn_q(0.05, 12) * std::sqrt(6.5);
  EXPECT_NEAR(board.control_critical_difference, dunn, 1e-12);
  EXPECT_LT(dunn, nemenyi);
  const Table table = leaderboard_table(board);
  std::string notes;
  for (const auto& n : table.notes) notes += n + "\n";
  // M00's mean rank is 12 and M<m>'s 12 - m: the first to differ has m > CD.
  const int first_differing = static_cast<int>(std::floor(dunn)) + 1;
  EXPECT_NE(notes.find(fmt::format("Bonferroni-Dunn CD against M00 (alpha 0.05) = {:.3f}; differ from it: M{:02} (-{}.00)",
                                   dunn, first_differing, first_differing)),
            std::string::npos)
      << notes;
  options.cd_control = "nobody";
  EXPECT_THROW(build_leaderboard(records, toy_infos(), options), InputError);
}

TEST(Leaderboard, ChosenRankMetricAndErrors) {
  LeaderboardOptions opt;
  opt.rank_metric = "loss";
  const auto board = build_leaderboard(toy_records(), toy_infos(), opt);
  EXPECT_DOUBLE_EQ(board.rows[0].rank, 1);  // lowest loss on d1 is A
  opt.rank_metric = "mystery";
  EXPECT_THROW(build_leaderboard(toy_records(), toy_infos(), opt), InputError);
  opt.rank_metric = "nope";
  EXPECT_THROW(build_leaderboard(toy_records(), toy_infos(), opt), InputError);

  LeaderboardOptions unknown;  // --metric NAME: a name neither declared nor recorded lists the recorded ones
  unknown.metrics = {"nope"};
  try {
    build_leaderboard(toy_records(), toy_infos(), unknown);
    ADD_FAILURE() << "an unknown metric was accepted";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "unknown metric 'nope' (the cells record: acc, loss, acc/near, mystery)");
  }

  auto mixed = toy_records();
  mixed.push_back(make_cell("other", "x", "y", 0, {{"acc", 1}}));
  EXPECT_THROW(build_leaderboard(mixed, toy_infos()), InputError);
  LeaderboardOptions only_toy;
  only_toy.suite = "toy";
  EXPECT_EQ(build_leaderboard(mixed, toy_infos(), only_toy).rows.size(), 9u);
  LeaderboardOptions bad_alpha;
  bad_alpha.cd_alpha = 1.5;  // any alpha in (0, 1) is computed; outside is an error
  EXPECT_THROW(build_leaderboard(toy_records(), toy_infos(), bad_alpha), InputError);
}

TEST(Leaderboard, NoFriedmanWithOneDatasetOrUnknownDirections) {
  std::vector<CellRecord> one;
  for (const auto& r : toy_records()) {
    if (r.dataset_label == "d1[n=10]") one.push_back(r);
  }
  const auto board = build_leaderboard(one, toy_infos());
  EXPECT_FALSE(board.friedman.has_value());
  EXPECT_FALSE(board.friedman_note.empty());
  EXPECT_EQ(board.mean_ranks.size(), 3u);

  const auto unknown = build_leaderboard(toy_records(), {});
  EXPECT_TRUE(unknown.rank_metric.empty());
  EXPECT_FALSE(unknown.friedman.has_value());
  for (const auto& row : unknown.rows) {
    for (Mark m : row.marks) EXPECT_EQ(m, Mark::kNone);
  }
}

TEST(Leaderboard, FriedmanOnlyOverDatasetsWithEveryMethod) {
  auto records = toy_records();
  // C has no ok cell on d3: d3 is left out of the Friedman test.
  for (auto& r : records) {
    if (r.dataset_label == "d3[n=10]" && r.method_label == "C") {
      r.status = CellStatus::kTimeout;
      r.metrics.clear();
    }
  }
  const auto board = build_leaderboard(records, toy_infos());
  ASSERT_TRUE(board.friedman.has_value());
  EXPECT_EQ(board.friedman->n_blocks, 2u);
  EXPECT_NE(board.friedman_note.find("2 of 3"), std::string::npos);
  EXPECT_TRUE(std::isnan(board.rows[8].rank));
  EXPECT_TRUE(std::isnan(board.rows[8].metrics[0].mean));
  EXPECT_EQ(board.rows[8].failed_by_status.at("timeout"), 3u);
}

}  // namespace
}  // namespace sb

namespace sb {
namespace {

TEST(SeedComparison, PairsBySeedAndDropsIncompleteSeeds) {
  std::vector<CellRecord> records;
  // A beats B on all 6 paired seeds; C equals A. Seed 6 has no B (failed):
  // it is dropped for every pair.
  for (int s = 0; s < 7; ++s) {
    records.push_back(testing::make_cell("toy", "d", "A", s, {{"acc", 0.9 + 0.01 * s}}));
    records.push_back(testing::make_cell("toy", "d", "B", s, {{"acc", 0.5 + 0.02 * s}},
                                         s == 6 ? "timeout" : "ok"));
    records.push_back(testing::make_cell("toy", "d", "C", s, {{"acc", 0.9 + 0.01 * s}}));
  }
  records.push_back(testing::make_cell("toy", "other", "A", 0, {{"acc", 0.0}}));
  const auto cmp = compare_methods_over_seeds(records, "d", "acc");
  EXPECT_EQ(cmp.methods, (std::vector<std::string>{"A", "B", "C"}));
  EXPECT_EQ(cmp.seeds_used.size(), 6u);
  EXPECT_EQ(cmp.n_seeds_dropped, 1u);
  ASSERT_EQ(cmp.tests.size(), 3u);
  // A vs B: 6 positive differences -> exact p = 2/64.
  EXPECT_DOUBLE_EQ(cmp.tests[0].test.p_value, 2.0 / 64.0);
  // A vs C: all differences zero -> p = 1.
  EXPECT_EQ(cmp.tests[1].test.n_nonzero, 0u);
  EXPECT_DOUBLE_EQ(cmp.tests[1].p_holm, 1.0);
  // Holm: the two p = 1/32 get x3 and x2 -> 3/32 (monotone), p = 1 stays 1.
  EXPECT_DOUBLE_EQ(cmp.tests[0].p_holm, 3.0 / 32.0);
  EXPECT_DOUBLE_EQ(cmp.tests[2].p_holm, 3.0 / 32.0);
}

}  // namespace
}  // namespace sb

namespace sb {
namespace {

// Non-finite values (allowed by a suite, stored as NULL or inf) stay out of
// the means but are counted in a "non-finite" column and a note; the column
// is absent when there are none (the golden files check that side).
TEST(Leaderboard, NonFiniteValuesAreCountedVisibly) {
  auto records = testing::toy_records();
  for (auto& r : records) {
    if (r.method_label == "A" && r.dataset_label == "d1[n=10]" && r.seed == 0) {
      for (auto& [name, value] : r.metrics) {
        if (name == "acc") value = std::nan("");
        if (name == "loss") value = INFINITY;
      }
    }
  }
  const auto board = build_leaderboard(records, testing::toy_infos());
  ASSERT_EQ(board.rows[0].method_label, "A");
  EXPECT_EQ(board.rows[0].metrics[0].n, 2u);
  EXPECT_EQ(board.rows[0].metrics[0].n_nonfinite, 1u);
  EXPECT_EQ(board.rows[0].metrics[1].n_nonfinite, 1u);
  const Table t = leaderboard_table(board, 3);
  std::size_t column = t.columns.size();
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    if (t.columns[i].name == "non-finite") column = i;
  }
  ASSERT_LT(column, t.columns.size());
  EXPECT_EQ(t.rows[0][column].value, 2.0);
  EXPECT_EQ(t.rows[1][column].value, 0.0);
  const std::string text = render_table(t, TableFormat::kJson, false);
  EXPECT_NE(text.find("non-finite values (NaN/inf, not in the means): 2"), std::string::npos) << text;

  const Table clean = leaderboard_table(build_leaderboard(testing::toy_records(), testing::toy_infos()), 3);
  for (const auto& c : clean.columns) EXPECT_NE(c.name, "non-finite");
}

}  // namespace
}  // namespace sb
