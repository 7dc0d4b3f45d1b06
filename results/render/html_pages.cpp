// The report's layout (results/render/html_report.h): tabs (Overview, Runs,
// one per suite), a run selector, and every page rendered once per run
// subset. The subsets are "all runs" and, when several runs hold
// cells, each of the HtmlReportOptions::max_run_variants most recent such
// runs: a page is rendered from that run's cells alone, so every aggregate
// (means, CIs, ranks, Friedman) is recomputed here and the script only shows
// and hides blocks. Identical renderings share one block (a suite that only
// one run touched costs nothing extra), which keeps the file to roughly
// (1 + number of runs that differ) copies of each page; the cap bounds it.
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <set>

#include "results/render/html_report.h"
#include "results/render/html_script.h"
#include "results/view/suite_view.h"

namespace sb {
namespace {

// Which cells a page variant is made of.
struct RunSubset {
  std::string key;                  // "all" or the run id: the <option> value
  std::optional<std::int64_t> run;  // nullopt = every run
  bool holds(std::int64_t run_id) const { return !run || *run == run_id; }
};

std::vector<CellRecord> cells_of(const std::vector<CellRecord>& records, const std::string& suite,
                                 const RunSubset& subset) {
  std::vector<CellRecord> out;
  for (const auto& r : records) {
    if (r.suite == suite && subset.holds(r.run_id)) out.push_back(r);
  }
  return out;
}

std::string file_name(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// One page's content per subset; subsets rendered alike share a block
// (data-runs lists them). Only the block holding "all" is shown without the
// script: without JavaScript the pages read as one document for all runs.
std::string variants(const std::vector<RunSubset>& subsets,
                     const std::function<std::string(const RunSubset&)>& render) {
  std::vector<std::pair<std::string, std::string>> blocks;  // (html, "all 3 2")
  for (const auto& subset : subsets) {
    std::string html = render(subset);
    auto same = std::find_if(blocks.begin(), blocks.end(), [&](const auto& b) { return b.first == html; });
    if (same == blocks.end()) blocks.emplace_back(std::move(html), subset.key);
    else same->second += " " + subset.key;
  }
  std::string out;
  for (const auto& [html, keys] : blocks) {
    const bool shown = (" " + keys + " ").find(" all ") != std::string::npos;
    out += fmt::format("<div class=\"variant\" data-runs=\"{}\"{}>\n", keys, shown ? "" : " hidden");
    out += html + "</div>\n";
  }
  return out;
}

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
                          TableCell::count(s.ok), TableCell::count(s.count - s.ok),
                          TableCell::label(fmt::format("{:.2f}", s.wall)),
                          TableCell::label(fmt::format("{:.2f}", s.cpu)),
                          TableCell::label(fmt::format("{:.0f}", static_cast<double>(s.peak_rss_kb) / 1024))});
  }
  return "<h3>References</h3>\n<p>Computed once per run and shared by the cells that need them; their cost is "
         "not counted in the methods' columns.</p>\n" +
         render_html_table(table);
}

// Provenance of the selected runs: one row each, then each run's config
// and machine (runs.environment), folded.
std::string runs_page(const std::vector<RunInfo>& runs, const std::vector<ReferenceRecord>& references) {
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
  std::string out = render_html_table(prov);
  for (const auto& r : runs) {
    if (r.config_text.empty()) continue;
    out += fmt::format("<details><summary>Config of run {}</summary>\n<pre>{}</pre>\n</details>\n", r.run_id,
                       html_escape(r.config_text));
  }
  for (const auto& r : runs) {  // the user files hashed into its cell keys
    std::string lines;
    for (const auto& i : r.inputs) lines += fmt::format("{}  {:>12} bytes  {}\n", i.hash, i.size_bytes, html_escape(i.path));
    if (!lines.empty())
      out += fmt::format("<details><summary>Inputs of run {}</summary>\n<pre>{}</pre>\n</details>\n", r.run_id, lines);
  }
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
  if (!references.empty()) out += references_section(references);
  return out;
}

