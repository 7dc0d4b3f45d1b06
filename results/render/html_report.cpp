#include "results/render/html_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "results/render/html_script.h"
#include "results/view/suite_view.h"

namespace sb {
namespace {

std::string num(double v) { return fmt::format("{:.1f}", v); }

// Linear-interpolation quantile (type 7) of sorted values.
double quantile_sorted(const std::vector<double>& s, double p) {
  const double pos = p * static_cast<double>(s.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, s.size() - 1);
  return s[lo] + (pos - static_cast<double>(lo)) * (s[hi] - s[lo]);
}

// Labels in figures: at most this many characters, "…" in the middle; the
// full label is the element's <title> (a tooltip) and is in the tables.
constexpr std::size_t kFigureLabelMax = 60;

std::string figure_label(const std::string& label) {
  return "<title>" + html_escape(label) + "</title>" + html_escape(shorten_label(label, kFigureLabelMax));
}

}  // namespace

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string render_html_table(const Table& table) {
  std::string out = "<table class=\"sb\">\n<thead><tr>";
  for (const auto& c : table.columns) out += "<th>" + html_escape(plain_header(c)) + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : table.rows) {
    out += "<tr>";
    for (const auto& cell : row) {
      std::string text = html_escape(plain_cell_text(cell, table.digits));
      if (cell.mark == Mark::kBest) text = "<strong>" + text + "</strong>";
      if (cell.mark == Mark::kSecond) text = "<u>" + text + "</u>";
      // data-v: the value the page's script sorts by ("" for n/a).
      out += cell.numeric ? fmt::format("<td class=\"num\" data-v=\"{}\">",
                                        std::isfinite(cell.value) ? fmt::format("{}", cell.value) : "")
                          : text.size() > 40 ? "<td class=\"long\">" : "<td>";  // long labels wrap anywhere
      out += text + "</td>";
    }
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n";
  if (!table.notes.empty()) {
    out += "<ul class=\"notes\">\n";
    for (const auto& n : table.notes) out += "<li>" + html_escape(n) + "</li>\n";
    out += "</ul>\n";
  }
  return out;
}

std::string render_cd_diagram_svg(const Leaderboard& board) {
  if (!board.friedman) return "";
  const auto& f = *board.friedman;
  const std::size_t k = f.k;
  // Methods sorted by mean rank (best first).
  std::vector<std::size_t> order(k);
  for (std::size_t i = 0; i < k; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return f.mean_ranks[a] < f.mean_ranks[b]; });
  const double width = 900, left = 260, right = width - 260, axis_y = 60;
  const std::size_t half = (k + 1) / 2;  // best half labelled on the left
  const double height = axis_y + 30 + 22.0 * static_cast<double>(half) + 20;
  auto x_of = [&](double rank) {
    return left + (rank - 1) / std::max<double>(1, static_cast<double>(k) - 1) * (right - left);
  };
  std::string s = fmt::format(
      "<svg width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\" "
      "aria-label=\"critical difference diagram\">\n",
      num(width), num(height), num(width), num(height));
  s += fmt::format("<text x=\"{}\" y=\"14\">Critical difference diagram: {} (mean rank, 1 = best)</text>\n",
                   num(10), html_escape(board.rank_metric));
  s += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"black\"/>\n", num(left),
                   num(axis_y), num(right), num(axis_y));
  for (std::size_t r = 1; r <= k; ++r) {
    const double x = x_of(static_cast<double>(r));
    s += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"black\"/>"
                     "<text x=\"{0}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>\n",
                     num(x), num(axis_y - 5), num(axis_y), num(axis_y - 8), r);
  }
  // CD bar above the axis, starting at rank 1.
  if (std::isfinite(board.critical_difference)) {
    const double x1 = x_of(1), x2 = x_of(1 + board.critical_difference);
    s += fmt::format("<line x1=\"{}\" y1=\"30\" x2=\"{}\" y2=\"30\" stroke=\"black\" stroke-width=\"2\"/>"
                     "<text x=\"{}\" y=\"26\" text-anchor=\"middle\">CD = {:.3f}</text>\n",
                     num(x1), num(std::min(x2, width - 5)), num((x1 + std::min(x2, width - 5)) / 2),
                     board.critical_difference);
  }
  // Method labels: best half to the left, the rest to the right.
  for (std::size_t i = 0; i < k; ++i) {
    const std::size_t m = order[i];
    const double x = x_of(f.mean_ranks[m]);
    const bool on_left = i < half;
    const std::size_t slot = on_left ? i : k - 1 - i;
    const double y = axis_y + 30 + 22.0 * static_cast<double>(slot);
    const double lx = on_left ? left - 10 : right + 10;
    s += fmt::format("<polyline points=\"{0},{1} {0},{2} {3},{2}\" fill=\"none\" stroke=\"#555\"/>"
                     "<text x=\"{4}\" y=\"{5}\" text-anchor=\"{6}\">{7} ({8:.2f})</text>\n",
                     num(x), num(axis_y), num(y), num(lx), num(on_left ? lx - 3 : lx + 3), num(y + 4),
                     on_left ? "end" : "start", figure_label(board.friedman_methods[m]),
                     f.mean_ranks[m]);
  }
  // Cliques: maximal runs of methods (by rank) spanning less than CD.
  if (std::isfinite(board.critical_difference)) {
    std::size_t last_end = 0;
    int bar = 0;
    for (std::size_t i = 0; i < k; ++i) {
      std::size_t j = i;
      while (j + 1 < k && f.mean_ranks[order[j + 1]] - f.mean_ranks[order[i]] < board.critical_difference) ++j;
      if (j > i && (i == 0 || j > last_end)) {
        const double y = axis_y + 12 + 5.0 * (bar++ % 3);
        s += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"black\" stroke-width=\"3\"/>\n",
                         num(x_of(f.mean_ranks[order[i]]) - 3), num(y),
                         num(x_of(f.mean_ranks[order[j]]) + 3), num(y));
        last_end = j;
      }
    }
  }
  return s + "</svg>\n";
}

