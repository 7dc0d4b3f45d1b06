#include "results/render/html_report.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/results/fixtures.h"

namespace sb {
namespace {

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + 1)) ++n;
  return n;
}

TEST(HtmlReport, CdDiagramPlacesMethodsAndCliques) {
  const auto board = build_leaderboard(testing::toy_records(), testing::toy_infos());
  const std::string svg = render_cd_diagram_svg(board);
  // All three mean ranks are within CD = 1.914 of each other: one clique bar.
  EXPECT_EQ(count(svg, "stroke-width=\"3\""), 1u);
  EXPECT_NE(svg.find("B[k=2] (1.83)"), std::string::npos);
  EXPECT_NE(svg.find("CD = 1.914"), std::string::npos);
  Leaderboard none;
  EXPECT_EQ(render_cd_diagram_svg(none), "");
}

TEST(HtmlReport, BoxPlotDrawsOutliersBeyondWhiskers) {
  // Quartiles of 1..8 and 100 (type 7): q1 = 3, q3 = 7, IQR 4 -> 100 is an outlier.
  const std::string svg = render_box_plot_svg("t", {"m"}, {{1, 2, 3, 4, 5, 6, 7, 8, 100}});
  EXPECT_EQ(count(svg, "<circle"), 1u);
  EXPECT_EQ(count(svg, "<rect"), 1u);
}

TEST(HtmlReport, LongFigureLabelsAreShortenedWithTheFullLabelAsTooltip) {
  const std::string label = std::string(100, 'a') + "[k=" + std::string(95, 'b') + "]";
  const std::string svg = render_box_plot_svg("t", {label}, {{1, 2, 3}});
  EXPECT_NE(svg.find("<title>" + label + "</title>"), std::string::npos);
  EXPECT_EQ(count(svg, label), 1u);  // only in the tooltip
  EXPECT_NE(svg.find(shorten_label(label, 60)), std::string::npos);
  EXPECT_EQ(shorten_label(label, 60).find(std::string(30, 'a') + "…"), 0u);
  EXPECT_EQ(shorten_label("short", 60), "short");
}

TEST(HtmlReport, TablesCarrySortKeysAndThePageItsScript) {
  Table t;
  t.columns = {{"m"}, {"v"}};
  t.rows = {{TableCell::label("x"), TableCell::number(0.25)}, {TableCell::label("y"), TableCell::number(NAN)}};
  const std::string html = render_html_table(t);
  EXPECT_NE(html.find("<table class=\"sb\">"), std::string::npos);
  EXPECT_NE(html.find("data-v=\"0.25\""), std::string::npos);
  EXPECT_NE(html.find("data-v=\"\""), std::string::npos);  // n/a sorts last
  const std::string page = render_html_report({}, testing::toy_records(), {{"toy", testing::toy_infos()}});
  EXPECT_NE(page.find("<a href=\"#suite-toy\" data-runs=\"all\">toy</a>"), std::string::npos);
  EXPECT_NE(page.find("<section class=\"page\" id=\"suite-toy\">"), std::string::npos);
  EXPECT_NE(page.find("data-clip-check"), std::string::npos);
  EXPECT_EQ(page.find("http"), std::string::npos);
}

}  // namespace
}  // namespace sb

namespace sb {
namespace {

// The machine of each run (runs.environment), folded under its run; a run
// recorded without one (schema < 3) gets no section.
TEST(HtmlReport, ShowsTheMachineOfEachRun) {
  RunInfo with, without;
  with.run_id = 1;
  with.environment = {{"mpi_library", "Open MPI v4.1.4"}, {"ranks_per_host", "node<1>=2"}};
  without.run_id = 2;
  const std::string html = render_html_report({with, without}, {}, {});
  EXPECT_NE(html.find("<summary>Machine of run 1</summary>"), std::string::npos);
  EXPECT_EQ(html.find("Machine of run 2"), std::string::npos);
  EXPECT_NE(html.find("Open MPI v4.1.4"), std::string::npos);
  EXPECT_NE(html.find("node&lt;1&gt;=2"), std::string::npos);  // escaped
  EXPECT_LT(html.find("mpi_library"), html.find("ranks_per_host"));  // recorded order
}

}  // namespace
}  // namespace sb

namespace sb {
namespace {

// Two runs: run 1 computed seeds 0 and 1 of the toy suite, run 2 seed 2 and
// the failed cell, and a second suite ("other") only run 2 touched.
std::vector<CellRecord> two_run_records() {
  auto records = testing::toy_records();
  for (auto& r : records) r.run_id = r.seed < 2 ? 1 : 2;
  for (int s = 0; s < 3; ++s) {
    auto c = testing::make_cell("other", "d1[n=10]", "A", s, {{"acc", 0.5 + 0.1 * s}});
    c.run_id = 2;
    records.push_back(c);
  }
  return records;
}

std::vector<RunInfo> two_runs() {
  RunInfo a, b;
  a.run_id = 1;
  a.config_path = "configs/toy.toml";
  b.run_id = 2;
  b.config_path = "/abs/other.toml";
  return {a, b};
}

const std::map<std::string, std::vector<MetricInfo>> kInfos = {{"toy", testing::toy_infos()},
                                                              {"other", testing::toy_infos()}};

// The block of `page` (a section id) whose data-runs is exactly `runs`.
std::string variant(const std::string& html, const std::string& page, const std::string& runs) {
  const auto begin = html.find("<section class=\"page\" id=\"" + page + "\">");
  const auto end = html.find("</section>", begin);
  const std::string open = "<div class=\"variant\" data-runs=\"" + runs + "\"";
  const auto at = html.find(open, begin);
  if (begin == std::string::npos || at == std::string::npos || at > end) return "";
  return html.substr(at, html.find("</div>\n<", at) - at);
}

// The report's skeleton: tabs, selector options, pages and variant blocks,
// one line each, in order (tests/results/render/golden/report_skeleton.txt).
std::string skeleton(const std::string& html) {
  std::string out;
  std::istringstream in(html);
  for (std::string line; std::getline(in, line);) {
    for (const char* prefix : {"<nav", "<a href=", "<p class=\"run-select\"", "<option", "<p class=\"note\"",
                               "<section", "<div class=\"variant\"", "<p>Run "}) {
      if (line.rfind(prefix, 0) == 0) out += line + "\n";
    }
  }
  return out;
}

TEST(HtmlReportPages, OneTabAndOnePagePerSuiteAndARunSelector) {
  const std::string html = render_html_report(two_runs(), two_run_records(), kInfos);
  const std::string path = std::string(SB_SOURCE_DIR) + "/tests/results/render/golden/report_skeleton.txt";
  if (std::getenv("SB_UPDATE_GOLDEN") != nullptr) std::ofstream(path, std::ios::binary) << skeleton(html);
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in.good()) << "missing golden file " << path;
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(skeleton(html), expected.str()) << "differs from " << path;

