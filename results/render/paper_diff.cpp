// `reproduce`'s evidence: published vs reproduced values of a paper spec,
// with Monte Carlo errors, the difference in units of the combined error,
// the tolerance used and the verdict (docs/PAPERS.md, "Evidence").
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "results/render/paper_table.h"

namespace sb {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Two-sided 95% normal quantile: the reproduced value's interval.
constexpr double kZ95 = 1.959963984540054;

const char* status_text(DiffStatus status) {
  switch (status) {
    case DiffStatus::kWithin: return "ok";
    case DiffStatus::kOutside: return "OUTSIDE";
    case DiffStatus::kMissing: return "MISSING";
    case DiffStatus::kNoMcError: return "NO MC SE";
  }
  return "?";
}

std::string rule_text(const PublishedValue& p) {
  if (!p.mc_tolerance) return "fixed";
  return p.replications > 0 ? fmt::format("{:g} SE, R={}", p.tolerance_z, p.replications)
                            : fmt::format("{:g} SE, exact", p.tolerance_z);
}

}  // namespace

ToleranceCheck check_tolerance(const PublishedValue& p, double reproduced, double mc_se, std::size_t n) {
  ToleranceCheck c;
  c.difference = reproduced - p.value;
  c.se_ours = mc_se;
  // Under the null that we reproduce the published design, its estimate has
  // our sampling distribution with R instead of n replications.
  c.se_published = p.replications > 0
                       ? mc_se * std::sqrt(static_cast<double>(n) / static_cast<double>(p.replications))
                       : 0.0;
  c.se_combined = std::sqrt(c.se_ours * c.se_ours + c.se_published * c.se_published);
  c.z_score = c.se_combined > 0 ? c.difference / c.se_combined : kNaN;
  c.tolerance = p.mc_tolerance ? p.tolerance_z * c.se_combined : p.tolerance;
  if (std::isnan(reproduced)) {
    c.status = DiffStatus::kMissing;
  } else if (std::isnan(c.tolerance)) {
    c.status = DiffStatus::kNoMcError;
  } else {
    c.status = std::abs(c.difference) <= c.tolerance ? DiffStatus::kWithin : DiffStatus::kOutside;
  }
  return c;
}

PaperDiff diff_paper(const PaperSpec& spec, const std::vector<CellRecord>& records) {
  PaperDiff diff;
  diff.title = spec.title;
  const PaperValues values(spec, records);
  for (const auto& p : spec.published) {
    PaperDiffEntry e;
    e.published = p;
    for (const auto& r : spec.rows) {
      if (r.method == p.method) e.method_display = r.display;
    }
    // Parsed specs always have the column; a hand-built one may not.
    const PaperColumn* column = published_column(spec, p);
    if (column != nullptr) e.dataset_display = column->display;
    const PaperValue v = values.get(p.method, p.dataset, column ? column->metric : "");
    e.reproduced = v.value;
    e.n = v.n;
    e.check = check_tolerance(p, v.value, v.mc_se, v.n);
    switch (e.check.status) {
      case DiffStatus::kWithin: ++diff.n_within; break;
      case DiffStatus::kOutside: ++diff.n_outside; break;
      case DiffStatus::kMissing: ++diff.n_missing; break;
      case DiffStatus::kNoMcError: ++diff.n_no_mc_error; break;
    }
    diff.entries.push_back(e);
  }
  return diff;
}

std::string paper_diff_summary(const PaperDiff& diff) {
  std::string s = fmt::format("{} of {} published values within tolerance ({} outside, {} missing", diff.n_within,
                              diff.entries.size(), diff.n_outside, diff.n_missing);
  if (diff.n_no_mc_error > 0) s += fmt::format(", {} without a Monte Carlo error", diff.n_no_mc_error);
  return s + ")";
}

Table paper_diff_table(const PaperDiff& diff, int digits) {
  Table t;
  t.title = diff.title + ": published vs reproduced";
  t.digits = digits;
  t.columns = {{"method"},    {"dataset"},   {"published"}, {"reproduced [95% CI]"}, {"difference"},
               {"diff / SE"}, {"tolerance"}, {"rule"},      {"n"},                   {"status"}};
  bool any_mc_se = false;
  for (const auto& e : diff.entries) {
    const ToleranceCheck& c = e.check;
    const bool interval = std::isfinite(c.se_ours) && !std::isnan(e.reproduced);
    any_mc_se = any_mc_se || interval;
    t.rows.push_back({TableCell::label(e.method_display), TableCell::label(e.dataset_display),
                      TableCell::number(e.published.value),
                      interval ? TableCell::interval(e.reproduced, e.reproduced - kZ95 * c.se_ours,
                                                     e.reproduced + kZ95 * c.se_ours)
                               : TableCell::number(e.reproduced),
                      TableCell::number(c.difference), TableCell::number(c.z_score, kNaN, Mark::kNone, 2),
                      TableCell::number(c.tolerance), TableCell::label(rule_text(e.published)),
                      TableCell::count(e.n), TableCell::label(status_text(c.status))});
  }
  if (any_mc_se) {
    t.notes.push_back("95% CI: reproduced ± 1.96 Monte Carlo SE over its n replications; diff / SE: the "
                      "difference over sqrt(se_ours^2 + se_pub^2), se_pub = se_ours * sqrt(n / R) for a "
                      "published study of R replications, 0 for an exact (closed-form) value");
  }
  t.notes.push_back("tolerance: fixed, or z SE = z * sqrt(se_ours^2 + se_pub^2) for tolerance = \"mc\"");
  std::vector<std::string> sources;  // distinct, in the spec's order
  for (const auto& e : diff.entries)
    if (!e.published.source.empty() &&
        std::find(sources.begin(), sources.end(), e.published.source) == sources.end())
      sources.push_back(e.published.source);
  for (const auto& s : sources) t.notes.push_back(fmt::format("published: {}", s));
  t.notes.push_back(paper_diff_summary(diff));
  return t;
}

}  // namespace sb