// One suite's page for some cells: its view's own section first (the
// summary its community reads), then the generic leaderboard (folded when
// the view came first), the CD diagram and box plots of the ranking metric.
std::string suite_page(const std::string& suite, const std::vector<CellRecord>& cells,
                       const std::vector<MetricInfo>& infos) {
  std::string out;
  const SuiteView* view = SuiteViewRegistry::instance().find(suite);
  if (view) out += view->html_section(cells, SummaryOptions{});
  LeaderboardOptions opt;
  opt.suite = suite;
  const Leaderboard board = build_leaderboard(cells, infos, opt);
  const std::string leaderboard = render_html_table(leaderboard_table(board));
  if (view) {
    // Below the suite's own summary the every-metric table is reference
    // material (33 columns for OOD): folded, one click away.
    out += fmt::format("<details><summary>Every metric ({} columns, {} rows): the generic leaderboard</summary>\n{}"
                       "</details>\n",
                       board.metrics.size(), board.rows.size(), leaderboard);
  } else {
    out += "<h3>Leaderboard</h3>\n" + leaderboard;
  }
  const std::string cd = render_cd_diagram_svg(board);
  if (!cd.empty()) out += "<h3>Critical difference</h3>\n" + cd;

  // Box plots of the ranking metric (or the first metric) per dataset.
  const std::string plot_metric = !board.rank_metric.empty() ? board.rank_metric
                                  : board.metrics.empty()    ? ""
                                                             : board.metrics.front();
  if (plot_metric.empty()) return out;
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
  return out;
}

// Per suite: its cells, how they ended, what the study spans and the best
// method by mean rank on the suite's ranking metric.
std::string overview_page(const std::set<std::string>& suites, const std::vector<CellRecord>& records,
                          const std::map<std::string, std::vector<MetricInfo>>& metrics_by_suite,
                          const RunSubset& subset) {
  Table t;
  t.title = "Suites";
  t.columns = {{"suite"}, {"cells"}, {"ok"}, {"failed"}, {"datasets"}, {"methods"}, {"seeds"},
               {"runs"}, {"ranked on"}, {"best by mean rank"}};
  for (const auto& suite : suites) {
    const auto cells = cells_of(records, suite, subset);
    if (cells.empty()) continue;
    std::set<std::string> datasets, methods;
    std::set<std::int64_t> seeds, runs;
    std::size_t ok = 0;
    for (const auto& c : cells) {
      datasets.insert(c.dataset_label), methods.insert(c.method_label);
      seeds.insert(c.seed), runs.insert(c.run_id);
      ok += c.status == CellStatus::kOk;
    }
    const auto it = metrics_by_suite.find(suite);
    LeaderboardOptions opt;
    opt.suite = suite;
    const Leaderboard board =
        build_leaderboard(cells, it == metrics_by_suite.end() ? std::vector<MetricInfo>{} : it->second, opt);
    std::string ranked = board.rank_metric, best = "n/a";
    if (!ranked.empty()) {
      for (std::size_t m = 0; m < board.metrics.size(); ++m) {
        if (board.metrics[m] == board.rank_metric)
          ranked += board.directions[m] == MetricDirection::kHigherIsBetter ? " (higher is better)"
                                                                            : " (lower is better)";
      }
    }
    if (!board.mean_ranks.empty()) {
      const auto& top = board.mean_ranks.front();
      best = fmt::format("{} ({:.2f} over {} dataset{})", top.method_label, top.mean_rank, top.n_datasets,
                         top.n_datasets == 1 ? "" : "s");
    }
    std::string run_ids;
    for (auto id : runs) run_ids += (run_ids.empty() ? "" : ", ") + std::to_string(id);
    t.rows.push_back({TableCell::label(suite), TableCell::count(cells.size()), TableCell::count(ok),
                      TableCell::count(cells.size() - ok), TableCell::count(datasets.size()),
                      TableCell::count(methods.size()), TableCell::count(seeds.size()), TableCell::label(run_ids),
                      TableCell::label(ranked.empty() ? "n/a" : ranked), TableCell::label(best)});
  }
  if (t.rows.empty()) return "<p>No cells" + (subset.run ? fmt::format(" in run {}", *subset.run) : "") + ".</p>\n";
  return render_html_table(t);
}

}  // namespace

