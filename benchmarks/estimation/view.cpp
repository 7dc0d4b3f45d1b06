// The estimation suite's results view: the simulation-study summary
// (bias, RMSE, MAE, coverage, CI width) as the default leaderboard, the
// aggregates paper specs may name (each with its Monte Carlo error), and the report section with coverage
// plots. Results code knows none of these names: it finds this view by the
// suite name (results/view/suite_view.h).
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "benchmarks/estimation/summary.h"
#include "results/render/html_report.h"
#include "results/view/suite_view.h"

namespace sb {
namespace {

std::string num(double v) { return fmt::format("{:.1f}", v); }

}  // namespace

Table estimation_table(const std::vector<EstimationSummary>& summaries, int digits) {
  Table t;
  t.digits = digits;
  t.title = "Estimation: bias, RMSE, MAE and interval coverage over replications";
  t.columns = {{"dataset"},
               {"method"},
               {"n"},
               {"bias"},
               {"RMSE", MetricDirection::kLowerIsBetter},
               {"MAE", MetricDirection::kLowerIsBetter},
               {"coverage"},
               {"CI width"},
               {"wall s"},
               {"method s"},
               {"failed"}};
  // Marks per dataset: |bias|, RMSE, MAE (lower is better).
  std::map<std::string, std::vector<std::size_t>> by_dataset;
  for (std::size_t i = 0; i < summaries.size(); ++i) by_dataset[summaries[i].dataset_label].push_back(i);
  std::vector<std::array<Mark, 3>> marks(summaries.size(), {Mark::kNone, Mark::kNone, Mark::kNone});
  for (const auto& [dataset, idx] : by_dataset) {
    for (int q = 0; q < 3; ++q) {
      std::vector<double> v;
      for (std::size_t i : idx) {
        const auto& s = summaries[i];
        v.push_back(q == 0 ? std::abs(s.bias.mean) : (q == 1 ? s.rmse : s.mae));
      }
      std::vector<double> distinct;
      for (double x : v) if (std::isfinite(x)) distinct.push_back(x);
      std::sort(distinct.begin(), distinct.end());
      distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
      for (std::size_t j = 0; j < idx.size(); ++j) {
        if (!distinct.empty() && v[j] == distinct[0]) marks[idx[j]][q] = Mark::kBest;
        else if (distinct.size() > 1 && v[j] == distinct[1]) marks[idx[j]][q] = Mark::kSecond;
      }
    }
  }
  std::size_t failed = 0;
  std::string methods_wilson, methods_t;
  for (std::size_t i = 0; i < summaries.size(); ++i) {
    const auto& s = summaries[i];
    t.rows.push_back({TableCell::label(s.dataset_label), TableCell::label(s.method_label),
                      TableCell::count(s.n),
                      TableCell::number(s.bias.mean, s.bias.half_width, marks[i][0]),
                      TableCell::number(s.rmse, std::nan(""), marks[i][1]),
                      TableCell::number(s.mae, std::nan(""), marks[i][2]),
                      TableCell::interval(s.coverage, s.coverage_low, s.coverage_high),
                      TableCell::number(s.mean_ci_width), TableCell::number(s.mean_wall_seconds),
                      TableCell::number(s.mean_method_seconds), TableCell::count(s.n_failed)});
    failed += s.n_failed;
    if (s.coverage_method == "t") methods_t += (methods_t.empty() ? "" : ", ") + s.method_label;
  }
  t.notes.push_back(
      fmt::format("bias = mean(estimate - truth) ± {0:g}% t CI; coverage of per-replication "
                  "intervals with a Wilson {0:g}% interval; best per dataset in bold (|bias|, RMSE, MAE), second underlined",
                  (summaries.empty() ? 0.95 : summaries.front().confidence) * 100));
  if (!methods_t.empty()) {
    t.notes.push_back("coverage is the mean of per-cell coverage with a t interval for: " + methods_t);
  }
  if (failed > 0) t.notes.push_back(fmt::format("failed cells (not in the summaries): {}", failed));
  return t;
}

// A forest plot: one row per method, its coverage as a square and its
// interval as a capped horizontal line, the value and interval in numbers on
// the right, and the nominal level as a dashed vertical line (none when
// `nominal` is NaN: the level is unknown).
std::string render_coverage_plot_svg(const std::string& title,
                                     const std::vector<EstimationSummary>& summaries, double nominal) {
  const double left = 200, right = 560, top = 40, row_h = 24, cap = 5;
  const double rows = static_cast<double>(summaries.size());
  const double axis_y = top + row_h * rows + 4;
  const double height = axis_y + 44;
  // x from a round value below every point, interval end and the nominal
  // level, to 1 (coverage cannot exceed it).
  double lo = std::isfinite(nominal) ? nominal : 1.0;
  for (const auto& s : summaries) {
    for (double v : {s.coverage, s.coverage_low}) {
      if (std::isfinite(v)) lo = std::min(lo, v);
    }
  }
  lo = std::clamp(std::floor(lo * 20 - 0.5) / 20, 0.0, 0.95);
  const double hi = 1.0;
  auto x_of = [&](double v) { return left + (std::clamp(v, lo, hi) - lo) / (hi - lo) * (right - left); };
  std::string s = fmt::format(
      "<svg width=\"760\" height=\"{0}\" viewBox=\"0 0 760 {0}\" role=\"img\" aria-label=\"coverage plot\">\n",
      num(height));
  // Long titles (a dataset's label) shortened in the middle, whole in the tooltip.
  s += fmt::format("<text x=\"5\" y=\"16\"><title>{}</title>{}</text>\n", html_escape(title),
                   html_escape(shorten_label(title, 90)));
  for (std::size_t i = 1; i < summaries.size(); i += 2) {  // stripes guide the eye along a row
    s += fmt::format("<rect x=\"5\" y=\"{}\" width=\"750\" height=\"{}\" fill=\"#f3f5f7\"/>\n",
                     num(top + row_h * static_cast<double>(i)), num(row_h));
  }
  s += fmt::format("<line x1=\"{0}\" y1=\"{2}\" x2=\"{1}\" y2=\"{2}\" stroke=\"black\"/>\n", num(left),
                   num(right), num(axis_y));
  for (int t = 0; t <= 4; ++t) {
    const double v = lo + (hi - lo) * t / 4;
    s += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"black\"/>"
                     "<text x=\"{0}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>\n",
                     num(x_of(v)), num(axis_y), num(axis_y + 4), num(axis_y + 17), format_fixed(v, 2));
  }
  s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">coverage</text>\n", num((left + right) / 2),
                   num(axis_y + 34));
  s += fmt::format("<text x=\"{}\" y=\"{}\">coverage [interval]</text>\n", num(right + 12), num(top - 6));
  if (std::isfinite(nominal)) {
    s += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#c00\" stroke-dasharray=\"4 3\"/>"
                     "<text x=\"{5}\" y=\"{3}\" text-anchor=\"{6}\" fill=\"#c00\">nominal {4:g}</text>\n",
                     num(x_of(nominal)), num(top - 2), num(axis_y), num(top - 6), nominal,
                     // the label on the side away from the numbers' header
                     num(x_of(nominal) + (nominal > (lo + hi) / 2 ? -4 : 4)), nominal > (lo + hi) / 2 ? "end" : "start");
  }
  for (std::size_t i = 0; i < summaries.size(); ++i) {
    const auto& e = summaries[i];
    const double y = top + row_h * (static_cast<double>(i) + 0.5);
    s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\"><title>{}</title>{}</text>\n", num(left - 8),
                     num(y + 4), html_escape(e.method_label), html_escape(shorten_label(e.method_label, 30)));
    if (!std::isfinite(e.coverage)) continue;
    const bool interval = std::isfinite(e.coverage_low) && std::isfinite(e.coverage_high);
    if (interval) {
      const double x1 = x_of(e.coverage_low), x2 = x_of(e.coverage_high);
      s += fmt::format("<path d=\"M{0},{2}H{1}M{0},{3}V{4}M{1},{3}V{4}\" stroke=\"black\" fill=\"none\"/>\n",
                       num(x1), num(x2), num(y), num(y - cap), num(y + cap));
    }
    s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"8\" height=\"8\" fill=\"black\"/>\n",
                     num(x_of(e.coverage) - 4), num(y - 4));
    s += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", num(right + 12), num(y + 4),
                     interval ? fmt::format("{} [{}, {}]", format_fixed(e.coverage, 3),
                                            format_fixed(e.coverage_low, 3), format_fixed(e.coverage_high, 3))
                              : format_fixed(e.coverage, 3));
  }
  return s + "</svg>\n";
}

