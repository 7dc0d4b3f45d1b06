#include "benchmarks/estimation/metrics.h"

#include <algorithm>
#include <cmath>

#include "harness/core/errors.h"

namespace sb::estimation {

std::vector<MetricInfo> estimation_metrics() {
  // Values that are not scores have no direction: the first metric with one,
  // abs_error, is the default ranking (docs/ESTIMATION.md).
  return {
      undirected_metric("estimate", "value(0) of the estimate"),
      undirected_metric("truth", "truth(0) of the scenario"),
      undirected_metric("error", "estimate - truth for coordinate 0 (signed; averages to the bias)"),
      {"abs_error", false, "|estimate - truth| for coordinate 0"},
      {"sq_error", false, "(estimate - truth)^2 for coordinate 0 (averages to the MSE)"},
      {"n_sq_error", false, "rows of x times sq_error (averages to n x MSE, the scale of asymptotic-variance tables)"},
      {"l2_error", false, "Euclidean norm of value - truth over all coordinates"},
      undirected_metric("std_error", "the estimator's own standard error of value(0)"),
      undirected_metric("ci_low", "lower end of the estimator's 95% CI for value(0)"),
      undirected_metric("ci_high", "upper end of the estimator's 95% CI for value(0)"),
      {"ci_width", false, "ci_high - ci_low"},
      // Coverage aims at the nominal level: more is not better (rank on coverage_gap).
      undirected_metric("covered", "1 if truth(0) is in [ci_low, ci_high], else 0 (averages to coverage)"),
      undirected_metric("coverage", "interval task: fraction of test points with lower <= y <= upper"),
      {"coverage_gap", false, "interval task: |coverage - level|"},
      {"mean_width", false, "interval task: mean of upper - lower over finite intervals"},
      {"infinite_fraction", false, "interval task: fraction of test intervals that are infinite"},
  };
}

namespace {

std::vector<std::pair<std::string, double>> grade_interval(const Data& data, const Estimate& est) {
  const auto n = data.y_test.size();
  SB_THROW_IF_NOT(MethodError, est.lower.size() == n && est.upper.size() == n,
                  "interval estimate has {} lower and {} upper ends for {} test points",
                  est.lower.size(), est.upper.size(), n);
  SB_THROW_IF_NOT(MethodError, n >= 1, "interval task without test points");
  double covered = 0, width = 0, finite = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const double lo = est.lower(i), hi = est.upper(i);
    SB_THROW_IF_NOT(MethodError, !std::isnan(lo) && !std::isnan(hi),
                    "interval {} is [{}, {}] (NaN)", i, lo, hi);
    if (lo <= data.y_test(i) && data.y_test(i) <= hi) covered += 1;
    if (std::isfinite(lo) && std::isfinite(hi)) {
      width += std::max(0.0, hi - lo);  // an empty interval has width 0
      finite += 1;
    }
  }
  const double nd = static_cast<double>(n);
  std::vector<std::pair<std::string, double>> out;
  out.emplace_back("coverage", covered / nd);
  out.emplace_back("coverage_gap", std::abs(covered / nd - data.level));
  if (finite > 0) out.emplace_back("mean_width", width / finite);
  out.emplace_back("infinite_fraction", (nd - finite) / nd);
  return out;
}

}  // namespace

std::vector<std::pair<std::string, double>> grade(const Data& data, const Estimate& est) {
  if (data.task == "interval") return grade_interval(data, est);
  SB_THROW_IF_NOT(MethodError, est.value.size() == data.truth.size() && data.truth.size() >= 1,
                  "estimate has {} coordinates but the truth has {}", est.value.size(),
                  data.truth.size());
  for (Eigen::Index j = 0; j < est.value.size(); ++j) {
    SB_THROW_IF_NOT(MethodError, std::isfinite(est.value(j)), "estimate coordinate {} is {}", j,
                    est.value(j));
  }
  const double value = est.value(0), truth = data.truth(0), error = value - truth;
  std::vector<std::pair<std::string, double>> out = {
      {"estimate", value},
      {"truth", truth},
      {"error", error},
      {"abs_error", std::abs(error)},
      {"sq_error", error * error},
      {"n_sq_error", static_cast<double>(data.x.rows()) * error * error},
      {"l2_error", (est.value - data.truth).norm()},
  };
  if (std::isfinite(est.ci_low) && std::isfinite(est.ci_high)) {
    out.emplace_back("ci_low", est.ci_low);
    out.emplace_back("ci_high", est.ci_high);
    out.emplace_back("ci_width", est.ci_high - est.ci_low);
    out.emplace_back("covered", est.ci_low <= truth && truth <= est.ci_high ? 1.0 : 0.0);
  }
  if (std::isfinite(est.std_error)) out.emplace_back("std_error", est.std_error);
  return out;
}

}  // namespace sb::estimation
