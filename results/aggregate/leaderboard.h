// Leaderboard: per (dataset, method) summaries over seeds, best/second-best
// marks respecting each metric's declared direction, ranks per dataset,
// mean ranks and a Friedman/Nemenyi comparison across datasets.
// Input is plain records; renderers turn the result into text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/core/cell_output.h"
#include "results/aggregate/statistics.h"
#include "results/records.h"

namespace sb {

enum class MetricDirection { kHigherIsBetter, kLowerIsBetter, kUnknown };

// Direction of `metric` from the suite's declarations. A sub-metric
// "score/near" takes the direction of "score" (the part before the first
// '/'). A metric not declared has an unknown direction (never guessed).
MetricDirection metric_direction(const std::string& metric, const std::vector<MetricInfo>& infos);

enum class Mark { kNone, kBest, kSecond };

// One metric over the ok cells of one (dataset, method). Fields are NaN when
// no finite value exists; ci_half_width is NaN when n < 2.
struct MetricSummary {
  std::size_t n = 0;            // ok cells with a finite value
  std::size_t n_nonfinite = 0;  // ok cells whose value was NaN/inf (excluded)
  double mean = 0;
  double sd = 0;
  double ci_half_width = 0;
};

struct LeaderboardRow {
  std::string dataset_label;
  std::string method_label;
  std::size_t n_cells = 0;   // every recorded cell (all seeds, all statuses)
  std::size_t n_ok = 0;
  std::size_t n_failed = 0;  // status != "ok"
  std::map<std::string, std::size_t> failed_by_status;  // "error" -> 2, ...
  std::vector<MetricSummary> metrics;  // parallel to Leaderboard::metrics
  std::vector<Mark> marks;             // parallel to Leaderboard::metrics
  double rank = 0;  // rank within its dataset on rank_metric (NaN if none)
};

struct MethodRank {
  std::string method_label;
  double mean_rank = 0;        // mean over the datasets where it has a value
  std::size_t n_datasets = 0;
};

struct Leaderboard {
  std::string suite;
  double confidence = 0.95;
  std::vector<std::string> metrics;
  std::vector<MetricDirection> directions;  // parallel to metrics
  std::vector<LeaderboardRow> rows;         // sorted by (dataset, method) label
  std::size_t n_failed = 0;                 // total over rows

  // Ranking on one metric (empty when no metric has a known direction).
  std::string rank_metric;
  std::vector<MethodRank> mean_ranks;  // best (lowest mean rank) first
  // Friedman over the datasets where every method has a value of
  // rank_metric; absent with the reason in friedman_note otherwise.
  std::optional<stats::FriedmanResult> friedman;
  std::vector<std::string> friedman_methods;  // order of friedman->mean_ranks
  double cd_alpha = 0.05;
  double critical_difference = 0;  // Nemenyi CD (all pairs)
  // Bonferroni-Dunn CD against options.cd_control (NaN without a control):
  // a method whose mean rank differs from the control's by more differs.
  std::string cd_control;
  double control_critical_difference = 0;
  std::string friedman_note;
};

struct LeaderboardOptions {
  std::string suite;                 // keep only this suite ("" = the only one present)
  std::vector<std::string> metrics;  // "" = declared metrics present, then others by name
  std::string rank_metric;           // "" = first metric with a known direction
  double confidence = 0.95;
  double cd_alpha = 0.05;            // in (0, 1)
  std::string cd_control;            // a method label: also compare every method to it (Bonferroni-Dunn)
};

// Throws InputError for several suites without options.suite, for a
// rank_metric with unknown direction, or for a bad confidence/alpha.
Leaderboard build_leaderboard(const std::vector<CellRecord>& records,
                              const std::vector<MetricInfo>& infos,
                              const LeaderboardOptions& options = {});

// Paired comparison of methods on one dataset over seeds: Wilcoxon
// signed-rank test for every pair of methods, Holm-adjusted. Seeds are the
// pairing key; only seeds where every method has an ok cell with a finite
// value of `metric` are used (the others are counted).
struct SeedComparison {
  std::string dataset_label;
  std::string metric;
  std::vector<std::string> methods;     // sorted; PairwiseTest indices refer here
  std::vector<std::int64_t> seeds_used;
  std::size_t n_seeds_dropped = 0;      // seeds lacking a value for some method
  std::vector<stats::PairwiseTest> tests;
};
SeedComparison compare_methods_over_seeds(const std::vector<CellRecord>& records,
                                          const std::string& dataset_label,
                                          const std::string& metric);

}  // namespace sb
