// The ood suite's results view, laid out as OpenOOD's tables: per OOD
// dataset and per metric (AUROC, AUPR-In, AUPR-Out, FPR@95), one row per
// detector with mean ± CI over seeds for each OOD set, grouped near / far
// with each group's mean (groups of two sets or more), and the detector's
// mean rank across the OOD sets. The report shows AUROC and FPR@95 and
// folds the AUPR tables.
//
// The records hold per-set metrics "<metric>/<set>" and group means
// "<metric>/near", "<metric>/far" but not which set is in which group; the
// view takes the grouping that reproduces the recorded group means in every
// ok cell (the dataset's own declaration, as grade() averaged it).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "results/aggregate/statistics.h"
#include "results/render/html_report.h"
#include "results/view/suite_view.h"

namespace sb::ood {
namespace {

struct Metric {
  const char* name;     // per-cell metric prefix
  const char* display;  // table title
  bool higher_is_better;
};
constexpr Metric kMetrics[] = {{"auroc", "AUROC", true},
                               {"aupr_in", "AUPR-In", true},
                               {"aupr_out", "AUPR-Out", true},
                               {"fpr95", "FPR@95", false}};
const char* const kGroups[] = {"near", "far"};

bool is_group(const std::string& s) { return s == "near" || s == "far"; }

// The ok cells of one dataset label and what they hold.
struct DatasetCells {
  std::vector<const CellRecord*> ok;
  std::map<std::string, std::size_t> failed_by_method;
  std::vector<std::string> methods;  // sorted, with failed-only ones
  std::vector<std::string> sets;     // in the order the cells record them
  std::set<std::string> groups;      // "near"/"far" present
};

// group[i] of sets[i]: the first assignment (near = bits of the mask) whose
// group means match every ok cell; "" for all when none does.
std::vector<std::string> infer_groups(const DatasetCells& d) {
  const std::size_t k = d.sets.size();
  if (d.groups.size() == 1) return std::vector<std::string>(k, *d.groups.begin());
  if (d.groups.size() != 2 || k < 2 || k > 20) return std::vector<std::string>(k, "");
  auto matches = [&](unsigned long mask) {
    for (const CellRecord* cell : d.ok) {
      for (const Metric& m : kMetrics) {
        for (const char* group : kGroups) {
          const bool near = std::string(group) == "near";
          double sum = 0;
          int count = 0;
          for (std::size_t i = 0; i < k; ++i) {
            if (((mask >> i) & 1UL) != (near ? 1UL : 0UL)) continue;
            sum += cell->metric(std::string(m.name) + "/" + d.sets[i]);
            ++count;
          }
          const double recorded = cell->metric(std::string(m.name) + "/" + group);
          if (std::isnan(recorded) && count == 0) continue;
          if (!(std::abs(sum / count - recorded) <= 1e-9 * std::max(1.0, std::abs(recorded)))) return false;
        }
      }
    }
    return true;
  };
  for (unsigned long mask = 1; mask + 1 < (1UL << k); ++mask) {
    if (matches(mask)) {
      std::vector<std::string> out(k);
      for (std::size_t i = 0; i < k; ++i) out[i] = ((mask >> i) & 1UL) ? "near" : "far";
      return out;
    }
  }
  return std::vector<std::string>(k, "");
}

// Best and second per column among finite values.
void mark_column(std::vector<std::vector<TableCell>>& rows, std::size_t col, bool higher_is_better) {
  std::vector<double> distinct;
  for (const auto& row : rows) {
    if (std::isfinite(row[col].value)) distinct.push_back(row[col].value);
  }
  std::sort(distinct.begin(), distinct.end());
  if (higher_is_better) std::reverse(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  for (auto& row : rows) {
    if (!distinct.empty() && row[col].value == distinct[0]) row[col].mark = Mark::kBest;
    else if (distinct.size() > 1 && row[col].value == distinct[1]) row[col].mark = Mark::kSecond;
  }
}

Table metric_table(const std::string& dataset, const DatasetCells& d, const std::vector<std::string>& group_of,
                   const Metric& metric, const SummaryOptions& options) {
  const MetricDirection dir =
      metric.higher_is_better ? MetricDirection::kHigherIsBetter : MetricDirection::kLowerIsBetter;
  Table t;
  t.digits = options.digits;
  t.title = fmt::format("{}: {}", dataset, metric.display);
  // Columns after "detector": each group's sets then the group mean
  // (ungrouped sets last), then the mean rank, seeds and failures.
  std::vector<std::string> metric_cols;  // per-cell metric of each value column
  std::vector<bool> is_set_col;
  t.columns.push_back({"detector"});
  auto add_sets = [&](const std::string& group) {
    for (std::size_t i = 0; i < d.sets.size(); ++i) {
      if (group_of[i] != group) continue;
      t.columns.push_back({group.empty() ? d.sets[i] : d.sets[i] + " (" + group + ")", dir});
      metric_cols.push_back(std::string(metric.name) + "/" + d.sets[i]);
      is_set_col.push_back(true);
    }
  };
  for (const char* group : kGroups) {
    if (!d.groups.count(group)) continue;
    add_sets(group);
    // A group of one set: its mean is that set's column.
    if (std::count(group_of.begin(), group_of.end(), group) < 2) continue;
    t.columns.push_back({std::string(group) + " mean", dir});
    metric_cols.push_back(std::string(metric.name) + "/" + group);
    is_set_col.push_back(false);
  }
  add_sets("");
  t.columns.push_back({"mean rank", MetricDirection::kLowerIsBetter});
  t.columns.push_back({"seeds"});
  t.columns.push_back({"failed"});

  // Mean over seeds per (detector, column).
  std::vector<std::vector<stats::MeanCI>> cis(d.methods.size());
  std::vector<std::size_t> seeds(d.methods.size(), 0);
  for (std::size_t m = 0; m < d.methods.size(); ++m) {
    for (const auto& col : metric_cols) {
      std::vector<double> values;
      for (const CellRecord* cell : d.ok) {
        if (cell->method_label != d.methods[m]) continue;
        const double v = cell->metric(col);
        if (std::isfinite(v)) values.push_back(v);
      }
      cis[m].push_back(values.empty() ? stats::MeanCI{0, std::nan(""), std::nan(""), std::nan("")}
                                      : stats::mean_ci(values, options.confidence));
    }
    for (const CellRecord* cell : d.ok) seeds[m] += cell->method_label == d.methods[m] ? 1 : 0;
  }
  // Mean rank across OOD sets: rank the detectors with a value on each set.
  std::vector<double> rank_sum(d.methods.size(), 0);
  std::vector<std::size_t> rank_count(d.methods.size(), 0);
  std::size_t n_sets = 0;
  for (std::size_t c = 0; c < metric_cols.size(); ++c) {
    if (!is_set_col[c]) continue;
    std::vector<double> values;
    std::vector<std::size_t> who;
    for (std::size_t m = 0; m < d.methods.size(); ++m) {
      if (std::isfinite(cis[m][c].mean)) values.push_back(cis[m][c].mean), who.push_back(m);
    }
    if (values.empty()) continue;
    ++n_sets;
    const auto ranks = stats::average_ranks(values, metric.higher_is_better);
    for (std::size_t j = 0; j < who.size(); ++j) rank_sum[who[j]] += ranks[j], rank_count[who[j]] += 1;
  }
  std::size_t failed = 0;
  for (std::size_t m = 0; m < d.methods.size(); ++m) {
    std::vector<TableCell> row = {TableCell::label(d.methods[m])};
    for (const auto& ci : cis[m]) row.push_back(TableCell::number(ci.mean, ci.half_width));
    row.push_back(TableCell::number(rank_count[m] ? rank_sum[m] / static_cast<double>(rank_count[m]) : std::nan(""),
                                    std::nan(""), Mark::kNone, 2));
    row.push_back(TableCell::count(seeds[m]));
    const auto it = d.failed_by_method.find(d.methods[m]);
    const std::size_t f = it == d.failed_by_method.end() ? 0 : it->second;
    row.push_back(TableCell::count(f));
    failed += f;
    t.rows.push_back(std::move(row));
  }
  for (std::size_t c = 0; c < metric_cols.size(); ++c) mark_column(t.rows, c + 1, metric.higher_is_better);
  mark_column(t.rows, metric_cols.size() + 1, false);
  t.notes.push_back(fmt::format("{} mean ± {:g}% Student-t CI half-width over seeds; best per column in bold, "
                                "second underlined",
                                metric.display, options.confidence * 100));
  t.notes.push_back(fmt::format("mean rank over the {} OOD sets (1 = best, ties averaged)", n_sets));
  if (failed > 0) t.notes.push_back(fmt::format("failed cells (not in the means): {}", failed));
  return t;
}

// With several ID datasets: per detector, AUROC and FPR@95 (the cells'
// means over all OOD sets) averaged over the ID datasets, and the mean of its
// AUROC rank within each dataset (OpenOOD's cross-benchmark summary).
Table across_datasets_table(const std::map<std::string, DatasetCells>& by_dataset, const SummaryOptions& options) {
  std::set<std::string> methods;
  for (const auto& [dataset, d] : by_dataset) methods.insert(d.methods.begin(), d.methods.end());
  const std::vector<std::string> names(methods.begin(), methods.end());
  // Per dataset, per detector: the mean over seeds of each metric.
  auto dataset_means = [&](const DatasetCells& d, const char* metric) {
    std::vector<double> means(names.size(), std::nan(""));
    for (std::size_t m = 0; m < names.size(); ++m) {
      double sum = 0;
      std::size_t n = 0;
      for (const CellRecord* cell : d.ok) {
        const double v = cell->method_label == names[m] ? cell->metric(metric) : std::nan("");
        if (std::isfinite(v)) sum += v, ++n;
      }
      if (n > 0) means[m] = sum / static_cast<double>(n);
    }
    return means;
  };
  std::vector<std::vector<double>> auroc(names.size()), fpr(names.size());
  std::vector<double> rank_sum(names.size(), 0);
  std::vector<std::size_t> ranked(names.size(), 0);
  for (const auto& [dataset, d] : by_dataset) {
    const auto a = dataset_means(d, "auroc"), f = dataset_means(d, "fpr95");
    std::vector<double> values;
    std::vector<std::size_t> who;
    for (std::size_t m = 0; m < names.size(); ++m) {
      if (std::isfinite(a[m])) auroc[m].push_back(a[m]), values.push_back(a[m]), who.push_back(m);
      if (std::isfinite(f[m])) fpr[m].push_back(f[m]);
    }
    const auto ranks = stats::average_ranks(values, true);
    for (std::size_t j = 0; j < who.size(); ++j) rank_sum[who[j]] += ranks[j], ++ranked[who[j]];
  }
  Table t;
  t.digits = options.digits;
  t.title = fmt::format("Across the {} ID datasets: AUROC and FPR@95", by_dataset.size());
  t.columns = {{"detector"},
               {"AUROC", MetricDirection::kHigherIsBetter},
               {"FPR@95", MetricDirection::kLowerIsBetter},
               {"mean rank (AUROC)", MetricDirection::kLowerIsBetter},
               {"datasets"}};
  for (std::size_t m = 0; m < names.size(); ++m) {
    t.rows.push_back({TableCell::label(names[m]), TableCell::number(stats::mean(auroc[m])),
                      TableCell::number(stats::mean(fpr[m])),
                      TableCell::number(ranked[m] ? rank_sum[m] / static_cast<double>(ranked[m]) : std::nan(""),
                                        std::nan(""), Mark::kNone, 2),
                      TableCell::count(auroc[m].size())});
  }
  mark_column(t.rows, 1, true);
  mark_column(t.rows, 2, false);
  mark_column(t.rows, 3, false);
  t.notes.push_back("per ID dataset the mean over seeds of the cells' AUROC / FPR@95 (means over all its OOD sets), "
                    "then the plain mean over datasets; a detector missing from a dataset is averaged over fewer");
  return t;
}

class OodView : public SuiteView {
 public:
  std::vector<Table> summary(const std::vector<CellRecord>& cells,
                             const SummaryOptions& options) const override {
    std::map<std::string, DatasetCells> by_dataset;
    for (const auto& cell : cells) {
      DatasetCells& d = by_dataset[cell.dataset_label];
      if (std::find(d.methods.begin(), d.methods.end(), cell.method_label) == d.methods.end()) {
        d.methods.push_back(cell.method_label);
      }
      if (cell.status != CellStatus::kOk) {
        ++d.failed_by_method[cell.method_label];
        continue;
      }
      d.ok.push_back(&cell);
      const std::string prefix = std::string(kMetrics[0].name) + "/";
      for (const auto& [name, value] : cell.metrics) {
        if (name.rfind(prefix, 0) != 0) continue;
        const std::string set = name.substr(prefix.size());
        if (is_group(set)) {
          d.groups.insert(set);
        } else if (std::find(d.sets.begin(), d.sets.end(), set) == d.sets.end()) {
          d.sets.push_back(set);
        }
      }
    }
    std::vector<Table> out;
    for (auto& [dataset, d] : by_dataset) {
      std::sort(d.methods.begin(), d.methods.end());
      if (d.sets.empty()) continue;  // nothing graded (every cell failed)
      const auto group_of = infer_groups(d);
      for (const Metric& m : kMetrics) out.push_back(metric_table(dataset, d, group_of, m, options));
    }
    std::erase_if(by_dataset, [](const auto& entry) { return entry.second.sets.empty(); });
    if (by_dataset.size() >= 2) out.push_back(across_datasets_table(by_dataset, options));
    return out;
  }

  // OpenOOD's headline tables, AUROC and FPR@95, per dataset; the AUPR
  // tables folded under them.
  std::string html_section(const std::vector<CellRecord>& cells,
                           const SummaryOptions& options) const override {
    const auto tables = summary(cells, options);
    constexpr std::size_t kPerDataset = std::size(kMetrics);
    std::string out;
    if (tables.size() % kPerDataset == 1) {  // the summary across ID datasets comes last: shown first
      out += "<h3>" + html_escape(tables.back().title) + "</h3>\n" + render_html_table(tables.back());
    }
    for (std::size_t first = 0; first + kPerDataset <= tables.size(); first += kPerDataset) {
      std::string folded;
      for (std::size_t i = 0; i < kPerDataset; ++i) {
        const Table& t = tables[first + i];
        const std::string html = "<h3>" + html_escape(t.title) + "</h3>\n" + render_html_table(t);
        const std::string name = kMetrics[i].name;
        if (name == "auroc" || name == "fpr95") out += html;
        else folded += html;
      }
      out += "<details><summary>AUPR-In and AUPR-Out</summary>\n" + folded + "</details>\n";
    }
    return out;
  }
};

}  // namespace

SB_REGISTER_SUITE_VIEW(OodView, "ood");

}  // namespace sb::ood
