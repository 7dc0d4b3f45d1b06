// Aggregation of estimation-suite cells (one replication per seed) into the
// usual simulation-study summaries: bias with its t interval, RMSE, MAE,
// median absolute error, interval coverage with its binomial interval, mean
// interval width, times, each with its Monte Carlo standard error over the
// replications; and the summary table the suite's view shows
// (benchmarks/estimation/view.cpp).
#pragma once

#include <cstddef>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "results/aggregate/statistics.h"
#include "results/records.h"
#include "results/render/table.h"

namespace sb {

// Monte Carlo standard errors of simulation-study summaries over n
// replications (docs/PAPERS.md, "Monte Carlo errors"). NaN when the data
// cannot give one (n < 2, or RMSE 0).
namespace mc {
// Of a mean: sd(x) / sqrt(n), sd with divisor n - 1.
double se_of_mean(const std::vector<double>& x);
// Of RMSE = sqrt(mean(sq)) by the delta method: sd(sq) / (2 RMSE sqrt(n)).
double se_of_rmse(const std::vector<double>& sq_error);
// Of a proportion p over n trials: sqrt(p (1 - p) / n) (binomial).
double se_of_proportion(double p, std::size_t n);
// Sample quantile, linear interpolation between order statistics (Hyndman
// & Fan type 7: x_(1 + (n-1) p)); NaN when empty. p in [0, 1].
double quantile(std::vector<double> x, double p);
// The same of values already in ascending order (no copy, no sort).
double quantile_of_sorted(const std::vector<double>& sorted, double p);
// Of the sample median by the asymptotic formula 1 / (2 f(m) sqrt(n)), the
// density's reciprocal 1/f(m) estimated by a difference of sample
// quantiles (Siddiqui 1960; Bloch & Gastwirth 1968):
//   1/f(m) ~ (Q(1/2 + h) - Q(1/2 - h)) / (2 h),   h = n^(-1/3) / 2,
// so SE = (Q(1/2 + h) - Q(1/2 - h)) / (4 h sqrt(n)). Deterministic.
double se_of_median(std::vector<double> x);
// The same of values already in ascending order.
double se_of_median_of_sorted(const std::vector<double>& sorted);

// Summaries of a variance estimator over R replications (estimate t_r, its
// variance estimate v_r), as Boos & Stefanski (2013, Table 11.4) tabulate
// them: mean(v) / var(t) (var with divisor R - 1; 1 for an unbiased
// estimator) and the coefficient of variation sd(v) / mean(v), each with
// its jackknife Monte Carlo SE over the replications, as their R package
// Monte.Carlo.se computes it: sqrt((R - 1)/R sum_r (s_(r) - mean s_(.))^2),
// s_(r) the summary without replication r. NaN below 3 replications.
struct JackknifedValue {
  double value = std::numeric_limits<double>::quiet_NaN();
  double mc_se = std::numeric_limits<double>::quiet_NaN();
};
JackknifedValue variance_ratio(const std::vector<double>& estimates, const std::vector<double>& variances);
JackknifedValue coefficient_of_variation(const std::vector<double>& x);
}  // namespace mc

struct EstimationSummary {
  std::string dataset_label;
  std::string method_label;
  std::size_t n_cells = 0;
  std::size_t n_ok = 0;
  std::size_t n_failed = 0;  // status != "ok", never dropped silently
  std::map<std::string, std::size_t> failed_by_status;

  double confidence = 0.95;  // level of every interval below
  std::size_t n = 0;       // ok cells with a finite `error`
  stats::MeanCI bias;      // mean of `error` with its t interval
  double rmse = 0;         // sqrt(mean sq_error)   (NaN when n == 0)
  double mae = 0;          // mean abs_error
  double median_abs_error = 0;  // median abs_error (Kang & Schafer's "MAE")
  // Monte Carlo standard errors of the above over the replications (mc::).
  double bias_mc_se = 0, rmse_mc_se = 0, mae_mc_se = 0, median_abs_error_mc_se = 0;
  double mean_estimate = 0;
  double truth = 0;        // mean of `truth` (constant in most designs)

  // Coverage from per-cell `covered` (0/1): proportion with a Wilson
  // interval; else from per-cell `coverage` (interval tasks): mean with a
  // t interval. coverage_method is "wilson", "t" or "" (no intervals).
  std::size_t n_intervals = 0;
  double coverage = 0;
  double coverage_low = 0;
  double coverage_high = 0;
  std::string coverage_method;
  double coverage_mc_se = 0;  // binomial ("wilson"), sd / sqrt(n) ("t")
  double mean_ci_width = 0;  // mean of ci_width, else of mean_width
  double mean_ci_width_mc_se = 0;

  double mean_wall_seconds = 0;    // over ok cells
  double mean_method_seconds = 0;  // over ok cells
};

// One summary per (dataset_label, method_label), sorted by those labels.
// NaN where a quantity has no data.
std::vector<EstimationSummary> summarize_estimation(const std::vector<CellRecord>& records,
                                                    double confidence = 0.95);

// Columns: dataset, method, n, bias ± CI, RMSE, MAE, coverage [CI],
// CI width, wall s, method s, failed. RMSE and MAE best/second marked per
// dataset, bias by its absolute value.
Table estimation_table(const std::vector<EstimationSummary>& summaries, int digits = 3);

// Coverage with its interval per method and a reference line at `nominal`
// (inline SVG for the HTML report).
std::string render_coverage_plot_svg(const std::string& title,
                                     const std::vector<EstimationSummary>& summaries,
                                     double nominal = 0.95);

}  // namespace sb
