// The estimation suite's results view (benchmarks/estimation/view.cpp,
// summary.cpp): its summaries by hand, its table against the golden file
// and its section of the HTML report.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "benchmarks/estimation/summary.h"
#include "results/render/html_report.h"
#include "results/render/table.h"
#include "results/view/suite_view.h"
#include "tests/results/fixtures.h"

namespace sb {
namespace {

using testing::make_cell;

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + 1)) ++n;
  return n;
}

// The suite's golden files (tests/benchmarks/estimation/golden/).
void expect_golden(const std::string& name, const std::string& actual) {
  const std::string path = std::string(SB_SOURCE_DIR) + "/tests/benchmarks/estimation/golden/" + name;
  if (std::getenv("SB_UPDATE_GOLDEN") != nullptr) std::ofstream(path, std::ios::binary) << actual;
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in.good()) << "missing golden file " << path;
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(actual, expected.str()) << "renderer output differs from " << path;
}

TEST(Estimation, BiasRmseMaeCoverageByHand) {
  // Truth 1; estimates 0.8, 1.1, 1.3, 0.9 -> errors -0.2, 0.1, 0.3, -0.1.
  // bias 0.025; RMSE sqrt((0.04+0.01+0.09+0.01)/4) = sqrt(0.0375); MAE 0.175.
  // Covered 1, 1, 0, 1 -> 3/4 with a Wilson interval.
  std::vector<CellRecord> records;
  const double est[] = {0.8, 1.1, 1.3, 0.9};
  const double cov[] = {1, 1, 0, 1};
  for (int s = 0; s < 4; ++s) {
    const double e = est[s] - 1.0;
    records.push_back(make_cell("estimation", "ks[n=200]", "ols", s,
                                {{"estimate", est[s]}, {"truth", 1.0}, {"error", e},
                                 {"abs_error", std::abs(e)}, {"sq_error", e * e},
                                 {"ci_width", 0.4 + 0.1 * s}, {"covered", cov[s]}}));
  }
  records.push_back(make_cell("estimation", "ks[n=200]", "ols", 4, {}, "crashed"));
  const auto sums = summarize_estimation(records);
  ASSERT_EQ(sums.size(), 1u);
  const auto& s = sums[0];
  EXPECT_EQ(s.n, 4u);
  EXPECT_EQ(s.n_failed, 1u);
  EXPECT_EQ(s.failed_by_status.at("crashed"), 1u);
  EXPECT_NEAR(s.bias.mean, 0.025, 1e-12);
  EXPECT_NEAR(s.bias.sd, std::sqrt((0.225 * 0.225 + 0.075 * 0.075 + 0.275 * 0.275 + 0.125 * 0.125) / 3), 1e-12);
  EXPECT_NEAR(s.rmse, std::sqrt(0.0375), 1e-12);
  EXPECT_NEAR(s.mae, 0.175, 1e-12);
  EXPECT_NEAR(s.truth, 1.0, 1e-15);
  EXPECT_EQ(s.coverage_method, "wilson");
  EXPECT_DOUBLE_EQ(s.coverage, 0.75);
  const auto w = stats::wilson_ci(3, 4);
  EXPECT_DOUBLE_EQ(s.coverage_low, w.low);
  EXPECT_DOUBLE_EQ(s.coverage_high, w.high);
  EXPECT_NEAR(s.mean_ci_width, 0.55, 1e-12);
  EXPECT_NEAR(s.mean_wall_seconds, (1 + 2 + 3 + 4) / 4.0, 1e-12);  // ok cells only
  EXPECT_NEAR(s.mean_method_seconds, 0.5, 1e-12);
}

TEST(Estimation, IntervalTaskCoverageUsesTInterval) {
  std::vector<CellRecord> records;
  const double cov[] = {0.9, 0.95, 1.0};
  for (int s = 0; s < 3; ++s) {
    records.push_back(make_cell("estimation", "conformal", "split", s,
                                {{"coverage", cov[s]}, {"mean_width", 2.0 + s}}));
  }
  const auto sums = summarize_estimation(records);
  ASSERT_EQ(sums.size(), 1u);
  EXPECT_EQ(sums[0].coverage_method, "t");
  EXPECT_NEAR(sums[0].coverage, 0.95, 1e-12);
  EXPECT_NEAR(sums[0].coverage_high - 0.95, 4.302652729911275 * 0.05 / std::sqrt(3.0), 1e-10);
  EXPECT_NEAR(sums[0].mean_ci_width, 3.0, 1e-12);
  EXPECT_TRUE(std::isnan(sums[0].rmse));
  EXPECT_EQ(sums[0].n, 0u);
}

