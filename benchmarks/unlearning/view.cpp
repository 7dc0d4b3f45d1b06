// The unlearning suite's results view, laid out as SalUn's tables: one table
// per dataset configuration, rows = methods, columns = the accuracies on the
// forget / retain / test rows, the membership AUROC, the average gap to the
// retrain oracle, KL to the oracle on test, forget quality and speed-up,
// each the mean ± Student-t CI half-width over seeds.
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "results/aggregate/statistics.h"
#include "results/view/suite_view.h"

namespace sb::unlearning {
namespace {

struct Shown {
  const char* metric;
  const char* title;
  MetricDirection direction;
};
// Accuracies and the AUROC are read against the oracle's (the retrain row),
// not ranked. A regression table (its cells report mse_* in place of acc_*)
// shows the mean squared errors in the accuracies' places.
constexpr Shown kShown[] = {
    {"acc_forget", "acc forget", MetricDirection::kUnknown},
    {"acc_retain", "acc retain", MetricDirection::kUnknown},
    {"acc_test", "acc test", MetricDirection::kUnknown},
    {"mia_auroc", "MIA AUROC", MetricDirection::kUnknown},
    {"avg_gap", "avg gap", MetricDirection::kLowerIsBetter},
    {"kl_test", "KL test", MetricDirection::kLowerIsBetter},
    {"forget_quality", "forget quality", MetricDirection::kHigherIsBetter},
    {"speedup", "speed-up", MetricDirection::kHigherIsBetter},
};

// "name[a=1,b=2]" -> the parameters "a=1", "b=2" (a piece without '=' belongs to the one before it).
std::vector<std::string> label_params(const std::string& label) {
  const size_t open = label.find('[');
  std::vector<std::string> out;
  if (open == std::string::npos || label.back() != ']') return out;
  const std::string body = label.substr(open + 1, label.size() - open - 2);
  size_t start = 0;
  while (start <= body.size()) {
    const size_t comma = std::min(body.find(',', start), body.size());
    const std::string piece = body.substr(start, comma - start);
    if (piece.find('=') == std::string::npos && !out.empty()) out.back() += "," + piece;
    else out.push_back(piece);
    start = comma + 1;
  }
  return out;
}

// A dataset title: its name and the parameters that differ between the
// configurations of that dataset in these cells (the full labels when that
// would make two titles equal).
std::map<std::string, std::string> titles(const std::set<std::string>& labels) {
  const auto name_of = [](const std::string& l) { return l.substr(0, l.find('[')); };
  std::map<std::string, int> configurations;  // name -> labels
  std::map<std::string, int> seen;            // name + "|" + "k=v" -> labels holding it
  for (const auto& l : labels) {
    ++configurations[name_of(l)];
    for (const auto& p : label_params(l)) ++seen[name_of(l) + "|" + p];
  }
  std::map<std::string, std::string> out;
  std::set<std::string> used;
  for (const auto& l : labels) {
    const std::string name = name_of(l);
    std::string kept;
    for (const auto& p : label_params(l))
      if (seen[name + "|" + p] < configurations[name]) kept += (kept.empty() ? "" : ",") + p;
    out[l] = kept.empty() ? name : name + "[" + kept + "]";
    if (!used.insert(out[l]).second) {
      for (const auto& m : labels) out[m] = m;
      return out;
    }
  }
  return out;
}

class UnlearningView : public SuiteView {
 public:
  std::vector<Table> summary(const std::vector<CellRecord>& cells, const SummaryOptions& options) const override {
    std::set<std::string> datasets;
    for (const auto& c : cells) datasets.insert(c.dataset_label);
    const auto dataset_titles = titles(datasets);
    std::vector<Table> out;
    for (const auto& dataset : datasets) {
      // values[method][metric] over the ok cells' seeds.
      std::map<std::string, std::map<std::string, std::vector<double>>> values;
      for (const auto& c : cells) {
        if (c.dataset_label != dataset || c.status != CellStatus::kOk) continue;
        auto& row = values[c.method_label];
        for (const auto& [name, v] : c.metrics) row[name].push_back(v);
      }
      if (values.empty()) continue;
      bool regression = false;
      for (const auto& [method, metrics] : values) regression = regression || metrics.count("mse_test");
      // The metric and title of a column, "acc_x" read as "mse_x" on a regression table.
      auto metric_of = [&](const Shown& shown) {
        const std::string name = shown.metric;
        return regression && name.rfind("acc_", 0) == 0 ? "mse_" + name.substr(4) : name;
      };
      auto title_of = [&](const Shown& shown) {
        const std::string title = shown.title;
        return regression && title.rfind("acc ", 0) == 0 ? "MSE " + title.substr(4) : title;
      };
      Table t;
      t.title = "Unlearning: " + dataset_titles.at(dataset);
      t.digits = options.digits;
      t.columns.push_back({"method"});
      for (const Shown& shown : kShown) t.columns.push_back({title_of(shown), shown.direction});
      for (const auto& [method, metrics] : values) {
        std::vector<TableCell> row = {TableCell::label(method)};
        for (const Shown& shown : kShown) {
          const auto it = metrics.find(metric_of(shown));
          if (it == metrics.end()) {
            row.push_back(TableCell::number(std::nan("")));
            continue;
          }
          const auto ci = stats::mean_ci(it->second, options.confidence);
          row.push_back(TableCell::number(ci.mean, ci.half_width));
        }
        t.rows.push_back(std::move(row));
      }
      t.notes.push_back(fmt::format("mean over seeds ± Student-t CI half-width; {} and MIA AUROC are read against "
                                    "the retrain row (the oracle); avg gap = mean |difference to the oracle| of the "
                                    "four",
                                    regression ? "mean squared errors" : "accuracies"));
      t.notes.push_back("speed-up = oracle fit seconds / the method's unlearning seconds (a timing)");
      out.push_back(std::move(t));
    }
    return out;
  }
};

}  // namespace

SB_REGISTER_SUITE_VIEW(UnlearningView, "unlearning");

}  // namespace sb::unlearning