std::string render_box_plot_svg(const std::string& title, const std::vector<std::string>& methods,
                                const std::vector<std::vector<double>>& values) {
  const double height = 330, top = 30, bottom = 250, left = 70;
  const double slot = 90;
  const double width = left + slot * static_cast<double>(std::max<std::size_t>(methods.size(), 1)) + 20;
  double lo = INFINITY, hi = -INFINITY;
  for (const auto& v : values) {
    for (double x : v) {
      if (std::isfinite(x)) lo = std::min(lo, x), hi = std::max(hi, x);
    }
  }
  if (!std::isfinite(lo)) lo = 0, hi = 1;
  if (hi == lo) lo -= 0.5, hi += 0.5;
  const double pad = (hi - lo) * 0.05;
  lo -= pad;
  hi += pad;
  auto y_of = [&](double v) { return bottom - (v - lo) / (hi - lo) * (bottom - top); };
  std::string s = fmt::format(
      "<svg width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" role=\"img\" aria-label=\"box plot\">\n",
      num(width), num(height));
  s += fmt::format("<text x=\"5\" y=\"16\">{}</text>\n", figure_label(title));
  s += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"black\"/>\n", num(left),
                   num(top), num(bottom));
  for (int t = 0; t <= 4; ++t) {
    const double v = lo + (hi - lo) * t / 4;
    s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n", num(left - 4),
                     num(y_of(v) + 4), html_escape(format_fixed(v, 3)));
  }
  for (std::size_t m = 0; m < methods.size(); ++m) {
    const double cx = left + slot * (static_cast<double>(m) + 0.5);
    s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\" transform=\"rotate(-30 {} {})\">{}</text>\n",
                     num(cx), num(bottom + 16), num(cx), num(bottom + 16), figure_label(methods[m]));
    std::vector<double> v;
    for (double x : values[m]) {
      if (std::isfinite(x)) v.push_back(x);
    }
    if (v.empty()) continue;
    std::sort(v.begin(), v.end());
    const double q1 = quantile_sorted(v, 0.25), med = quantile_sorted(v, 0.5), q3 = quantile_sorted(v, 0.75);
    const double iqr = q3 - q1;
    double wlo = q3, whi = q1;
    for (double x : v) {
      if (x >= q1 - 1.5 * iqr) wlo = std::min(wlo, x);
      if (x <= q3 + 1.5 * iqr) whi = std::max(whi, x);
    }
    const double bw = 24;
    s += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"black\"/>\n", num(cx),
                     num(y_of(wlo)), num(y_of(whi)));
    s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#cde\" stroke=\"black\"/>\n",
                     num(cx - bw / 2), num(y_of(q3)), num(bw), num(std::max(0.5, y_of(q1) - y_of(q3))));
    s += fmt::format("<line x1=\"{0}\" y1=\"{2}\" x2=\"{1}\" y2=\"{2}\" stroke=\"black\" stroke-width=\"2\"/>\n",
                     num(cx - bw / 2), num(cx + bw / 2), num(y_of(med)));
    for (double x : v) {
      if (x < wlo || x > whi) {
        s += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"2.5\" fill=\"none\" stroke=\"black\"/>\n",
                         num(cx), num(y_of(x)));
      }
    }
  }
  return s + "</svg>\n";
}