namespace {

// The level the intervals of one dataset's cells aim at: 0.95 for the
// estimators' confidence intervals (`covered`, Wilson summaries); for an
// interval task, the one level L with |coverage - L| = coverage_gap in every
// ok cell (NaN when the cells do not pin it down).
double nominal_level(const std::vector<EstimationSummary>& summaries, const std::vector<CellRecord>& cells,
                     const std::string& dataset) {
  const bool interval_task = std::any_of(summaries.begin(), summaries.end(),
                                         [&](const auto& s) { return s.coverage_method == "t"; });
  if (!interval_task) return 0.95;
  std::vector<double> candidates;
  bool first = true;
  for (const auto& c : cells) {
    if (c.dataset_label != dataset || c.status != CellStatus::kOk) continue;
    const double coverage = c.metric("coverage"), gap = c.metric("coverage_gap");
    if (!std::isfinite(coverage) || !std::isfinite(gap)) continue;
    const std::vector<double> here = {coverage - gap, coverage + gap};
    if (first) {
      candidates = here;
      first = false;
    }
    std::erase_if(candidates, [&](double l) {
      return std::none_of(here.begin(), here.end(), [&](double h) { return std::abs(h - l) <= 1e-9; });
    });
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end(),
                               [](double a, double b) { return std::abs(a - b) <= 1e-9; }),
                   candidates.end());
  return candidates.size() == 1 && candidates[0] > 0 && candidates[0] < 1 ? candidates[0] : NAN;
}

