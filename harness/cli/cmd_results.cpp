// Commands that read the database and render: leaderboard, table,
// reproduce (run what is missing, then render and diff) and report.
#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>

#include <map>
#include <set>
#include <utility>

#include "harness/cli/commands.h"
#include "harness/cli/output_file.h"
#include "harness/cli/record_filter.h"
#include "harness/core/errors.h"
#include "harness/run/plan.h"
#include "results/aggregate/labels.h"
#include "results/aggregate/leaderboard.h"
#include "results/render/html_report.h"
#include "results/render/paper_table.h"
#include "results/render/table.h"
#include "results/store/database.h"
#include "results/view/suite_view.h"

namespace sb {

namespace {

OptionSpec format_option() {
  return {"--format", "F", "term (default), md, latex, csv, json or html (a <table> fragment)"};
}

TableFormat format_of(const Args& args) { return parse_table_format(args.value_or("--format", "term")); }

// Width to fit terminal tables into: $COLUMNS when set (a number), else
// the width of the terminal on stdout; 0 (no limit) for a pipe or a file.
std::size_t terminal_columns() {
  if (const char* env = std::getenv("COLUMNS")) {
    char* end = nullptr;
    const long n = std::strtol(env, &end, 10);
    if (end != env && *end == '\0' && n > 0) return static_cast<std::size_t>(n);
  }
  winsize size{};
  if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0) return size.ws_col;
  return 0;
}

// Bold and underline marks only on a terminal a person reads: not when
// NO_COLOR is set (no-color.org), and not under mpirun, which gives every
// rank a pseudo-terminal even when its own output goes to a file or a pipe.
bool styled_stdout() {
  if (!isatty(STDOUT_FILENO)) return false;
  if (const char* no_color = std::getenv("NO_COLOR"); no_color && *no_color) return false;
  return std::getenv("OMPI_COMM_WORLD_SIZE") == nullptr && std::getenv("PMI_SIZE") == nullptr;
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != ',') continue;
    if (i > start) out.push_back(text.substr(start, i - start));
    start = i + 1;
  }
  return out;
}

// Paper tables keep every column (a missing value is news there);
// leaderboards and comparisons drop n/a-only columns in the formats people
// read and honour --columns.
std::string render(Table table, const Args& args, bool choose_columns = false, bool require_match = true) {
  const TableFormat format = format_of(args);
  if (choose_columns) {
    if (auto columns = args.value("--columns")) select_columns(table, split_commas(*columns), require_match);
    if (format != TableFormat::kCsv && format != TableFormat::kJson) drop_empty_columns(table);
  }
  if (format == TableFormat::kTerminal) fit_to_width(table, terminal_columns());
  return render_table(table, format, format == TableFormat::kTerminal && styled_stdout());
}

int digits_of(const Args& args) { return static_cast<int>(args.number_or("--digits", 3, 0, 12)); }

}  // namespace

// Several tables: blank-line separated, or one JSON array.
std::string render_all(const std::vector<Table>& tables, const Args& args) {
  if (tables.size() == 1) return render(tables.front(), args, true);
  // Several tables (a suite's view): each --columns pattern must name a
  // column of one of them.
  if (auto columns = args.value("--columns")) {
    for (const auto& pattern : split_commas(*columns)) {
      bool found = false;
      for (auto t : tables) {
        try {
          select_columns(t, {pattern});
          found = true;
        } catch (const InputError&) {
        }
      }
      if (!found) throw InputError("--columns: '{}' matches no column of the {} tables", pattern, tables.size());
    }
  }
  const bool json = format_of(args) == TableFormat::kJson;
  std::string out = json ? "[\n" : "";
  for (std::size_t i = 0; i < tables.size(); ++i) {
    std::string text = render(tables[i], args, true, false);
    if (json) {
      while (!text.empty() && text.back() == '\n') text.pop_back();
      text += i + 1 < tables.size() ? ",\n" : "\n";
    } else if (i > 0) {
      out += "\n";
    }
    out += text;
  }
  return json ? out + "]\n" : out;
}

static CommandSpec with_filters(CommandSpec spec) {
  for (auto& option : record_filter_options()) spec.options.push_back(std::move(option));
  return spec;
}