TEST(RenderGolden, EstimationTable) {
  std::vector<CellRecord> records;
  for (int s = 0; s < 4; ++s) {
    const double e = 0.1 * (s - 1);
    records.push_back(testing::make_cell("estimation", "ks[n=200]", "ols", s,
                                         {{"error", e}, {"abs_error", std::abs(e)}, {"sq_error", e * e},
                                          {"ci_width", 0.5}, {"covered", s == 3 ? 0.0 : 1.0}}));
    records.push_back(testing::make_cell("estimation", "ks[n=200]", "aipw", s,
                                         {{"error", e / 2}, {"abs_error", std::abs(e / 2)},
                                          {"sq_error", e * e / 4}}));
  }
  records.push_back(testing::make_cell("estimation", "ks[n=200]", "aipw", 9, {}, "timeout"));
  expect_golden("estimation.md", render_markdown(estimation_table(summarize_estimation(records), 3)));
}

std::vector<CellRecord> report_records() {
  auto records = testing::toy_records();
  // An estimation suite: 2 methods on one dataset, 4 replications, intervals.
  for (int s = 0; s < 4; ++s) {
    for (auto [label, e] : {std::pair{"ols<x>", 0.1 * (s - 1)}, std::pair{"aipw", 0.05 * (s - 2)}}) {
      records.push_back(make_cell("estimation", "ks[n=200]", label, s,
                                  {{"error", e}, {"abs_error", std::abs(e)}, {"sq_error", e * e},
                                   {"ci_width", 0.3}, {"covered", s == 0 ? 0.0 : 1.0}}));
    }
  }
  return records;
}

TEST(HtmlReport, SelfContainedWithTablesAndOneSvgPerPlot) {
  RunInfo run;
  run.run_id = 7;
  run.tool_version = "0.1.0";
  run.git_commit = "abc123";
  run.started_at = "2026-11-23T09:00:00Z";
  run.config_text = "suite = \"toy\"\n# <script>";
  run.command_line = "shardbench run toy.toml";
  const std::map<std::string, std::vector<MetricInfo>> infos = {
      {"toy", testing::toy_infos()}, {"estimation", {{"abs_error", false, ""}}}};
  const std::string html = render_html_report({run}, report_records(), infos);

  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("</html>"), std::string::npos);
  EXPECT_EQ(html.find("http"), std::string::npos);  // no network references
  // One script, the report's own (inline); the config text's is escaped.
  EXPECT_EQ(html.find("<script"), html.find("<script>\n(function"));
  EXPECT_EQ(html.find("<script"), html.rfind("<script"));
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(html.find("abc123"), std::string::npos);
  EXPECT_NE(html.find("Suite: toy"), std::string::npos);
  EXPECT_NE(html.find("Suite: estimation"), std::string::npos);
  EXPECT_NE(html.find("ols&lt;x&gt;"), std::string::npos);
  EXPECT_EQ(html.find("ols<x>"), std::string::npos);

  // Plots: toy -> 1 CD diagram + 3 box plots (one per dataset);
  // estimation -> 1 box plot (one dataset, 2 methods, no Friedman: 1 dataset)
  // + 1 coverage plot. 6 in all.
  EXPECT_EQ(count(html, "<svg"), 6u);
  EXPECT_EQ(count(html, "</svg>"), 6u);
  EXPECT_EQ(count(html, "aria-label=\"critical difference diagram\""), 1u);
  EXPECT_EQ(count(html, "aria-label=\"box plot\""), 4u);
  EXPECT_EQ(count(html, "aria-label=\"coverage plot\""), 1u);
  // Tables: overview, runs, toy leaderboard, estimation summary, estimation leaderboard.
  EXPECT_EQ(count(html, "<table class=\"sb\">"), 5u);
  // The suite's own view first, then the generic leaderboard.
  EXPECT_LT(html.find("<h3>Estimation summary</h3>"), html.find("<h3>Leaderboard</h3>", html.find("id=\"suite-estimation\"")));
  EXPECT_EQ(count(html, "<table class=\"sb\">"), count(html, "</table>"));
  EXPECT_EQ(count(html, "<tr>"), count(html, "</tr>"));
  EXPECT_NE(html.find("<strong>"), std::string::npos);  // best marked
  // Deterministic.
  EXPECT_EQ(html, render_html_report({run}, report_records(), infos));
}