namespace {

// Shared computations (trained models, oracles, ground truths, parts of
// split cells): how many, how they ended and what they cost, per suite and
// name; their cost is not in the methods' columns.
std::string references_section(const std::vector<ReferenceRecord>& references) {
  struct Sum {
    std::size_t count = 0, ok = 0;
    double wall = 0, cpu = 0;
    std::int64_t peak_rss_kb = 0;
  };
  std::map<std::pair<std::string, std::string>, Sum> sums;
  for (const auto& r : references) {
    const std::string name = r.name.rfind("part/", 0) == 0 ? "parts of split cells" : r.name;
    Sum& s = sums[{r.suite, name}];
    ++s.count;
    s.ok += r.status == CellStatus::kOk;
    s.wall += r.wall_seconds;
    s.cpu += r.cpu_seconds;
    s.peak_rss_kb = std::max(s.peak_rss_kb, r.peak_rss_kb);
  }
  Table table;
  table.columns = {{"suite"}, {"reference"}, {"computed"}, {"ok"}, {"failed"}, {"wall s"}, {"CPU s"}, {"peak MiB"}};
  for (const auto& [key, s] : sums) {
    table.rows.push_back({TableCell::label(key.first), TableCell::label(key.second), TableCell::count(s.count),
                          TableCell::count(s.ok), TableCell::count(s.count - s.ok), TableCell::label(fmt::format("{:.2f}", s.wall)),
                          TableCell::label(fmt::format("{:.2f}", s.cpu)),
                          TableCell::label(fmt::format("{:.0f}", static_cast<double>(s.peak_rss_kb) / 1024))});
  }
  return "<h2 id=\"references\">References</h2>\n<p>Computed once per run and shared by the cells that need them; their cost is "
         "not counted in the methods' columns.</p>\n" +
         render_html_table(table);
}

// The machine of each run (runs.environment): one table per run, folded.
std::string provenance_section(const std::vector<RunInfo>& runs) {
  std::string out;
  for (const auto& r : runs) {
    if (r.environment.empty()) continue;
    Table machine;
    machine.columns = {{"name"}, {"value"}};
    for (const auto& [name, value] : r.environment) {
      machine.rows.push_back({TableCell::label(name), TableCell::label(value)});
    }
    out += fmt::format("<details><summary>Machine of run {}</summary>\n", r.run_id);
    out += render_html_table(machine) + "</details>\n";
  }
  return out;
}

}  // namespace