CommandSpec leaderboard_spec() {
  return with_filters({"leaderboard",
          "--suite NAME [--db FILE] [--metric NAME] [--by dataset|method] [--compare] [--control METHOD]\n"
          "            [--full-labels] [--columns A,B] [--format F] [--digits N] [FILTERS: --run --config --dataset --method --where]",
          "Aggregates the cells of a suite over seeds: per dataset and method, the mean, 95% CI\n"
          "(Student t), seeds used and failed cells; ranks, mean rank and a Friedman/Nemenyi test.\n"
          "A suite with a results view (benchmarks/<suite>/view.cpp) shows its own summary\n"
          "tables instead unless --metric or --by method is given.",
          {db_option(),
           {"--suite", "NAME", "suite to show (required)"},
           {"--metric", "NAME", "only this metric (and rank on it)"},
           {"--by", "dataset|method", "rows per dataset and method (default) or mean ranks per method"},
           {"--compare", "", "with --metric: pairwise Wilcoxon signed-rank tests over paired seeds, Holm-corrected"},
           {"--control", "METHOD", "also test every method's mean rank against this one (Bonferroni-Dunn)"},
           {"--full-labels", "", "label rows with every parameter (default: only those that vary in the study)"},
           {"--columns", "A,B", "only these metric columns (names or globs); tables fit $COLUMNS"},
           format_option(),
           {"--digits", "N", "digits after the decimal point (default 3)"}},
          0,
          0});
}

int cmd_leaderboard(const Args& args) {
  auto suite_name = args.value("--suite");
  if (!suite_name) throw InputError("leaderboard: --suite NAME is required (`shardbench list` shows the suites)");
  auto suite = make_suite(*suite_name);
  const std::string by = args.value_or("--by", "dataset");
  if (by != "dataset" && by != "method") throw InputError("option --by = '{}' must be dataset or method", by);
  Database db(args.value_or("--db", kDefaultDb), Database::Mode::kReadOnly);
  auto records = db.read_cells(*suite_name);
  if (records.empty()) throw InputError("no cells of suite '{}' in {}", *suite_name, db.path());
  filter_records(args, db, records);
  if (records.empty()) throw InputError("no cells of suite '{}' in {} pass the filters", *suite_name, db.path());
  if (!args.flag("--full-labels")) shorten_labels(records);
  const int digits = digits_of(args);
  // --control asks for the rank tests, which the suites' own views do not show.
  if (!args.value("--metric") && !args.value("--control") && by == "dataset") {
    if (const SuiteView* view = SuiteViewRegistry::instance().find(*suite_name)) {
      const auto tables = view->summary(records, SummaryOptions{0.95, digits});
      if (!tables.empty()) {
        fmt::print("{}", render_all(tables, args));
        return 0;
      }
    }
  }
  LeaderboardOptions options;
  options.suite = *suite_name;
  options.cd_control = args.value_or("--control", "");
  if (auto m = args.value("--metric")) {
    options.metrics = {*m};
    options.rank_metric = *m;
  }
  Leaderboard board = build_leaderboard(records, suite->metrics(), options);
  if (args.flag("--compare")) {
    if (!args.value("--metric")) throw InputError("leaderboard: --compare needs --metric NAME");
    std::set<std::string> datasets;
    for (const auto& r : records) datasets.insert(r.dataset_label);
    for (const auto& dataset : datasets) {
      SeedComparison c = compare_methods_over_seeds(records, dataset, *args.value("--metric"));
      Table t;
      t.title = fmt::format("{}: {} — Wilcoxon signed-rank over {} paired seeds, Holm-corrected", dataset,
                            c.metric, c.seeds_used.size());
      t.columns = {{"method A"}, {"method B"}, {"pairs"}, {"W+"}, {"W-"}, {"p"}, {"p (Holm)"}};
      for (const auto& p : c.tests) {
        t.rows.push_back({TableCell::label(c.methods[p.a]), TableCell::label(c.methods[p.b]),
                          TableCell::count(p.test.n_nonzero), TableCell::number(p.test.w_plus, NAN, Mark::kNone, 1),
                          TableCell::number(p.test.w_minus, NAN, Mark::kNone, 1),
                          TableCell::number(p.test.p_value, NAN, Mark::kNone, 4),
                          TableCell::number(p.p_holm, NAN, Mark::kNone, 4)});
      }
      if (c.n_seeds_dropped) t.notes.push_back(fmt::format("{} seeds dropped (a method had no value)", c.n_seeds_dropped));
      fmt::print("{}\n", render(t, args, true));
    }
    return 0;
  }
  if (by == "method") {
    Table t;
    t.title = fmt::format("{}: mean rank on {} over datasets", *suite_name, board.rank_metric);
    t.columns = {{"method"}, {"mean rank", MetricDirection::kLowerIsBetter}, {"datasets"}};
    for (const auto& r : board.mean_ranks) {
      t.rows.push_back({TableCell::label(r.method_label), TableCell::number(r.mean_rank, NAN, Mark::kNone, 2),
                        TableCell::count(r.n_datasets)});
    }
    add_rank_test_notes(board, t);
    fmt::print("{}", render(t, args, true));
    return 0;
  }
  fmt::print("{}", render(leaderboard_table(board, digits), args, true));
  return 0;
}

