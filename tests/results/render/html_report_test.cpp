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
