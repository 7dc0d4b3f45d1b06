// The unlearning suite's results view, laid out as SalUn's tables: one table
// per dataset configuration, rows = methods, columns = the accuracies on the
// forget / retain / test rows, the membership AUROC, the average gap to the
// retrain oracle, KL to the oracle on test, forget quality and speed-up,
// each the mean ± Student-t CI half-width over seeds.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "results/aggregate/labels.h"
#include "results/view/suite_view.h"

namespace sb::unlearning {
namespace {

// Accuracies and the AUROC are read against the oracle's (the retrain row),
// not ranked. A regression table (its cells report mse_* in place of acc_*)
// shows the mean squared errors in the accuracies' places.
constexpr ShownMetric kShown[] = {
    {"acc_forget", "acc forget", MetricDirection::kUnknown},
    {"acc_retain", "acc retain", MetricDirection::kUnknown},
    {"acc_test", "acc test", MetricDirection::kUnknown},
    {"mia_auroc", "MIA AUROC", MetricDirection::kUnknown},
    {"avg_gap", "avg gap", MetricDirection::kLowerIsBetter},
    {"kl_test", "KL test", MetricDirection::kLowerIsBetter},
    {"forget_quality", "forget quality", MetricDirection::kHigherIsBetter},
    {"speedup", "speed-up", MetricDirection::kHigherIsBetter},
};

class UnlearningView : public SuiteView {
 public:
  std::vector<Table> summary(const std::vector<CellRecord>& cells, const SummaryOptions& options) const override {
    std::set<std::string> datasets;
    for (const auto& c : cells) datasets.insert(c.dataset_label);
    // A dataset's title keeps only the parameters that vary in these cells.
    const auto dataset_titles = short_labels({datasets.begin(), datasets.end()});
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
      auto metric_of = [&](const ShownMetric& shown) {
        const std::string name = shown.metric;
        return regression && name.rfind("acc_", 0) == 0 ? "mse_" + name.substr(4) : name;
      };
      auto title_of = [&](const ShownMetric& shown) {
        const std::string title = shown.title;
        return regression && title.rfind("acc ", 0) == 0 ? "MSE " + title.substr(4) : title;
      };
      Table t;
      t.title = "Unlearning: " + dataset_titles.at(dataset);
      t.digits = options.digits;
      t.columns.push_back({"method"});
      for (const ShownMetric& shown : kShown) t.columns.push_back({title_of(shown), shown.direction});
      for (const auto& [method, metrics] : values) {
        std::vector<TableCell> row = {TableCell::label(method)};
        for (const ShownMetric& shown : kShown) {
          const auto it = metrics.find(metric_of(shown));
          row.push_back(mean_ci_cell(it == metrics.end() ? std::vector<double>{} : it->second, options.confidence));
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
