// The selection suite's results view, laid out as OpenDataVal's tables: one
// table per task metric, rows = methods, columns = dataset configurations,
// each entry the mean ± Student-t CI half-width over seeds.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "results/aggregate/labels.h"
#include "results/view/suite_view.h"

namespace sb::selection {
namespace {

constexpr ShownMetric kShown[] = {
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

class SelectionView : public SuiteView {
 public:
  std::vector<Table> summary(const std::vector<CellRecord>& cells, const SummaryOptions& options) const override {
    std::set<std::string> datasets, methods;
    for (const auto& c : cells) datasets.insert(c.dataset_label), methods.insert(c.method_label);
    // Row and column titles keep only the parameters that vary in these cells.
    const auto titles = short_labels({datasets.begin(), datasets.end()});
    const auto method_titles = short_labels({methods.begin(), methods.end()});
    std::vector<Table> out;
    for (const ShownMetric& shown : kShown) {
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
        for (const auto& d : datasets) row.push_back(mean_ci_cell(values[m][d], options.confidence));
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