std::string render_html_report(const std::vector<RunInfo>& runs, const std::vector<CellRecord>& records,
                               const std::map<std::string, std::vector<MetricInfo>>& metrics_by_suite,
                               const std::vector<ReferenceRecord>& references,
                               const HtmlReportOptions& options) {
  std::set<std::string> suites;
  std::map<std::int64_t, std::size_t> cells_per_run;
  std::map<std::int64_t, std::set<std::string>> suites_per_run;
  for (const auto& r : records) {
    suites.insert(r.suite);
    ++cells_per_run[r.run_id];
    suites_per_run[r.run_id].insert(r.suite);
  }
  // RunSubsets: all runs, then the most recent runs holding cells (highest
  // ids first), when there are two or more.
  std::vector<RunSubset> subsets = {{"all", std::nullopt}};
  std::size_t runs_left_out = 0;
  if (cells_per_run.size() > 1) {
    for (auto it = cells_per_run.rbegin(); it != cells_per_run.rend(); ++it) {
      if (subsets.size() > options.max_run_variants) {
        ++runs_left_out;
        continue;
      }
      subsets.push_back({std::to_string(it->first), it->first});
    }
  }

  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<title>shardbench report</title>\n<style>\n";
  out += kReportStyle;
  out += "</style>\n</head>\n<body>\n<header>\n<h1>shardbench report</h1>\n";
  // Tabs: one link per page; without the script they jump to the page.
  // A suite tab lists the subsets it has cells in (the script dims it
  // for the others).
  out += "<nav class=\"tabs\" aria-label=\"pages\">\n<a href=\"#overview\">Overview</a>\n<a href=\"#runs\">Runs</a>\n";
  for (const auto& suite : suites) {
    std::string keys = "all";
    for (const auto& s : subsets) {
      if (s.run && suites_per_run[*s.run].count(suite)) keys += " " + s.key;
    }
    out += fmt::format("<a href=\"#suite-{0}\" data-runs=\"{1}\">{0}</a>\n", html_escape(suite), keys);
  }
  out += "</nav>\n";
  if (subsets.size() > 1) {
    // Shown by the script only: without it there is nothing to select.
    out += "<p class=\"run-select\" hidden><label>Cells of <select id=\"run-select\">\n";
    out += fmt::format("<option value=\"all\">all runs ({} cells)</option>\n", records.size());
    for (const auto& s : subsets) {
      if (!s.run) continue;
      std::string config;
      for (const auto& r : runs) {
        if (r.run_id == *s.run && !r.config_path.empty()) config = ", " + file_name(r.config_path);
      }
      out += fmt::format("<option value=\"{}\">run {}{} ({} cells)</option>\n", s.key, s.key, html_escape(config),
                         cells_per_run[*s.run]);
    }
    out += "</select></label></p>\n";
  }
  if (runs_left_out > 0) {
    out += fmt::format("<p class=\"note\">Per-run views for the {} most recent runs with cells; {} older "
                       "run{} only in \"all runs\" (<code>shardbench report --run ID</code> for one).</p>\n",
                       subsets.size() - 1, runs_left_out, runs_left_out == 1 ? " is" : "s are");
  }
  out += "<noscript><p class=\"note\">Without JavaScript the pages follow one another, for all runs.</p></noscript>\n";
  out += "</header>\n";

  out += "<section class=\"page\" id=\"overview\">\n<h2>Overview</h2>\n";
  out += variants(subsets, [&](const RunSubset& s) { return overview_page(suites, records, metrics_by_suite, s); });
  out += "</section>\n";

  out += "<section class=\"page\" id=\"runs\">\n<h2>Runs</h2>\n";
  out += variants(subsets, [&](const RunSubset& s) {
    std::vector<RunInfo> selected_runs;
    for (const auto& r : runs) {
      if (s.holds(r.run_id)) selected_runs.push_back(r);
    }
    std::vector<ReferenceRecord> selected_refs;
    for (const auto& r : references) {
      if (s.holds(r.run_id)) selected_refs.push_back(r);
    }
    return runs_page(selected_runs, selected_refs);
  });
  out += "</section>\n";

  for (const auto& suite : suites) {
    const auto it = metrics_by_suite.find(suite);
    const std::vector<MetricInfo> infos = it == metrics_by_suite.end() ? std::vector<MetricInfo>{} : it->second;
    out += fmt::format("<section class=\"page\" id=\"suite-{0}\">\n<h2>Suite: {0}</h2>\n", html_escape(suite));
    out += variants(subsets, [&](const RunSubset& s) {
      const auto cells = cells_of(records, suite, s);
      if (cells.empty()) return fmt::format("<p>Run {} recorded no cells of this suite.</p>\n", s.key);
      return suite_page(suite, cells, infos);
    });
    out += "</section>\n";
  }
  out += "<script>\n";
  out += kReportScript;
  out += "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace sb