// One estimation summary of the cells of one (dataset, method).
EstimationSummary summary_of(const std::vector<CellRecord>& cells, double confidence) {
  return summarize_estimation(cells, confidence).front();
}

AggregateValue bias(const std::vector<CellRecord>& cells, double confidence) {
  const auto s = summary_of(cells, confidence);
  return {s.bias.mean, s.bias.half_width, NAN, NAN, s.n, s.n_failed, s.bias_mc_se};
}
AggregateValue rmse(const std::vector<CellRecord>& cells, double confidence) {
  const auto s = summary_of(cells, confidence);
  return {s.rmse, NAN, NAN, NAN, s.n, s.n_failed, s.rmse_mc_se};
}
AggregateValue mae(const std::vector<CellRecord>& cells, double confidence) {
  const auto s = summary_of(cells, confidence);
  return {s.mae, NAN, NAN, NAN, s.n, s.n_failed, s.mae_mc_se};
}
AggregateValue median_abs_error(const std::vector<CellRecord>& cells, double confidence) {
  const auto s = summary_of(cells, confidence);
  return {s.median_abs_error, NAN, NAN, NAN, s.n, s.n_failed, s.median_abs_error_mc_se};
}
AggregateValue coverage(const std::vector<CellRecord>& cells, double confidence) {
  const auto s = summary_of(cells, confidence);
  return {s.coverage, NAN, s.coverage_low, s.coverage_high, s.n_intervals, s.n_failed, s.coverage_mc_se};
}
AggregateValue mean_ci_width(const std::vector<CellRecord>& cells, double confidence) {
  const auto s = summary_of(cells, confidence);
  return {s.mean_ci_width, NAN, NAN, NAN, s.n_intervals, s.n_failed, s.mean_ci_width_mc_se};
}

