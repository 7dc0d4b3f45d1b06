// `shardbench compare`: two runs of one database, or two databases, arm by
// arm with paired tests over seeds (results/aggregate/compare.h).
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "harness/cli/commands.h"
#include "harness/cli/record_filter.h"
#include "harness/core/errors.h"
#include "harness/run/plan.h"
#include "results/aggregate/compare.h"
#include "results/render/table.h"
#include "results/store/database.h"

namespace sb {

CommandSpec compare_spec() {
  CommandSpec spec{
      "compare",
      "RUN_A RUN_B [--db FILE] | --db A.sqlite --against B.sqlite [RUN_A RUN_B]\n"
      "            [--suite NAME] [--metric NAME,...] [--alpha A] [--full-labels] [--format F] [--digits N]\n"
      "            [FILTERS: --config --dataset --method --where]",
      "Compares two sets of results arm by arm (suite x dataset x method), paired over seeds,\n"
      "like Google Benchmark's compare.py: per arm, the means of A and B, B - A, the change in %,\n"
      "a Wilcoxon signed-rank and a paired t test (two-sided), and a verdict (better / worse /\n"
      "n.s.) from the metric's direction. A and B are two runs of --db (ids or 'latest'), or\n"
      "with --against, every cell of --db against every cell of the other database (or run\n"
      "RUN_A of --db against run RUN_B of the other). Default metric: each suite's primary\n"
      "metric. Exit 0 whatever the verdicts.",
      {db_option(),
       {"--against", "FILE", "second database: side B (side A is --db)"},
       {"--suite", "NAME", "only this suite"},
       {"--metric", "NAME,...", "metrics to compare (default: each suite's primary metric)"},
       {"--alpha", "A", "significance level of the verdict (default 0.05)"},
       {"--full-labels", "", "label rows with every parameter (default: only those that vary)"},
       {"--format", "F", "term (default), md, latex, csv, json or html"},
       {"--digits", "N", "digits after the decimal point (default 3)"}},
      0,
      2};
  for (auto& option : record_filter_options())
    if (option.name != "--run") spec.options.push_back(std::move(option));
  return spec;
}

namespace {

std::int64_t run_id_of(const Database& db, const std::string& text) {
  const auto runs = db.runs();
  if (text == "latest") {
    SB_THROW_IF_NOT(InputError, !runs.empty(), "compare: {} has no runs", db.path());
    return runs.back().run_id;
  }
  std::int64_t id = 0;
  try {
    std::size_t used = 0;
    id = std::stoll(text, &used);
    if (used != text.size()) throw std::invalid_argument("trailing");
  } catch (const std::exception&) {
    throw InputError("compare: '{}' is not a run id (a number or 'latest')", text);
  }
  SB_THROW_IF_NOT(InputError, std::any_of(runs.begin(), runs.end(), [&](const RunInfo& r) { return r.run_id == id; }),
                  "compare: no run {} in {}", id, db.path());
  return id;
}

std::vector<CellRecord> side(const Args& args, const Database& db, const std::string& suite,
                             std::optional<std::int64_t> run) {
  auto records = suite.empty() ? db.read_cells() : db.read_cells(suite);
  if (run) std::erase_if(records, [&](const CellRecord& r) { return r.run_id != *run; });
  filter_records(args, db, records);
  return records;
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

}  // namespace

int cmd_compare(const Args& args) {
  const auto& pos = args.positional();
  const auto against = args.value("--against");
  if (against ? pos.size() == 1 : pos.size() != 2)
    throw InputError(against ? "compare: give both RUN_A and RUN_B, or neither, with --against"
                             : "compare: give RUN_A RUN_B, or --against OTHER.sqlite (see compare --help)");
  const std::string suite = args.value_or("--suite", "");
  if (!suite.empty()) make_suite(suite);  // an unknown suite is an input error
  Database db_a(args.value_or("--db", kDefaultDb), Database::Mode::kReadOnly);
  std::optional<Database> other;
  if (against) other.emplace(*against, Database::Mode::kReadOnly);
  const Database& db_b = against ? *other : db_a;
  std::optional<std::int64_t> run_a, run_b;
  if (pos.size() == 2) {
    run_a = run_id_of(db_a, pos[0]);
    run_b = run_id_of(db_b, pos[1]);
  }
  const auto a = side(args, db_a, suite, run_a), b = side(args, db_b, suite, run_b);
  std::map<std::string, std::vector<MetricInfo>> infos;
  for (const auto* records : {&a, &b})
    for (const auto& r : *records)
      if (!infos.count(r.suite) && SuiteRegistry::instance().find(r.suite)) infos[r.suite] = make_suite(r.suite)->metrics();
  CompareOptions options;
  if (auto m = args.value("--metric")) options.metrics = split_commas(*m);
  options.alpha = args.number_or("--alpha", 0.05, 1e-12, 1 - 1e-12);
  Comparison comparison = compare_results(a, b, infos, options);
  if (!args.flag("--full-labels")) shorten_labels(comparison);
  auto name = [](const Database& db, const std::optional<std::int64_t>& run) {
    return run ? fmt::format("run {} of {}", *run, db.path()) : db.path();
  };
  const int digits = static_cast<int>(args.number_or("--digits", 3, 0, 12));
  fmt::print("{}", render_all(comparison_tables(comparison, name(db_a, run_a), name(db_b, run_b), digits), args));
  return 0;
}

}  // namespace sb
