// A plain table that every renderer consumes (terminal, Markdown, LaTeX,
// CSV, JSON), and the conversion from leaderboards (suites' own summary
// tables come from their views, results/view/suite_view.h). Renderers are
// pure: Table in, std::string out, deterministic.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "results/aggregate/compare.h"
#include "results/aggregate/leaderboard.h"
#include "results/render/text_width.h"  // shorten_label

namespace sb {

struct TableColumn {
  std::string name;
  MetricDirection direction = MetricDirection::kUnknown;  // shown as an arrow
};

// A label (text) or a number with an optional symmetric (± half width) or
// asymmetric ([low, high]) interval and a best/second mark.
struct TableCell {
  bool numeric = false;
  std::string text;  // labels only
  double value = std::numeric_limits<double>::quiet_NaN();
  double ci_half_width = std::numeric_limits<double>::quiet_NaN();
  double low = std::numeric_limits<double>::quiet_NaN();
  double high = std::numeric_limits<double>::quiet_NaN();
  Mark mark = Mark::kNone;
  int digits = -1;  // -1: the table's digits

  static TableCell label(std::string s);
  static TableCell number(double v, double ci_half_width = std::numeric_limits<double>::quiet_NaN(),
                          Mark mark = Mark::kNone, int digits = -1);
  static TableCell interval(double v, double low, double high, int digits = -1);
  static TableCell count(std::size_t n);
};

struct Table {
  std::string title;
  std::vector<TableColumn> columns;
  std::vector<std::vector<TableCell>> rows;  // each row has columns.size() cells
  int digits = 3;
  std::vector<std::string> notes;  // footnotes (tests, failures, conventions)
  // LaTeX: text between unescaped $ signs in labels, headers and the title
  // is math and passes through ("$\\rho$ = 0.5"); else every $ is escaped.
  bool latex_math = false;
};

enum class TableFormat { kTerminal, kMarkdown, kLatex, kCsv, kJson, kHtml };

// "term"/"terminal"/"text", "md"/"markdown", "latex"/"tex", "csv", "json",
// "html"; anything else throws InputError listing the valid names (and the
// one meant, when close).
TableFormat parse_table_format(const std::string& name);

// Aligned plain text; best in bold and second underlined with ANSI escapes
// only when `ansi` (the CLI passes isatty(stdout)).
std::string render_terminal(const Table& table, bool ansi = false);
// Width in columns of render_terminal's header line (title and notes aside).
std::size_t terminal_table_width(const Table& table);

// Column choices (results/render/fit.cpp). The leading label columns
// (dataset, method, ...: every cell a label) are always kept.
// Drops the numeric columns that are n/a (NaN) in every row.
void drop_empty_columns(Table& table);
// Keeps, after the label columns, the columns whose name matches one of
// `patterns` (exact or a glob, "acc*"), in table order. With require_match,
// a pattern matching no column throws InputError listing the columns.
void select_columns(Table& table, const std::vector<std::string>& patterns, bool require_match = true);
// Drops columns from the right (never the label columns, never the last
// data column) until the table is at most `width` wide, then shortens the
// widest label column's long labels with "…" in the middle (down to 16 characters); a note
// names the columns left out. width 0: no limit.
void fit_to_width(Table& table, std::size_t width);

// GitHub pipe table; best **bold**, second _italic_.
std::string render_markdown(const Table& table);
// booktabs tabular; `$0.912 \pm 0.004$`, best \mathbf, second \underline.
std::string render_latex(const Table& table);
// RFC 4180 (CRLF, quoted when needed); full-precision numbers, one extra
// column "<name> ci" / "<name> low"/"<name> high" where intervals exist.
std::string render_csv(const Table& table);
// {"title","digits","columns","rows","notes"}; full-precision numbers.
std::string render_json(const Table& table);
std::string render_table(const Table& table, TableFormat format, bool ansi = false);

// Fixed-point text with `digits` decimals; "n/a" for NaN.
std::string format_fixed(double v, int digits);
// Helpers shared by the renderers. Plain cell text: the label, or
// "0.912 ± 0.004", "0.950 [0.903, 0.981]", "n/a".
int cell_digits(const TableCell& cell, int table_digits);
std::string plain_cell_text(const TableCell& cell, int table_digits);
// Column header with its direction arrow ("score ↑", "loss ↓").
std::string plain_header(const TableColumn& column);

// Columns: dataset, method, one per metric (mean ± CI), ok seeds, failed
// cells, rank on the rank metric. Notes: convention, failures, mean ranks,
// Friedman / Iman-Davenport / Nemenyi.
Table leaderboard_table(const Leaderboard& board, int digits = 3);

// The Friedman / Iman-Davenport test, Nemenyi's critical difference and the
// Bonferroni-Dunn test against the control (or why there is none), as notes.
void add_rank_test_notes(const Leaderboard& board, Table& t);

// One table per suite of a comparison: dataset, method, (metric when
// several), A, B, B - A, change %, pairs, Wilcoxon p, paired-t p, verdict.
// `a_name` / `b_name` say what the sides are ("run 3", "old.sqlite").
std::vector<Table> comparison_tables(const Comparison& comparison, const std::string& a_name,
                                     const std::string& b_name, int digits = 3);

}  // namespace sb
