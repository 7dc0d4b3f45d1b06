#include "results/aggregate/leaderboard.h"

#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <utility>

#include "harness/core/errors.h"
#include "harness/core/suggest.h"

namespace sb {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Marks the best and second-best distinct values among `values` (NaN never
// marked). Ties share the mark.
std::vector<Mark> mark_best(const std::vector<double>& values, MetricDirection dir) {
  std::vector<Mark> marks(values.size(), Mark::kNone);
  if (dir == MetricDirection::kUnknown) return marks;
  std::vector<double> distinct;
  for (double v : values) {
    if (std::isfinite(v)) distinct.push_back(v);
  }
  if (distinct.empty()) return marks;
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  if (dir == MetricDirection::kHigherIsBetter) std::reverse(distinct.begin(), distinct.end());
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i] == distinct[0]) {
      marks[i] = Mark::kBest;
    } else if (distinct.size() > 1 && values[i] == distinct[1]) {
      marks[i] = Mark::kSecond;
    }
  }
  return marks;
}

std::string pick_suite(const std::vector<CellRecord>& records, const std::string& wanted) {
  if (!wanted.empty()) return wanted;
  std::set<std::string> suites;
  for (const auto& r : records) suites.insert(r.suite);
  if (suites.size() > 1) {
    std::string list;
    for (const auto& s : suites) list += (list.empty() ? "" : ", ") + s;
    throw InputError("records hold several suites ({}); choose one", list);
  }
  return suites.empty() ? "" : *suites.begin();
}

}  // namespace

MetricDirection metric_direction(const std::string& metric, const std::vector<MetricInfo>& infos) {
  const MetricInfo* info = find_metric_info(metric, infos);
  if (info == nullptr || !info->has_direction) return MetricDirection::kUnknown;
  return info->higher_is_better ? MetricDirection::kHigherIsBetter
                                : MetricDirection::kLowerIsBetter;
}

namespace {

using CellGroups = std::map<std::pair<std::string, std::string>, std::vector<const CellRecord*>>;
using DatasetBlocks = std::vector<std::pair<std::size_t, std::size_t>>;  // [begin, end) rows per dataset

// The columns: the requested metrics, else the declared metrics present (in
// declaration order), then any other metric present, by name.
std::vector<std::string> choose_metrics(const std::set<std::string>& seen, const std::vector<MetricInfo>& infos,
                                        const LeaderboardOptions& options) {
  std::vector<std::string> metrics;
  for (const auto& info : infos)
    if (seen.count(info.name)) metrics.push_back(info.name);
  for (const auto& name : seen)
    if (std::find(metrics.begin(), metrics.end(), name) == metrics.end()) metrics.push_back(name);
  for (const auto& asked : options.metrics) {
    const bool declared = std::any_of(infos.begin(), infos.end(), [&](const MetricInfo& i) { return i.name == asked; });
    if (!declared && !seen.count(asked)) {
      throw InputError("unknown metric '{}'{} (the cells record: {})", asked, did_you_mean(asked, metrics),
                       metrics.empty() ? "none" : fmt::format("{}", fmt::join(metrics, ", ")));
    }
  }
  return options.metrics.empty() ? metrics : options.metrics;
}

// One (dataset, method): counts by status, and each metric's mean and CI
// over the finite values of its ok cells.
LeaderboardRow summarise_row(const std::pair<std::string, std::string>& labels,
                             const std::vector<const CellRecord*>& cells, const std::vector<std::string>& metrics,
                             double confidence) {
  LeaderboardRow row;
  row.dataset_label = labels.first;
  row.method_label = labels.second;
  std::vector<std::vector<double>> values(metrics.size());
  std::vector<std::size_t> nonfinite(metrics.size(), 0);
  for (const CellRecord* c : cells) {
    ++row.n_cells;
    if (c->status != CellStatus::kOk) {
      ++row.n_failed;
      ++row.failed_by_status[std::string(to_string(c->status))];
      continue;
    }
    ++row.n_ok;
    for (const auto& [name, value] : c->metrics) {
      const auto it = std::find(metrics.begin(), metrics.end(), name);
      if (it == metrics.end()) continue;
      const auto m = static_cast<std::size_t>(it - metrics.begin());
      if (std::isfinite(value)) {
        values[m].push_back(value);
      } else {
        ++nonfinite[m];
      }
    }
  }
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    MetricSummary s;
    s.n_nonfinite = nonfinite[m];
    if (values[m].empty()) {
      s.mean = s.sd = s.ci_half_width = kNaN;
    } else {
      const auto ci = stats::mean_ci(values[m], confidence);
      s.n = ci.n;
      s.mean = ci.mean;
      s.sd = ci.sd;
      s.ci_half_width = ci.half_width;
    }
    row.metrics.push_back(s);
  }
  row.marks.assign(metrics.size(), Mark::kNone);
  row.rank = kNaN;
  return row;
}