std::string render_html_report(const std::vector<RunInfo>& runs, const std::vector<CellRecord>& records,
                               const std::map<std::string, std::vector<MetricInfo>>& metrics_by_suite,
                               const std::vector<ReferenceRecord>& references) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<title>shardbench report</title>\n<style>\n";
  out += kReportStyle;
  out += "</style>\n</head>\n<body>\n<h1>shardbench report</h1>\n";
  std::set<std::string> suites;
  for (const auto& r : records) suites.insert(r.suite);
  // Contents: one entry per section, so a section added later (provenance,
  // a new suite) is one more line here and one more <h2 id=...> below.
  out += "<nav><ul>\n<li><a href=\"#runs\">Runs</a></li>\n";
  if (!references.empty()) out += "<li><a href=\"#references\">References</a></li>\n";
  for (const auto& suite : suites)
    out += fmt::format("<li><a href=\"#suite-{0}\">Suite: {0}</a></li>\n", html_escape(suite));
  out += "</ul></nav>\n";

  out += "<h2 id=\"runs\">Runs</h2>\n";
  Table prov;
  prov.columns = {{"run"}, {"started"}, {"finished"}, {"status"}, {"version"}, {"commit"},
                  {"build"}, {"compiler"}, {"hosts"}, {"MPI size"}, {"config"}, {"command"}};
  for (const auto& r : runs) {
    prov.rows.push_back({TableCell::count(static_cast<std::size_t>(r.run_id)), TableCell::label(r.started_at),
                         TableCell::label(r.finished_at), TableCell::label(r.status),
                         TableCell::label(r.tool_version), TableCell::label(r.git_commit),
                         TableCell::label(r.build_type), TableCell::label(r.compiler), TableCell::label(r.hosts),
                         TableCell::count(static_cast<std::size_t>(r.mpi_size)),
                         TableCell::label(r.config_path), TableCell::label(r.command_line)});
  }
  out += render_html_table(prov);
  for (const auto& r : runs) {
    if (r.config_text.empty()) continue;
    out += fmt::format("<details><summary>Config of run {}</summary>\n<pre>{}</pre>\n</details>\n", r.run_id,
                       html_escape(r.config_text));
  }
  for (const auto& r : runs) {  // the user files hashed into its cell keys
    std::string lines;
    for (const auto& i : r.inputs) lines += fmt::format("{}  {:>12} bytes  {}\n", i.hash, i.size_bytes, html_escape(i.path));
    if (!lines.empty()) out += fmt::format("<details><summary>Inputs of run {}</summary>\n<pre>{}</pre>\n</details>\n", r.run_id, lines);
  }

  out += provenance_section(runs);
  if (!references.empty()) out += references_section(references);

  for (const auto& suite : suites) {
    const auto it = metrics_by_suite.find(suite);
    const std::vector<MetricInfo> infos = it == metrics_by_suite.end() ? std::vector<MetricInfo>{} : it->second;
    std::vector<CellRecord> cells;
    for (const auto& r : records) {
      if (r.suite == suite) cells.push_back(r);
    }
    LeaderboardOptions opt;
    opt.suite = suite;
    const Leaderboard board = build_leaderboard(cells, infos, opt);
    out += fmt::format("<h2 id=\"suite-{0}\">Suite: {0}</h2>\n", html_escape(suite));
    out += render_html_table(leaderboard_table(board));
    const std::string cd = render_cd_diagram_svg(board);
    if (!cd.empty()) out += "<h3>Critical difference</h3>\n" + cd;

    // Box plots of the ranking metric (or the first metric) per dataset.
    const std::string plot_metric = !board.rank_metric.empty() ? board.rank_metric
                                    : board.metrics.empty()    ? ""
                                                               : board.metrics.front();
    if (!plot_metric.empty()) {
      out += "<h3>" + html_escape(plot_metric) + " over seeds</h3>\n";
      std::map<std::string, std::map<std::string, std::vector<double>>> by_dataset;
      for (const auto& c : cells) {
        if (c.status != CellStatus::kOk) continue;
        for (const auto& [name, v] : c.metrics) {
          if (name == plot_metric) by_dataset[c.dataset_label][c.method_label].push_back(v);
        }
      }
      for (const auto& [dataset, by_method] : by_dataset) {
        std::vector<std::string> methods;
        std::vector<std::vector<double>> values;
        for (const auto& [method, v] : by_method) {
          methods.push_back(method);
          values.push_back(v);
        }
        out += render_box_plot_svg(dataset + ": " + plot_metric, methods, values);
      }
    }

    // The suite's own section (summary tables, plots), when it has a view.
    if (const SuiteView* view = SuiteViewRegistry::instance().find(suite)) {
      out += view->html_section(cells, SummaryOptions{});
    }
  }
  out += "<script>\n";
  out += kReportScript;
  out += "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace sb
