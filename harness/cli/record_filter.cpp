#include "harness/cli/record_filter.h"

#include <fmt/ranges.h>

#include <algorithm>
#include <set>
#include <string>

#include "harness/core/errors.h"
#include "harness/core/suggest.h"
#include "harness/run/config.h"
#include "harness/run/config_edits.h"
#include "harness/run/plan.h"
#include "results/aggregate/labels.h"

namespace sb {

std::vector<OptionSpec> record_filter_options() {
  return {{"--run", "ID|latest", "only the cells recorded by this run (`query \"SELECT * FROM runs\"` lists them)"},
          {"--config", "FILE", "only the cells of this experiment config (its grid, by cell key)"},
          {"--dataset", "GLOB", "only datasets whose name or full label matches, e.g. 'kang*' or '*n=1000*'"},
          {"--method", "GLOB", "only methods whose name or full label matches"},
          {"--where", "SQL", "only cells whose row of the `cells` table satisfies this SQL condition"}};
}

bool glob_matches(const std::string& pattern, const std::string& name, const std::string& label) {
  return glob_match(pattern, name) || glob_match(pattern, label);
}

namespace {

// A --dataset or --method glob that matches no recorded name or label (a
// typo, most likely) is refused naming the recorded names, rather than
// ending as "no cells pass the filters".
void refuse_unmatched_glob(const char* option, const std::string& pattern, const std::vector<CellRecord>& records,
                           std::string CellRecord::*name, std::string CellRecord::*label) {
  if (records.empty()) return;
  std::set<std::string> names;
  for (const auto& r : records) {
    if (glob_matches(pattern, r.*name, r.*label)) return;
    names.insert(r.*name);
  }
  throw InputError("{} '{}' matches no recorded name or label{} (recorded: {})", option, pattern,
                   did_you_mean(pattern, {names.begin(), names.end()}), fmt::join(names, ", "));
}

std::set<std::string> keys_of_config(const std::string& path) {
  PlanOptions options;
  options.max_cells = ~std::uint64_t{0};  // a filter, not a run: any grid size
  const Plan plan = make_plan(load_config(path), options);
  std::set<std::string> keys;
  for (const auto& cell : plan.cells) keys.insert(cell.key);
  return keys;
}

std::set<std::string> keys_where(const Database& db, const std::string& condition) {
  // The condition runs on the read-only connection like `query` (one
  // statement; a write or a second statement is refused there).
  QueryResult result;
  try {
    result = db.query("SELECT key FROM cells WHERE " + condition);
  } catch (const BadStatementError& e) {
    throw InputError("--where '{}': {}", condition, e.what());
  }
  std::set<std::string> keys;
  for (const auto& row : result.rows)
    if (!row.empty() && row[0]) keys.insert(*row[0]);
  return keys;
}

}  // namespace

void filter_records(const Args& args, const Database& db, std::vector<CellRecord>& records, bool separate_labels) {
  std::optional<std::int64_t> run;
  if (auto value = args.value("--run")) {
    const auto runs = db.runs();
    if (*value == "latest") {
      SB_THROW_IF_NOT(InputError, !runs.empty(), "--run latest: {} has no runs", db.path());
      run = runs.back().run_id;
    } else {
      std::int64_t id = 0;
      try {
        std::size_t used = 0;
        id = std::stoll(*value, &used);
        if (used != value->size()) throw std::invalid_argument("trailing");
      } catch (const std::exception&) {
        throw InputError("option --run = '{}' must be a run id or 'latest'", *value);
      }
      SB_THROW_IF_NOT(InputError,
                      std::any_of(runs.begin(), runs.end(), [&](const RunInfo& r) { return r.run_id == id; }),
                      "--run {}: no such run in {}", id, db.path());
      run = id;
    }
  }
  std::optional<std::set<std::string>> config_keys, where_keys;
  if (auto path = args.value("--config")) config_keys = keys_of_config(*path);
  if (auto condition = args.value("--where")) where_keys = keys_where(db, *condition);
  const auto dataset = args.value("--dataset"), method = args.value("--method");
  if (dataset) refuse_unmatched_glob("--dataset", *dataset, records, &CellRecord::dataset, &CellRecord::dataset_label);
  if (method) refuse_unmatched_glob("--method", *method, records, &CellRecord::method, &CellRecord::method_label);
  std::erase_if(records, [&](const CellRecord& r) {
    if (run && r.run_id != *run) return true;
    if (config_keys && !config_keys->count(r.key)) return true;
    if (where_keys && !where_keys->count(r.key)) return true;
    if (dataset && !glob_matches(*dataset, r.dataset, r.dataset_label)) return true;
    if (method && !glob_matches(*method, r.method, r.method_label)) return true;
    return false;
  });
  if (separate_labels) separate_shared_labels(records);
}

}  // namespace sb