// Rows of one dataset are contiguous (sorted by dataset label first).
DatasetBlocks dataset_blocks(const std::vector<LeaderboardRow>& rows) {
  DatasetBlocks blocks;
  for (std::size_t i = 0; i < rows.size();) {
    std::size_t j = i + 1;
    while (j < rows.size() && rows[j].dataset_label == rows[i].dataset_label) ++j;
    blocks.emplace_back(i, j);
    i = j;
  }
  return blocks;
}

// Best and second best per dataset and metric.
void mark_best_per_dataset(Leaderboard& board, const DatasetBlocks& blocks) {
  for (std::size_t m = 0; m < board.metrics.size(); ++m) {
    for (const auto& [begin, end] : blocks) {
      std::vector<double> means;
      for (std::size_t i = begin; i < end; ++i) means.push_back(board.rows[i].metrics[m].mean);
      const auto marks = mark_best(means, board.directions[m]);
      for (std::size_t i = begin; i < end; ++i) board.rows[i].marks[m] = marks[i - begin];
    }
  }
}

// The requested ranking metric (checked), else the first column with a
// declared direction, else "".
std::string choose_rank_metric(const Leaderboard& board, const std::vector<MetricInfo>& infos,
                               const LeaderboardOptions& options) {
  if (!options.rank_metric.empty()) {
    const auto it = std::find(board.metrics.begin(), board.metrics.end(), options.rank_metric);
    SB_THROW_IF_NOT(InputError, it != board.metrics.end(),
                    "rank metric '{}' is not among the leaderboard's metrics", options.rank_metric);
    SB_THROW_IF_NOT(InputError, metric_direction(options.rank_metric, infos) != MetricDirection::kUnknown,
                    "rank metric '{}' has no declared direction", options.rank_metric);
    return options.rank_metric;
  }
  for (std::size_t m = 0; m < board.metrics.size(); ++m)
    if (board.directions[m] != MetricDirection::kUnknown) return board.metrics[m];
  return "";
}

// Ranks within each dataset on board.rank_metric, mean ranks, and the
// Friedman test with Nemenyi's critical difference over the datasets where
// every method has a value.
void rank_methods(Leaderboard& board, const DatasetBlocks& blocks, double cd_alpha) {
  const auto rm = static_cast<std::size_t>(
      std::find(board.metrics.begin(), board.metrics.end(), board.rank_metric) - board.metrics.begin());
  const bool higher = board.directions[rm] == MetricDirection::kHigherIsBetter;

  std::set<std::string> method_set;
  for (const auto& row : board.rows) method_set.insert(row.method_label);
  const std::vector<std::string> methods(method_set.begin(), method_set.end());
  SB_THROW_IF_NOT(InputError, board.cd_control.empty() || method_set.count(board.cd_control) > 0,
                  "control method '{}' is not among the methods ({})", board.cd_control,
                  fmt::join(methods, ", "));
  std::map<std::string, std::pair<double, std::size_t>> rank_sums;  // method -> (sum, count)
  std::vector<std::vector<double>> complete_blocks;  // datasets where every method has a value
  for (const auto& [begin, end] : blocks) {
    std::vector<double> means;
    for (std::size_t i = begin; i < end; ++i) means.push_back(board.rows[i].metrics[rm].mean);
    const auto ranks = stats::average_ranks(means, higher);
    std::map<std::string, double> by_method;
    for (std::size_t i = begin; i < end; ++i) {
      if (std::isnan(means[i - begin])) continue;  // no value: no rank
      board.rows[i].rank = ranks[i - begin];
      auto& acc = rank_sums[board.rows[i].method_label];
      acc.first += ranks[i - begin];
      ++acc.second;
      by_method[board.rows[i].method_label] = means[i - begin];
    }
    if (by_method.size() == methods.size()) {
      std::vector<double> block;
      for (const auto& method : methods) block.push_back(by_method[method]);
      complete_blocks.push_back(std::move(block));
    }
  }
  for (const auto& [method, acc] : rank_sums) {
    board.mean_ranks.push_back({method, acc.first / static_cast<double>(acc.second), acc.second});
  }
  std::stable_sort(board.mean_ranks.begin(), board.mean_ranks.end(),
                   [](const MethodRank& a, const MethodRank& b) { return a.mean_rank < b.mean_rank; });

  if (methods.size() < 2 || complete_blocks.size() < 2) {
    board.friedman_note = fmt::format(
        "Friedman test needs >= 2 methods and >= 2 datasets where every method has '{}' "
        "(have {} methods, {} complete datasets)",
        board.rank_metric, methods.size(), complete_blocks.size());
    return;
  }
  board.friedman = stats::friedman_test(complete_blocks, higher);
  board.friedman_methods = methods;
  board.critical_difference = stats::nemenyi_cd(cd_alpha, methods.size(), complete_blocks.size());
  if (!board.cd_control.empty()) {
    board.control_critical_difference =
        stats::bonferroni_dunn_cd(cd_alpha, methods.size(), complete_blocks.size());
  }
  if (complete_blocks.size() < blocks.size()) {
    board.friedman_note = fmt::format("Friedman test over {} of {} datasets (the others miss a method)",
                                      complete_blocks.size(), blocks.size());
  }
}

}  // namespace

