#include "results/render/html_report.h"

#include <gtest/gtest.h>

#include <cmath>
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
  EXPECT_NE(page.find("<a href=\"#suite-toy\">"), std::string::npos);
  EXPECT_NE(page.find("<h2 id=\"suite-toy\">"), std::string::npos);
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