  // Tabs: Overview, Runs, then the suites in name order; "other" has cells in run 2 only.
  EXPECT_LT(html.find("<a href=\"#overview\">"), html.find("<a href=\"#runs\">"));
  EXPECT_LT(html.find("<a href=\"#runs\">"), html.find("<a href=\"#suite-other\" data-runs=\"all 2\">"));
  EXPECT_LT(html.find("#suite-other"), html.find("<a href=\"#suite-toy\" data-runs=\"all 2 1\">"));
  EXPECT_EQ(count(html, "<section class=\"page\""), 4u);
  // Selector: all runs, then the most recent run first, with its config file and cells.
  EXPECT_NE(html.find("<option value=\"all\">all runs (31 cells)</option>"), std::string::npos);
  EXPECT_NE(html.find("<option value=\"2\">run 2, other.toml (13 cells)</option>"), std::string::npos);
  EXPECT_NE(html.find("<option value=\"1\">run 1, toy.toml (18 cells)</option>"), std::string::npos);
  EXPECT_LT(html.find("<option value=\"2\">"), html.find("<option value=\"1\">"));
  // Only the blocks that serve "all" are shown without the script.
  EXPECT_EQ(count(html, "<div class=\"variant\""), count(html, " hidden>\n") + 4);
}

TEST(HtmlReportPages, EachRunsVariantIsAggregatedFromThatRunsCellsAlone) {
  const std::string html = render_html_report(two_runs(), two_run_records(), kInfos);
  // toy differs in each selection: three blocks. A on d1: acc 0.85, 0.90,
  // 0.95 for seeds 0..2 -> mean 0.900 (all), 0.875 (run 1: seeds 0, 1),
  // 0.950 (run 2: seed 2).
  const std::string all = variant(html, "suite-toy", "all"), run1 = variant(html, "suite-toy", "1"),
                    run2 = variant(html, "suite-toy", "2");
  ASSERT_FALSE(all.empty());
  ASSERT_FALSE(run1.empty());
  ASSERT_FALSE(run2.empty());
  EXPECT_NE(all.find("data-v=\"0.9\""), std::string::npos);
  EXPECT_EQ(all.find("data-v=\"0.875\""), std::string::npos);
  EXPECT_NE(run1.find("data-v=\"0.875\""), std::string::npos);
  EXPECT_NE(run2.find("data-v=\"0.95"), std::string::npos);  // 0.9 + 0.05 in floating point
  EXPECT_NE(variant(html, "suite-toy", "1").find(" hidden>"), std::string::npos);
  // "other" is the same for all runs and run 2 (one block), absent from run 1.
  EXPECT_FALSE(variant(html, "suite-other", "all 2").empty());
  EXPECT_NE(variant(html, "suite-other", "1").find("Run 1 recorded no cells of this suite."), std::string::npos);
  // Overview per selection: cells counted from that run only.
  EXPECT_NE(variant(html, "overview", "1").find("<td>toy</td><td class=\"num\" data-v=\"18\">"), std::string::npos);
  EXPECT_EQ(variant(html, "overview", "1").find("<td>other</td>"), std::string::npos);
  EXPECT_NE(variant(html, "overview", "2").find("<td>other</td><td class=\"num\" data-v=\"3\">"), std::string::npos);
  // Runs page: the selected run's provenance only.
  EXPECT_EQ(count(variant(html, "runs", "1"), "<tr>"), 2u);
  EXPECT_EQ(count(variant(html, "runs", "all"), "<tr>"), 3u);
}

TEST(HtmlReportPages, OneRunMeansNoSelectorAndOneBlockPerPage) {
  auto records = two_run_records();
  for (auto& r : records) r.run_id = 1;
  const std::string html = render_html_report(two_runs(), records, kInfos);
  EXPECT_EQ(html.find("<select"), std::string::npos);
  EXPECT_EQ(count(html, "<div class=\"variant\" data-runs=\"all\">"), 4u);
  EXPECT_EQ(count(html, "<div class=\"variant\""), 4u);
}

TEST(HtmlReportPages, RunVariantsAreCappedWithANote) {
  HtmlReportOptions options;
  options.max_run_variants = 1;
  const std::string html = render_html_report(two_runs(), two_run_records(), kInfos, {}, options);
  EXPECT_NE(html.find("<option value=\"2\">"), std::string::npos);
  EXPECT_EQ(html.find("<option value=\"1\">"), std::string::npos);
  EXPECT_NE(html.find("1 older run is only in \"all runs\""), std::string::npos);
  EXPECT_TRUE(variant(html, "suite-toy", "1").empty());
}

}  // namespace
}  // namespace sb
