#include "results/view/suite_view.h"

#include <cmath>
#include <utility>

#include "harness/core/registry.h"
#include "results/aggregate/statistics.h"
#include "results/render/html_report.h"

namespace sb {

TableCell mean_ci_cell(const std::vector<double>& values, double confidence) {
  if (values.empty()) return TableCell::number(std::nan(""));
  const auto ci = stats::mean_ci(values, confidence);
  return TableCell::number(ci.mean, ci.half_width);
}

std::vector<Table> SuiteView::summary(const std::vector<CellRecord>&, const SummaryOptions&) const {
  return {};
}

std::string SuiteView::html_section(const std::vector<CellRecord>& cells,
                                    const SummaryOptions& options) const {
  std::string out;
  for (const Table& t : summary(cells, options)) {
    out += "<h3>" + html_escape(t.title) + "</h3>\n" + render_html_table(t);
  }
  return out;
}

SuiteViewRegistry& SuiteViewRegistry::instance() {
  static SuiteViewRegistry registry;
  return registry;
}

void SuiteViewRegistry::add(const std::string& suite, Factory factory) {
  if (find(suite) != nullptr) {
    report_registry_problem("duplicate results view of suite '" + suite + "'");
    return;
  }
  entries_.push_back({suite, factory()});
}

const SuiteView* SuiteViewRegistry::find(const std::string& suite) const {
  for (const auto& e : entries_) {
    if (e.suite == suite) return e.view.get();
  }
  return nullptr;
}

std::vector<std::string> SuiteViewRegistry::suites() const {
  std::vector<std::string> out;
  for (const auto& e : entries_) out.push_back(e.suite);
  return out;
}

std::vector<std::string> aggregate_names(const std::string& suite) {
  std::vector<std::string> out = {"mean"};
  if (const SuiteView* view = SuiteViewRegistry::instance().find(suite)) {
    for (const auto& a : view->aggregates()) out.push_back(a.name);
  }
  return out;
}

std::optional<NamedAggregate> find_aggregate(const std::string& suite, const std::string& name) {
  if (const SuiteView* view = SuiteViewRegistry::instance().find(suite)) {
    for (auto& a : view->aggregates()) {
      if (a.name == name) return std::move(a);
    }
  }
  return std::nullopt;
}

}  // namespace sb
