#include "results/render/table.h"

#include "results/render/html_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <cmath>
#include <cstdint>
#include <utility>

#include "harness/core/errors.h"
#include "harness/core/suggest.h"

namespace sb {

TableCell TableCell::label(std::string s) {
  TableCell c;
  c.text = std::move(s);
  return c;
}

TableCell TableCell::number(double v, double ci_half_width, Mark mark, int digits) {
  TableCell c;
  c.numeric = true;
  c.value = v;
  c.ci_half_width = ci_half_width;
  c.mark = mark;
  c.digits = digits;
  return c;
}

TableCell TableCell::interval(double v, double low, double high, int digits) {
  TableCell c = number(v, std::numeric_limits<double>::quiet_NaN(), Mark::kNone, digits);
  c.low = low;
  c.high = high;
  return c;
}

TableCell TableCell::count(std::size_t n) {
  return number(static_cast<double>(n), std::numeric_limits<double>::quiet_NaN(), Mark::kNone, 0);
}

TableFormat parse_table_format(const std::string& name) {
  if (name == "term" || name == "terminal" || name == "text") return TableFormat::kTerminal;
  if (name == "md" || name == "markdown") return TableFormat::kMarkdown;
  if (name == "latex" || name == "tex") return TableFormat::kLatex;
  if (name == "csv") return TableFormat::kCsv;
  if (name == "json") return TableFormat::kJson;
  if (name == "html") return TableFormat::kHtml;
  throw InputError("unknown table format '{}'{} (valid: term, md, latex, csv, json, html)", name,
                   did_you_mean(name, {"term", "terminal", "md", "markdown", "latex", "tex", "csv", "json", "html"}));
}

std::string render_table(const Table& table, TableFormat format, bool ansi) {
  switch (format) {
    case TableFormat::kTerminal: return render_terminal(table, ansi);
    case TableFormat::kMarkdown: return render_markdown(table);
    case TableFormat::kLatex: return render_latex(table);
    case TableFormat::kCsv: return render_csv(table);
    case TableFormat::kJson: return render_json(table);
    case TableFormat::kHtml: return render_html_table(table);
  }
  throw InternalError("unhandled table format {}", static_cast<int>(format));
}

std::string format_fixed(double v, int digits) {
  if (std::isnan(v)) return "n/a";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  std::string s = fmt::format("{:.{}f}", v, std::max(digits, 0));
  // "-0.000" reads as a sign that is not there.
  if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

int cell_digits(const TableCell& cell, int table_digits) {
  return cell.digits >= 0 ? cell.digits : table_digits;
}

std::string plain_cell_text(const TableCell& cell, int table_digits) {
  if (!cell.numeric) return cell.text;
  const int d = cell_digits(cell, table_digits);
  std::string s = format_fixed(cell.value, d);
  if (std::isnan(cell.value)) return s;
  if (std::isfinite(cell.ci_half_width)) s += " ± " + format_fixed(cell.ci_half_width, d);
  if (!std::isnan(cell.low) && !std::isnan(cell.high)) {
    s += fmt::format(" [{}, {}]", format_fixed(cell.low, d), format_fixed(cell.high, d));
  }
  return s;
}

std::string plain_header(const TableColumn& column) {
  switch (column.direction) {
    case MetricDirection::kHigherIsBetter: return column.name + " ↑";
    case MetricDirection::kLowerIsBetter: return column.name + " ↓";
    case MetricDirection::kUnknown: break;
  }
  return column.name;
}

namespace {

std::string failures_text(const std::map<std::string, std::size_t>& by_status) {
  std::string s;
  for (const auto& [status, n] : by_status) s += fmt::format("{}{}: {}", s.empty() ? "" : ", ", status, n);
  return s;
}

}  // namespace

void add_rank_test_notes(const Leaderboard& board, Table& t) {
  // Mean ranks over different sets of datasets (a database holding studies of
  // different tasks, unfiltered) do not compare: say so.
  std::size_t fewest = SIZE_MAX, most = 0;
  for (const auto& r : board.mean_ranks) fewest = std::min(fewest, r.n_datasets), most = std::max(most, r.n_datasets);
  if (!board.mean_ranks.empty() && fewest != most) {
    t.notes.push_back(fmt::format("methods were ranked over different datasets ({} to {}): their mean ranks do not "
                                  "compare; --dataset, --config or --run select one study",
                                  fewest, most));
  }
  if (board.friedman) {
    const auto& f = *board.friedman;
    t.notes.push_back(fmt::format(
        "Friedman chi2({}) = {}, p = {}; Iman-Davenport F({}, {}) = {}, p = {}; "
        "Nemenyi CD (alpha {}, k = {}, N = {}) = {}",
        f.k - 1, format_fixed(f.chi_square, 3), format_fixed(f.chi_square_p, 4), f.k - 1,
        (f.k - 1) * (f.n_blocks - 1), format_fixed(f.iman_davenport_f, 3),
        format_fixed(f.iman_davenport_p, 4), format_fixed(board.cd_alpha, 2), f.k, f.n_blocks,
        format_fixed(board.critical_difference, 3)));
    if (std::isfinite(board.control_critical_difference)) {
      double control_rank = 0;
      for (std::size_t j = 0; j < board.friedman_methods.size(); ++j)
        if (board.friedman_methods[j] == board.cd_control) control_rank = f.mean_ranks[j];
      std::string differ;
      for (std::size_t j = 0; j < board.friedman_methods.size(); ++j) {
        const double gap = f.mean_ranks[j] - control_rank;
        if (board.friedman_methods[j] != board.cd_control && std::abs(gap) > board.control_critical_difference)
          differ += fmt::format("{}{} ({}{})", differ.empty() ? "" : ", ", board.friedman_methods[j],
                                gap > 0 ? "+" : "", format_fixed(gap, 2));
      }
      t.notes.push_back(fmt::format("Bonferroni-Dunn CD against {} (alpha {}) = {}; differ from it: {}",
                                    board.cd_control, format_fixed(board.cd_alpha, 2),
                                    format_fixed(board.control_critical_difference, 3),
                                    differ.empty() ? "none" : differ));
    }
  }
  if (!board.friedman_note.empty()) t.notes.push_back(board.friedman_note);
}

Table leaderboard_table(const Leaderboard& board, int digits) {
  Table t;
  t.digits = digits;
  t.title = fmt::format("Leaderboard: {}", board.suite);
  t.columns.push_back({"dataset"});
  t.columns.push_back({"method"});
  for (std::size_t m = 0; m < board.metrics.size(); ++m) {
    t.columns.push_back({board.metrics[m], board.directions[m]});
  }
  t.columns.push_back({"seeds"});
  t.columns.push_back({"failed"});
  // Shown only when a suite that allows non-finite metrics produced some, so
  // they are counted in plain sight rather than silently left out of means.
  auto nonfinite_of = [](const LeaderboardRow& row) {
    std::size_t n = 0;
    for (const auto& s : row.metrics) n += s.n_nonfinite;
    return n;
  };
  std::size_t nonfinite_total = 0;
  for (const auto& row : board.rows) nonfinite_total += nonfinite_of(row);
  if (nonfinite_total > 0) t.columns.push_back({"non-finite"});
  const bool ranked = !board.rank_metric.empty();
  if (ranked) t.columns.push_back({"rank"});
  std::map<std::string, std::size_t> failed_total;
  for (const auto& row : board.rows) {
    std::vector<TableCell> cells;
    cells.push_back(TableCell::label(row.dataset_label));
    cells.push_back(TableCell::label(row.method_label));
    for (std::size_t m = 0; m < board.metrics.size(); ++m) {
      const auto& s = row.metrics[m];
      cells.push_back(TableCell::number(s.mean, s.ci_half_width, row.marks[m]));
    }
    cells.push_back(TableCell::count(row.n_ok));
    cells.push_back(TableCell::count(row.n_failed));
    if (nonfinite_total > 0) cells.push_back(TableCell::count(nonfinite_of(row)));
    if (ranked) cells.push_back(TableCell::number(row.rank, std::nan(""), Mark::kNone, 1));
    t.rows.push_back(std::move(cells));
    for (const auto& [status, n] : row.failed_by_status) failed_total[status] += n;
  }
  t.notes.push_back(fmt::format(
      "mean ± {:g}% Student-t CI half-width over seeds; best per dataset in bold, second underlined",
      board.confidence * 100));
  if (board.n_failed > 0) {
    t.notes.push_back(fmt::format("failed cells (not in the means): {} ({})", board.n_failed,
                                  failures_text(failed_total)));
  }
  if (nonfinite_total > 0) {
    t.notes.push_back(fmt::format("non-finite values (NaN/inf, not in the means): {}", nonfinite_total));
  }
  if (ranked && !board.mean_ranks.empty()) {
    std::string ranks;
    for (const auto& r : board.mean_ranks) {
      ranks += fmt::format("{}{} {} (over {} datasets)", ranks.empty() ? "" : ", ", r.method_label,
                           format_fixed(r.mean_rank, 2), r.n_datasets);
    }
    t.notes.push_back(fmt::format("mean rank on {} (1 = best): {}", board.rank_metric, ranks));
  }
  add_rank_test_notes(board, t);
  return t;
}

}  // namespace sb
