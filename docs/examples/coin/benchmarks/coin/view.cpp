// The `coin` suite's results view: its leaderboard table and one aggregate
// for paper specs (`aggregate = "worst_abs_err"`).
#include <algorithm>
#include <cmath>
#include <map>

#include "results/aggregate/statistics.h"
#include "results/view/suite_view.h"

namespace sb::coin {
namespace {

std::vector<double> abs_errors(const std::vector<CellRecord>& cells, std::size_t* failed) {
  std::vector<double> out;
  for (const auto& c : cells) {
    if (c.status != CellStatus::kOk) {
      if (failed) ++*failed;
      continue;
    }
    for (const auto& [name, v] : c.metrics) {
      if (name == "abs_err") out.push_back(v);
    }
  }
  return out;
}

class CoinView : public SuiteView {
 public:
  std::vector<Table> summary(const std::vector<CellRecord>& cells,
                             const SummaryOptions& options) const override {
    std::map<std::pair<std::string, std::string>, std::vector<CellRecord>> groups;
    for (const auto& c : cells) groups[{c.dataset_label, c.method_label}].push_back(c);
    Table t;
    t.title = "Coin: error of the estimated probability of heads";
    t.digits = options.digits;
    t.columns = {{"dataset"}, {"method"}, {"mean |error|", MetricDirection::kLowerIsBetter},
                 {"worst |error|", MetricDirection::kLowerIsBetter}, {"seeds"}, {"failed"}};
    for (const auto& [key, group] : groups) {
      std::size_t failed = 0;
      const auto errors = abs_errors(group, &failed);
      const auto ci = stats::mean_ci(errors, options.confidence);
      const double worst = errors.empty() ? NAN : *std::max_element(errors.begin(), errors.end());
      t.rows.push_back({TableCell::label(key.first), TableCell::label(key.second),
                        TableCell::number(ci.mean, ci.half_width), TableCell::number(worst),
                        TableCell::count(errors.size()), TableCell::count(failed)});
    }
    t.notes.push_back("mean over seeds ± Student-t CI half-width");
    return {t};
  }

  std::vector<NamedAggregate> aggregates() const override {
    return {{"worst_abs_err", "largest |estimate - p| over seeds",
             [](const std::vector<CellRecord>& cells, double) {
               // mc_se stays NaN: the maximum has no simple Monte Carlo
               // error, so tolerance = "mc" cannot judge it (docs/PAPERS.md).
               AggregateValue v;
               const auto errors = abs_errors(cells, &v.n_failed);
               v.n = errors.size();
               if (!errors.empty()) v.value = *std::max_element(errors.begin(), errors.end());
               return v;
             }}};
  }
};

}  // namespace

SB_REGISTER_SUITE_VIEW(CoinView, "coin");

}  // namespace sb::coin
