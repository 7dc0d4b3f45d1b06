// Tables of `shardbench compare` (results/aggregate/compare.h).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>

#include "results/render/table.h"

namespace sb {

std::vector<Table> comparison_tables(const Comparison& comparison, const std::string& a_name,
                                     const std::string& b_name, int digits) {
  std::map<std::string, std::vector<const ArmComparison*>> by_suite;
  for (const auto& arm : comparison.arms) by_suite[arm.suite].push_back(&arm);
  std::vector<Table> tables;
  for (const auto& [suite, arms] : by_suite) {
    std::set<std::string> metrics;
    for (const auto* arm : arms) metrics.insert(arm->metric);
    const bool metric_column = metrics.size() > 1;
    Table t;
    t.digits = digits;
    t.title = metric_column ? fmt::format("{}: A = {}, B = {}", suite, a_name, b_name)
                            : fmt::format("{}: {}, A = {}, B = {}", suite, *metrics.begin(), a_name, b_name);
    t.columns = {{"dataset"}, {"method"}};
    if (metric_column) t.columns.push_back({"metric"});
    const MetricDirection shown = metric_column ? MetricDirection::kUnknown : arms.front()->direction;
    t.columns.insert(t.columns.end(), {{"A", shown}, {"B", shown}, {"B - A"}, {"change %"}, {"pairs"},
                                       {"p Wilcoxon"}, {"p t-test"}, {"verdict"}});
    std::size_t unpaired = 0;
    for (const auto* arm : arms) {
      std::vector<TableCell> row = {TableCell::label(arm->dataset_label), TableCell::label(arm->method_label)};
      if (metric_column) row.push_back(TableCell::label(arm->metric));
      row.insert(row.end(), {TableCell::number(arm->mean_a), TableCell::number(arm->mean_b),
                             TableCell::number(arm->difference),
                             TableCell::number(100 * arm->relative, NAN, Mark::kNone, 1),
                             TableCell::count(arm->n_pairs),
                             TableCell::number(arm->n_pairs > 0 ? arm->wilcoxon.p_value : NAN, NAN, Mark::kNone, 4),
                             TableCell::number(arm->t.p_value, NAN, Mark::kNone, 4),
                             TableCell::label(verdict_name(arm->verdict))});
      t.rows.push_back(std::move(row));
      unpaired += arm->n_unpaired;
    }
    t.notes.push_back(fmt::format("paired over seeds; two-sided p; verdict: Wilcoxon p < {} (not adjusted for {} arms)",
                                  comparison.alpha, arms.size()));
    // The exact two-sided Wilcoxon p is at least 2 / 2^n: with 5 pairs or
    // fewer it cannot fall below 0.0625.
    std::size_t fewest = SIZE_MAX;
    for (const auto* arm : arms) fewest = std::min(fewest, arm->n_pairs);
    if (fewest >= 2 && std::ldexp(2.0, -static_cast<int>(fewest)) >= comparison.alpha)
      t.notes.push_back(fmt::format("with {} pairs the smallest possible Wilcoxon p is {:.4f}: run more seeds",
                                    fewest, std::ldexp(2.0, -static_cast<int>(fewest))));
    if (unpaired > 0) t.notes.push_back(fmt::format("{} value(s) without a partner seed left out", unpaired));
    for (const auto& [ids, side] : {std::pair{&comparison.only_in_a, "A"}, std::pair{&comparison.only_in_b, "B"}}) {
      std::string list;
      std::size_t n = 0;
      for (const auto& id : *ids) {
        if (id.suite != suite) continue;
        list += fmt::format("{}{} / {}", n++ ? "; " : "", id.dataset_label, id.method_label);
      }
      if (n > 0) t.notes.push_back(fmt::format("only in {} ({}): {}", side, n, list));
    }
    tables.push_back(std::move(t));
  }
  return tables;
}

}  // namespace sb