// The spec's rows and columns against the arms its config plans (one seed,
// no keys: cheap), so a mislabelled spec stops with exit 2 before the run
// rather than showing its values "missing" after it. Returns the number of
// (dataset, method) combinations the config plans.
std::size_t check_spec_against_config(const PaperSpec& spec) {
  PlanOptions options;
  options.seeds_override = 1;
  options.compute_keys = false;
  const Plan plan = make_plan(load_config(spec.config_path), options);
  std::vector<CellRecord> arms;
  arms.reserve(plan.arms.size());
  for (const auto& arm : plan.arms) {
    CellRecord r;
    r.suite = plan.suite;
    r.dataset = arm.spec.dataset;
    r.dataset_label = arm.dataset_label;
    r.method = arm.spec.method;
    r.method_label = arm.method_label;
    arms.push_back(std::move(r));
  }
  check_spec_labels(spec, plan.suite, arms);
  std::vector<std::string> metrics;
  for (const auto& m : make_suite(spec.suite)->metrics()) metrics.push_back(m.name);
  check_spec_metrics(spec, metrics);
  return arms.size();
}

// The cells a spec can use: those whose method and dataset a row and a
// column name, by full label or by plain name (so that paper_value still
// sees every label a plain name could stand for). One cell in memory at a
// time, so a database shared by many specs is not loaded whole per spec.
std::vector<CellRecord> read_spec_cells(const Database& db, const PaperSpec& spec) {
  std::set<std::string> methods, datasets;
  for (const auto& row : spec.rows) methods.insert(row.method);
  for (const auto& column : spec.columns) datasets.insert(column.dataset);
  std::vector<CellRecord> cells;
  db.for_each_cell(spec.suite, false, [&](const CellRecord& r) {
    if ((methods.count(r.method_label) || methods.count(r.method)) &&
        (datasets.count(r.dataset_label) || datasets.count(r.dataset))) {
      cells.push_back(r);
    }
  });
  return cells;
}

CommandSpec table_spec() {
  return {"table",
          "SPEC.toml [--db FILE] [--format F] [--evidence] [--run ID|latest] [--where SQL]",
          "Renders a paper table (benchmarks/papers/*.toml) from the database alone. --evidence\n"
          "renders, instead of the table, the evidence for the spec's published values as `reproduce`\n"
          "does (nothing is run; the spec needs no config) and exits 1 when one is outside its\n"
          "tolerance or missing.",
          {db_option(), format_option(),
           {"--evidence", "", "the evidence for the published values instead of the table (exit 1 on a miss)"},
           {"--run", "ID|latest", "only the cells recorded by this run"},
           {"--where", "SQL", "only cells whose row of the `cells` table satisfies this SQL condition"}},
          1,
          1};
}

// Prints the evidence for the spec's published values, then the verdict
// once more in the format's own words (csv and json carry it in the
// table's notes only, to stay parseable). True when all are within.
bool print_evidence(const PaperSpec& spec, const std::vector<CellRecord>& records, const Args& args) {
  const PaperDiff diff = diff_paper(spec, records);
  fmt::print("{}", render(paper_diff_table(diff, spec.digits), args));
  const TableFormat format = format_of(args);
  const std::string summary = paper_diff_summary(diff);
  if (format == TableFormat::kTerminal) fmt::print("\n{}\n", summary);
  if (format == TableFormat::kMarkdown) fmt::print("\n**{}**\n", summary);
  if (format == TableFormat::kHtml) fmt::print("<p><strong>{}</strong></p>\n", html_escape(summary));
  return diff.ok();
}

int cmd_table(const Args& args) {
  PaperSpec spec = load_paper_spec(args.positional()[0]);
  Database db(args.value_or("--db", kDefaultDb), Database::Mode::kReadOnly);
  auto records = read_spec_cells(db, spec);
  filter_records(args, db, records, false);
  if (!args.flag("--evidence")) {
    fmt::print("{}", render(paper_table(spec, records), args));
    return 0;
  }
  if (spec.published.empty()) {
    throw InputError("{}: table --evidence: the spec lists no [[published]] values", spec.path);
  }
  return print_evidence(spec, records, args) ? 0 : 1;
}

