// Self-contained HTML report: run provenance, per suite its view's section,
// a leaderboard, a Demšar critical-difference diagram and box plots over
// seeds as inline SVG; a small inline script (results/render/html_script.h)
// switches pages and runs, sorts and filters tables, fits figures to their
// labels and checks that no text is clipped. No network access.
// (Lives in results/render/ until results/CMakeLists.txt globs report/.)
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "harness/core/cell_output.h"
#include "results/aggregate/leaderboard.h"
#include "results/records.h"
#include "results/render/table.h"

namespace sb {

struct HtmlReportOptions {
  // Per-run variants of the pages for at most this many runs (the most
  // recent that hold cells); the older ones get a note (`report --run ID`).
  std::size_t max_run_variants = 8;
};

// One file, one page per tab: Overview, Runs, then one page per suite found
// in `records` (the suite view's section, then the generic leaderboard, CD
// diagram and box plots). When several runs hold cells, every page is also
// rendered for each run's cells alone (aggregates recomputed here, none in
// the script) and a run selector shows one variant; pages whose content is
// the same for several subsets are written once (results/render/html_pages.cpp).
// `metrics_by_suite[suite]` are the suite's declared metrics (directions);
// a suite missing from the map is shown with unknown directions.
// `references` (the refs table, outputs not needed): their cost per suite and
// name, shown apart from the methods' (no section when empty).
std::string render_html_report(const std::vector<RunInfo>& runs,
                               const std::vector<CellRecord>& records,
                               const std::map<std::string, std::vector<MetricInfo>>& metrics_by_suite,
                               const std::vector<ReferenceRecord>& references = {},
                               const HtmlReportOptions& options = {});

// Pieces, usable on their own.
std::string html_escape(const std::string& s);
std::string render_html_table(const Table& table);
// Demšar-style diagram: rank axis, methods at their mean ranks, the CD bar,
// and thick bars joining methods whose mean ranks differ by less than CD.
// Empty string when the board has no Friedman result.
std::string render_cd_diagram_svg(const Leaderboard& board);
// Box plot (Tukey: quartiles, whiskers to the furthest point within 1.5 IQR,
// points beyond drawn) of one metric per method over seeds, on one dataset.
std::string render_box_plot_svg(const std::string& title,
                                const std::vector<std::string>& methods,
                                const std::vector<std::vector<double>>& values);

}  // namespace sb
