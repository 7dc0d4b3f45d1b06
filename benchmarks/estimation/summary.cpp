#include "benchmarks/estimation/summary.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "estimators/estimation/quantiles.h"
#include "estimators/estimation/robust_common.h"

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

namespace mc {

double se_of_mean(const std::vector<double>& x) {
  if (x.size() < 2) return kNaN;
  return stats::sample_sd(x) / std::sqrt(static_cast<double>(x.size()));
}

double se_of_rmse(const std::vector<double>& sq_error) {
  if (sq_error.size() < 2) return kNaN;
  const double rmse = std::sqrt(stats::mean(sq_error));
  if (!(rmse > 0)) return kNaN;  // the delta method divides by RMSE
  return stats::sample_sd(sq_error) / (2 * rmse * std::sqrt(static_cast<double>(sq_error.size())));
}

double se_of_proportion(double p, std::size_t n) {
  if (n == 0 || !std::isfinite(p)) return kNaN;
  return std::sqrt(p * (1 - p) / static_cast<double>(n));
}

double quantile_of_sorted(const std::vector<double>& sorted, double p) {
  return sorted.empty() ? kNaN : estimation::robust::quantile_type7_sorted(sorted, p);
}

double quantile(std::vector<double> x, double p) {
  std::sort(x.begin(), x.end());
  return quantile_of_sorted(x, p);
}

double se_of_median_of_sorted(const std::vector<double>& sorted) {
  if (sorted.size() < 2) return kNaN;
  const double n = static_cast<double>(sorted.size());
  const double h = 0.5 * std::cbrt(1 / n);  // < 1/2 for n >= 2: both quantiles inside (0, 1)
  return (quantile_of_sorted(sorted, 0.5 + h) - quantile_of_sorted(sorted, 0.5 - h)) / (4 * h * std::sqrt(n));
}

double se_of_median(std::vector<double> x) {
  std::sort(x.begin(), x.end());
  return se_of_median_of_sorted(x);
}

namespace {

// The mean and sum of squares of x, and of x without entry i in O(1):
// mean_(i) = m - d_i / (R - 1), SS_(i) = SS - d_i^2 R / (R - 1), d_i = x_i - m.
struct LeaveOneOut {
  explicit LeaveOneOut(const std::vector<double>& x)
      : x_(x),
        r_(static_cast<double>(x.size())),
        mean_(stats::mean(x)),
        ss_(estimation::robust::sum_of_squared_deviations(x)) {}
  double mean() const { return mean_; }
  double variance() const { return ss_ / (r_ - 1); }
  double mean_without(std::size_t i) const { return mean_ - (x_[i] - mean_) / (r_ - 1); }
  double variance_without(std::size_t i) const {
    const double d = x_[i] - mean_;
    return (ss_ - d * d * r_ / (r_ - 1)) / (r_ - 2);
  }

 private:
  const std::vector<double>& x_;
  double r_, mean_, ss_;
};

double jackknife_se(const std::vector<double>& leave_one_out) {
  return std::sqrt(estimation::robust::jackknife_variance(leave_one_out));
}

}  // namespace

JackknifedValue variance_ratio(const std::vector<double>& estimates, const std::vector<double>& variances) {
  JackknifedValue out;
  if (estimates.size() < 3 || estimates.size() != variances.size()) return out;
  const LeaveOneOut t(estimates), v(variances);
  out.value = v.mean() / t.variance();
  std::vector<double> loo(estimates.size());
  for (std::size_t i = 0; i < loo.size(); ++i) loo[i] = v.mean_without(i) / t.variance_without(i);
  out.mc_se = jackknife_se(loo);
  return out;
}

JackknifedValue coefficient_of_variation(const std::vector<double>& x) {
  JackknifedValue out;
  if (x.size() < 3) return out;
  const LeaveOneOut s(x);
  out.value = std::sqrt(s.variance()) / s.mean();
  std::vector<double> loo(x.size());
  for (std::size_t i = 0; i < loo.size(); ++i) loo[i] = std::sqrt(s.variance_without(i)) / s.mean_without(i);
  out.mc_se = jackknife_se(loo);
  return out;
}

}  // namespace mc

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
    std::vector<double> abs_error = c.get("abs_error");
    std::sort(abs_error.begin(), abs_error.end());  // once for the median and its SE
    s.median_abs_error = mc::quantile_of_sorted(abs_error, 0.5);
    s.bias_mc_se = mc::se_of_mean(error);
    s.rmse_mc_se = mc::se_of_rmse(c.get("sq_error"));
    s.mae_mc_se = mc::se_of_mean(c.get("abs_error"));
    s.median_abs_error_mc_se = mc::se_of_median_of_sorted(abs_error);
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
      s.coverage_mc_se = mc::se_of_proportion(ci.estimate, covered.size());
    } else if (!coverage.empty()) {
      const auto ci = stats::mean_ci(coverage, confidence);
      s.n_intervals = coverage.size();
      s.coverage = ci.mean;
      s.coverage_low = ci.low();
      s.coverage_high = ci.high();
      s.coverage_method = std::string(1, 't');  // g++ 12 -Wrestrict false positive on = "t"
      s.coverage_mc_se = mc::se_of_mean(coverage);
    } else {
      s.coverage = s.coverage_low = s.coverage_high = s.coverage_mc_se = kNaN;
    }
    const auto& width = !c.get("ci_width").empty() ? c.get("ci_width") : c.get("mean_width");
    s.mean_ci_width = stats::mean(width);
    s.mean_ci_width_mc_se = mc::se_of_mean(width);
    s.mean_wall_seconds = stats::mean(wall);
    s.mean_method_seconds = stats::mean(method_time);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace sb
