#include "benchmarks/estimation/summary.h"

#include <cmath>
#include <limits>
#include <utility>

namespace sb {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Finite values of one metric per ok cell (a cell lacking it contributes none).
struct Collected {
  std::map<std::string, std::vector<double>> values;
  void add(const std::string& name, double v) {
    if (std::isfinite(v)) values[name].push_back(v);
  }
  const std::vector<double>& get(const std::string& name) const {
    static const std::vector<double> empty;
    const auto it = values.find(name);
    return it == values.end() ? empty : it->second;
  }
};

}  // namespace

std::vector<EstimationSummary> summarize_estimation(const std::vector<CellRecord>& records,
                                                    double confidence) {
  std::map<std::pair<std::string, std::string>, std::vector<const CellRecord*>> groups;
  for (const auto& r : records) groups[{r.dataset_label, r.method_label}].push_back(&r);

  std::vector<EstimationSummary> out;
  for (const auto& [key, cells] : groups) {
    EstimationSummary s;
    s.dataset_label = key.first;
    s.method_label = key.second;
    s.confidence = confidence;
    Collected c;
    std::vector<double> wall, method_time;
    for (const CellRecord* cell : cells) {
      ++s.n_cells;
      if (cell->status != CellStatus::kOk) {
        ++s.n_failed;
        ++s.failed_by_status[std::string(to_string(cell->status))];
        continue;
      }
      ++s.n_ok;
      wall.push_back(cell->wall_seconds);
      method_time.push_back(cell->method_seconds);
      for (const auto& [name, value] : cell->metrics) c.add(name, value);
    }
    const auto& error = c.get("error");
    s.n = error.size();
    s.bias = stats::mean_ci(error, confidence);
    const double msq = stats::mean(c.get("sq_error"));
    s.rmse = std::isnan(msq) ? kNaN : std::sqrt(msq);
    s.mae = stats::mean(c.get("abs_error"));
    s.mean_estimate = stats::mean(c.get("estimate"));
    s.truth = stats::mean(c.get("truth"));

    const auto& covered = c.get("covered");
    const auto& coverage = c.get("coverage");
    if (!covered.empty()) {
      std::size_t hits = 0;
      for (double v : covered) hits += v > 0.5 ? 1 : 0;
      const auto ci = stats::wilson_ci(hits, covered.size(), confidence);
      s.n_intervals = covered.size();
      s.coverage = ci.estimate;
      s.coverage_low = ci.low;
      s.coverage_high = ci.high;
      s.coverage_method = "wilson";
    } else if (!coverage.empty()) {
      const auto ci = stats::mean_ci(coverage, confidence);
      s.n_intervals = coverage.size();
      s.coverage = ci.mean;
      s.coverage_low = ci.low();
      s.coverage_high = ci.high();
      s.coverage_method = std::string(1, 't');  // g++ 12 -Wrestrict false positive on = "t"
    } else {
      s.coverage = s.coverage_low = s.coverage_high = kNaN;
    }
    const auto& width = c.get("ci_width");
    s.mean_ci_width = !width.empty() ? stats::mean(width) : stats::mean(c.get("mean_width"));
    s.mean_wall_seconds = stats::mean(wall);
    s.mean_method_seconds = stats::mean(method_time);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace sb