// Of the ok cells with both: the estimate's error (the estimate less a
// constant truth: the same variance) and the estimator's own variance
// estimate std_error^2.
struct VarianceEstimates {
  std::vector<double> errors, variances;
  std::size_t n_failed = 0;
};
VarianceEstimates variance_estimates(const std::vector<CellRecord>& cells) {
  VarianceEstimates out;
  for (const auto& c : cells) {
    if (c.status != CellStatus::kOk) {
      ++out.n_failed;
      continue;
    }
    const double error = c.metric("error"), se = c.metric("std_error");
    if (!std::isfinite(error) || !std::isfinite(se)) continue;
    out.errors.push_back(error);
    out.variances.push_back(se * se);
  }
  return out;
}
AggregateValue variance_ratio(const std::vector<CellRecord>& cells, double) {
  const auto e = variance_estimates(cells);
  const auto r = mc::variance_ratio(e.errors, e.variances);
  return {r.value, NAN, NAN, NAN, e.errors.size(), e.n_failed, r.mc_se};
}
AggregateValue variance_cv(const std::vector<CellRecord>& cells, double) {
  const auto e = variance_estimates(cells);
  const auto r = mc::coefficient_of_variation(e.variances);
  return {r.value, NAN, NAN, NAN, e.variances.size(), e.n_failed, r.mc_se};
}

class EstimationView : public SuiteView {
 public:
  std::vector<Table> summary(const std::vector<CellRecord>& cells,
                             const SummaryOptions& options) const override {
    return {estimation_table(summarize_estimation(cells, options.confidence), options.digits)};
  }

  std::vector<NamedAggregate> aggregates() const override {
    // Each with its Monte Carlo standard error (summary.h, namespace mc).
    return {{"bias", "mean(estimate - truth) with its t interval", bias},
            {"rmse", "sqrt(mean sq_error)", rmse},
            {"mae", "mean abs_error", mae},
            {"coverage", "interval coverage with its Wilson (or t) interval", coverage},
            {"mean_ci_width", "mean interval width", mean_ci_width},
            {"median_abs_error", "median abs_error (Kang & Schafer's MAE)", median_abs_error},
            {"variance_ratio", "mean(std_error^2) / var(estimate): Boos & Stefanski's V-hat / V", variance_ratio},
            {"variance_cv", "sd(std_error^2) / mean(std_error^2): the variance estimator's CV", variance_cv}};
  }

  // The simulation summary and one coverage plot per dataset.
  std::string html_section(const std::vector<CellRecord>& cells,
                           const SummaryOptions& options) const override {
    std::string out;
    const auto summaries = summarize_estimation(cells, options.confidence);
    bool any_error = false, any_coverage = false;
    for (const auto& s : summaries) {
      any_error = any_error || s.n > 0;
      any_coverage = any_coverage || std::isfinite(s.coverage);
    }
    if (any_error) out += "<h3>Estimation summary</h3>\n" + render_html_table(estimation_table(summaries));
    if (any_coverage) {
      out += "<h3>Interval coverage</h3>\n";
      std::map<std::string, std::vector<EstimationSummary>> by_dataset;
      for (const auto& s : summaries) {
        if (std::isfinite(s.coverage)) by_dataset[s.dataset_label].push_back(s);
      }
      for (const auto& [dataset, list] : by_dataset) {
        const double nominal = nominal_level(list, cells, dataset);
        const std::string level = std::isfinite(nominal) ? fmt::format("nominal {:g}", nominal) : "nominal level unknown";
        out += render_coverage_plot_svg(dataset + ": coverage (" + level + ")", list, nominal);
      }
    }
    return out;
  }
};

}  // namespace

SB_REGISTER_SUITE_VIEW(EstimationView, "estimation");

}  // namespace sb