Leaderboard build_leaderboard(const std::vector<CellRecord>& records, const std::vector<MetricInfo>& infos,
                              const LeaderboardOptions& options) {
  SB_THROW_IF_NOT(InputError, options.confidence > 0 && options.confidence < 1,
                  "confidence must be in (0, 1), got {}", options.confidence);
  Leaderboard board;
  board.suite = pick_suite(records, options.suite);
  board.confidence = options.confidence;
  board.cd_alpha = options.cd_alpha;
  SB_THROW_IF_NOT(InputError, options.cd_alpha > 0 && options.cd_alpha < 1,
                  "critical-difference alpha must be in (0, 1), got {}", options.cd_alpha);
  board.cd_control = options.cd_control;
  board.control_critical_difference = kNaN;

  CellGroups groups;  // by (dataset, method); std::map gives the stable order
  std::set<std::string> seen_metrics;
  for (const auto& r : records) {
    if (r.suite != board.suite) continue;
    groups[{r.dataset_label, r.method_label}].push_back(&r);
    if (r.status == CellStatus::kOk)
      for (const auto& [name, value] : r.metrics) seen_metrics.insert(name);
  }
  board.metrics = choose_metrics(seen_metrics, infos, options);
  for (const auto& m : board.metrics) board.directions.push_back(metric_direction(m, infos));
  for (const auto& [labels, cells] : groups) {
    board.rows.push_back(summarise_row(labels, cells, board.metrics, options.confidence));
    board.n_failed += board.rows.back().n_failed;
  }

  const DatasetBlocks blocks = dataset_blocks(board.rows);
  mark_best_per_dataset(board, blocks);
  board.rank_metric = choose_rank_metric(board, infos, options);
  if (board.rank_metric.empty()) {
    board.friedman_note = "no metric with a declared direction to rank on";
    return board;
  }
  rank_methods(board, blocks, options.cd_alpha);
  return board;
}

SeedComparison compare_methods_over_seeds(const std::vector<CellRecord>& records,
                                          const std::string& dataset_label,
                                          const std::string& metric) {
  SeedComparison out;
  out.dataset_label = dataset_label;
  out.metric = metric;
  std::map<std::string, std::map<std::int64_t, double>> values;  // method -> seed -> value
  std::set<std::int64_t> seeds;
  for (const auto& r : records) {
    if (r.dataset_label != dataset_label) continue;
    values[r.method_label];  // a method with only failed cells still counts
    seeds.insert(r.seed);
    if (r.status != CellStatus::kOk) continue;
    for (const auto& [name, v] : r.metrics) {
      if (name == metric && std::isfinite(v)) values[r.method_label][r.seed] = v;
    }
  }
  for (const auto& [method, by_seed] : values) out.methods.push_back(method);
  for (std::int64_t seed : seeds) {
    bool complete = true;
    for (const auto& [method, by_seed] : values) complete = complete && by_seed.count(seed) > 0;
    if (complete) {
      out.seeds_used.push_back(seed);
    } else {
      ++out.n_seeds_dropped;
    }
  }
  std::vector<std::vector<double>> samples;
  for (const auto& [method, by_seed] : values) {
    std::vector<double> x;
    for (std::int64_t seed : out.seeds_used) x.push_back(by_seed.at(seed));
    samples.push_back(std::move(x));
  }
  out.tests = stats::pairwise_wilcoxon_holm(samples);
  return out;
}

}  // namespace sb
