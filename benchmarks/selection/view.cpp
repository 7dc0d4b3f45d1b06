// The selection suite's results view, laid out as OpenDataVal's tables: one
// table per task metric, rows = methods, columns = dataset configurations,
// each entry the mean ± Student-t CI half-width over seeds.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "results/aggregate/statistics.h"
#include "results/view/suite_view.h"

namespace sb::selection {
namespace {

struct Shown {
  const char* metric;
  const char* title;
  MetricDirection direction;
};
constexpr Shown kShown[] = {
    {"noisy_f1", "Noisy-point detection: F1 of the low 2-means cluster", MetricDirection::kHigherIsBetter},
    {"noisy_auroc", "Noisy-point detection: AUROC of -value", MetricDirection::kHigherIsBetter},
    {"remove_high_auc", "Point removal, highest value first: test-accuracy AUC", MetricDirection::kLowerIsBetter},
    {"remove_low_auc", "Point removal, lowest value first: test-accuracy AUC", MetricDirection::kHigherIsBetter},
    {"wad", "Point removal: weighted accuracy drop (pyDVL)", MetricDirection::kHigherIsBetter},
    {"select_20", "Budgeted selection: test accuracy of the top 20% minus random 20%", MetricDirection::kHigherIsBetter},
    {"loo_spearman", "Agreement: Spearman with exact leave-one-out", MetricDirection::kHigherIsBetter},
    {"shapley_spearman", "Agreement: Spearman with exact Shapley (planted)", MetricDirection::kHigherIsBetter},
    {"banzhaf_spearman", "Agreement: Spearman with exact Banzhaf (planted)", MetricDirection::kHigherIsBetter},
    {"knn_shapley_spearman", "Agreement: Spearman with exact KNN-Shapley (K = truth_k)", MetricDirection::kHigherIsBetter},
    {"model_fits", "Cost: model fits per cell", MetricDirection::kLowerIsBetter},
};

// "name[a=1,b=2]" -> ("name", {a: 1, b: 2}); a piece without '=' belongs to
// the value before it (values may hold commas).
std::pair<std::string, std::map<std::string, std::string>> parse_label(const std::string& label) {
  const size_t open = label.find('[');
  if (open == std::string::npos || label.back() != ']') return {label, {}};
  std::map<std::string, std::string> params;
  std::string last;
  const std::string body = label.substr(open + 1, label.size() - open - 2);
  size_t start = 0;
  while (start <= body.size()) {
    const size_t comma = std::min(body.find(',', start), body.size());
    const std::string piece = body.substr(start, comma - start);
    const size_t eq = piece.find('=');
    if (eq == std::string::npos && !last.empty()) params[last] += "," + piece;
    else if (eq != std::string::npos) last = piece.substr(0, eq), params[last] = piece.substr(eq + 1);
    start = comma + 1;
  }
  return {label.substr(0, open), params};
}

// Row and column titles: each label keeps only the parameters whose values
// differ between the configurations of its dataset in these cells (the
// full labels when that would make two titles equal).
std::map<std::string, std::string> short_labels(const std::set<std::string>& labels) {
  std::map<std::string, std::map<std::string, std::set<std::string>>> values;  // name -> key -> values
  for (const auto& label : labels) {
    const auto [name, params] = parse_label(label);
    for (const auto& [k, v] : params) values[name][k].insert(v);
  }
  std::map<std::string, std::string> out;
  std::set<std::string> seen;
  for (const auto& label : labels) {
    const auto [name, params] = parse_label(label);
    std::string kept;
    for (const auto& [k, v] : params) {
      if (values[name][k].size() > 1) kept += (kept.empty() ? "" : ",") + k + "=" + v;
    }
    out[label] = kept.empty() ? name : name + "[" + kept + "]";
    if (!seen.insert(out[label]).second) {
      std::map<std::string, std::string> full;
      for (const auto& l : labels) full[l] = l;
      return full;
    }
  }
  return out;
}

class SelectionView : public SuiteView {
 public:
  std::vector<Table> summary(const std::vector<CellRecord>& cells, const SummaryOptions& options) const override {
    std::set<std::string> datasets, methods;
    for (const auto& c : cells) datasets.insert(c.dataset_label), methods.insert(c.method_label);
    const auto titles = short_labels(datasets), method_titles = short_labels(methods);
    std::vector<Table> out;
    for (const Shown& shown : kShown) {
      // values[method][dataset]: the metric over the ok cells' seeds.
      std::map<std::string, std::map<std::string, std::vector<double>>> values;
      bool any = false;
      for (const auto& c : cells) {
        if (c.status != CellStatus::kOk) continue;
        for (const auto& [name, v] : c.metrics) {
          if (name == shown.metric) values[c.method_label][c.dataset_label].push_back(v), any = true;
        }
      }
      if (!any) continue;
      Table t;
      t.title = shown.title;
      t.digits = options.digits;
      t.columns.push_back({"method"});
      for (const auto& d : datasets) t.columns.push_back({titles.at(d), shown.direction});
      for (const auto& m : methods) {
        std::vector<TableCell> row = {TableCell::label(method_titles.at(m))};
        for (const auto& d : datasets) {
          const auto& v = values[m][d];
          const auto ci = stats::mean_ci(v, options.confidence);
          row.push_back(v.empty() ? TableCell::number(std::nan("")) : TableCell::number(ci.mean, ci.half_width));
        }
        t.rows.push_back(std::move(row));
      }
      t.notes.push_back("mean over seeds ± Student-t CI half-width; n/a: not defined for that data set");
      t.notes.push_back("labels show the parameters that vary between a dataset's (method's) configurations");
      out.push_back(std::move(t));
    }
    return out;
  }
};

}  // namespace

SB_REGISTER_SUITE_VIEW(SelectionView, "selection");

}  // namespace sb::selection