// The coverage forest plot: per method a square at its coverage and a
// capped line over its interval, both on the same axis as the dashed
// nominal line; the numbers on the right.
TEST(Estimation, CoveragePlotIsAForestPlot) {
  EstimationSummary a, b, c;
  a.method_label = "a";
  a.coverage = 0.9, a.coverage_low = 0.8, a.coverage_high = 0.95;
  b.method_label = "b";
  b.coverage = 0.5, b.coverage_low = -0.2, b.coverage_high = 1.3;  // a t interval past [0, 1]: clamped
  c.method_label = "c";
  c.coverage = 1.0;  // no interval: the point alone
  c.coverage_low = c.coverage_high = NAN;
  const std::string svg = render_coverage_plot_svg("t", {a, b, c}, 0.95);
  EXPECT_EQ(count(svg, "<rect x=\"5\""), 1u);            // one stripe (row 2)
  EXPECT_EQ(count(svg, "width=\"8\" height=\"8\""), 3u);  // three points
  EXPECT_EQ(count(svg, "<path d="), 2u);                  // two intervals
  // Axis from 0 (b's interval is clamped at 0) to 1 over x in [200, 560].
  auto x = [](double v) { return fmt::format("{:.1f}", 200 + v * 360); };
  EXPECT_NE(svg.find("<path d=\"M" + x(0.8) + ",52.0H" + x(0.95) + "M"), std::string::npos) << svg;
  EXPECT_NE(svg.find("<path d=\"M" + x(0) + ",76.0H" + x(1) + "M"), std::string::npos);
  EXPECT_NE(svg.find("<rect x=\"" + fmt::format("{:.1f}", 200 + 0.9 * 360 - 4) + "\" y=\"48.0\""), std::string::npos);
  EXPECT_NE(svg.find("<line x1=\"" + x(0.95) + "\" y1=\"38.0\" x2=\"" + x(0.95) + "\""), std::string::npos);
  EXPECT_NE(svg.find("stroke-dasharray"), std::string::npos);
  EXPECT_NE(svg.find(">nominal 0.95</text>"), std::string::npos);
  EXPECT_NE(svg.find(">0.900 [0.800, 0.950]</text>"), std::string::npos);
  EXPECT_EQ(render_coverage_plot_svg("t", {a}, NAN).find("nominal"), std::string::npos);  // level unknown
}

// The nominal line of an interval task is the level L with
// |coverage - L| = coverage_gap in every cell: 0.85 and 0.95, both 0.05
// from it, pin down 0.9; cells all at 0.85 do not (0.8 or 0.9).
TEST(Estimation, ReportDrawsTheIntervalTasksOwnNominalLevel) {
  const SuiteView* view = SuiteViewRegistry::instance().find("estimation");
  ASSERT_NE(view, nullptr);
  std::vector<CellRecord> pinned, open;
  for (int s = 0; s < 4; ++s) {
    const double coverage = s % 2 ? 0.95 : 0.85;
    pinned.push_back(make_cell("estimation", "shifted", "split", s,
                               {{"coverage", coverage}, {"coverage_gap", 0.05}, {"mean_width", 1.0}}));
    open.push_back(make_cell("estimation", "shifted", "split", s,
                             {{"coverage", 0.85}, {"coverage_gap", 0.05}, {"mean_width", 1.0}}));
  }
  const std::string html = view->html_section(pinned, SummaryOptions{});
  EXPECT_NE(html.find("shifted: coverage (nominal 0.9)"), std::string::npos);
  EXPECT_NE(html.find(">nominal 0.9</text>"), std::string::npos);
  EXPECT_NE(view->html_section(open, SummaryOptions{}).find("shifted: coverage (nominal level unknown)"),
            std::string::npos);
}

}  // namespace
}  // namespace sb