CommandSpec reproduce_spec() {
  return {"reproduce",
          "SPEC.toml [--db FILE] [--format F] [--timeout S] [--check]",
          "Runs the cells of the spec's experiment config that are missing (MPI-aware, same farm\n"
          "as `run`), renders the table and the evidence for every published value: ours with its\n"
          "95% Monte Carlo interval, the difference in combined Monte Carlo SEs, the tolerance used\n"
          "and the verdict, then \"k of n within tolerance\". Exit 1 when a value is outside its\n"
          "tolerance or missing. --format md / html render the evidence as a table too.\n"
          "Before running, the spec's rows and columns are checked against the cells its config\n"
          "plans and its metrics against the suite's (exit 2 naming what is not); --check stops there.",
          {db_option(), format_option(), {"--timeout", "SECONDS", "as for run"},
           {"--check", "", "check the spec against its config and stop (nothing is run or read)"}},
          1,
          1};
}

int cmd_reproduce(const Args& args) {
  PaperSpec spec = load_paper_spec(args.positional()[0]);
  const std::size_t arms = check_spec_against_config(spec);
  if (args.flag("--check")) {
    fmt::print("{}: ok: {} rows x {} columns, {} published values; its config {} plans {} (dataset, method) "
               "combinations\n",
               spec.path, spec.rows.size(), spec.columns.size(), spec.published.size(), spec.config_path, arms);
    return 0;
  }
  RunRequest request;
  request.config_path = spec.config_path;
  request.db_path = args.value_or("--db", kDefaultDb);
  request.timeout_seconds = args.number_or("--timeout", 0, 1e-3, 1e9);
  request.command_line = "reproduce " + args.positional()[0];
  int run_code = execute_run(request);
  if (is_quiet_rank()) return run_code;
  Database db(request.db_path, Database::Mode::kReadOnly);
  auto records = read_spec_cells(db, spec);
  fmt::print("{}\n", render(paper_table(spec, records), args));
  if (spec.published.empty()) {
    fmt::print("(the spec lists no published numbers)\n");
    return run_code == 0 ? 0 : run_code;
  }
  return print_evidence(spec, records, args) ? run_code : 1;
}

CommandSpec report_spec() {
  return with_filters({"report",
          "-o FILE [--db FILE] [--full-labels] [FILTERS: --run --config --dataset --method --where]",
          "Writes one self-contained HTML file (no network) with a tab per page: Overview (per suite:\n"
          "cells, failures, best method), Runs (provenance, configs, machines, references) and one page\n"
          "per suite (its own summary view, then leaderboards, critical-difference diagrams and box plots\n"
          "over seeds, inline SVG). With several runs, a run selector restricts every page to one run\n"
          "(statistics recomputed per run; the 8 most recent runs, older ones via --run ID).",
          {db_option(), {"-o", "FILE", "output HTML file (required)"}, {"--output", "FILE", "same as -o"},
           {"--full-labels", "", "label rows with every parameter (default: only those that vary in the study)"}},
          0,
          0});
}

int cmd_report(const Args& args) {
  auto out = args.value("--output");
  if (!out) out = args.value("-o");
  if (!out) throw InputError("report: an output file is required: -o report.html");
  const std::string db_path = args.value_or("--db", kDefaultDb);
  refuse_output_over_input("report", *out, {db_path});
  Database db(db_path, Database::Mode::kReadOnly);
  auto records = db.read_cells();
  filter_records(args, db, records);
  if (!args.flag("--full-labels")) shorten_labels(records);
  std::map<std::string, std::vector<MetricInfo>> metrics;
  for (const auto& r : records) {
    if (!metrics.count(r.suite) && SuiteRegistry::instance().find(r.suite)) {
      metrics[r.suite] = make_suite(r.suite)->metrics();
    }
  }
  std::string html = render_html_report(db.runs(), records, metrics, db.read_references());
  write_file_atomically(*out, html);
  const std::size_t runs = db.runs().size();
  fmt::print("wrote {} ({} cell{}, {} run{})\n", *out, records.size(), records.size() == 1 ? "" : "s", runs,
             runs == 1 ? "" : "s");
  return 0;
}

}  // namespace sb
