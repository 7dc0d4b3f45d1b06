// `shardbench query` (read-only SQL) and `shardbench merge`.
#include <fmt/format.h>

#include <algorithm>

#include "harness/cli/commands.h"
#include "harness/cli/output_file.h"
#include "harness/cli/text_table.h"
#include "harness/core/errors.h"
#include "results/store/database.h"

namespace sb {

CommandSpec query_spec() {
  return {"query",
          "[--db FILE] [--csv] [--timeout SECONDS] \"SELECT ...\"",
          "Runs one SQL statement on the database opened read-only and prints the rows\n"
          "as an aligned table (or CSV). Views: results (cells x metrics), cell_status.\n"
          "A statement that writes, or one still running after --timeout, is an error (exit 2).",
          {db_option(),
           {"--csv", "", "print CSV instead of an aligned table"},
           {"--timeout", "SECONDS", "stop the statement after this long (default: 60; 0: no limit)"}},
          1,
          1};
}

int cmd_query(const Args& args) {
  const double timeout = args.number_or("--timeout", 60, 0, 1e9);
  Database db(args.value_or("--db", kDefaultDb), Database::Mode::kReadOnly);
  QueryResult result;
  try {
    result = db.query(args.positional()[0], timeout);
  } catch (const QueryTimeoutError& e) {
    throw InputError("{} (--timeout {}; raise it, or 0 for no limit)", e.what(), timeout);
  } catch (const BadStatementError& e) {
    throw InputError("{}", e.what());  // the user's SQL
  }
  TextTable table(result.columns);
  for (const auto& row : result.rows) {
    std::vector<std::string> cells;
    for (const auto& v : row) cells.push_back(v ? *v : "NULL");
    table.add_row(std::move(cells));
  }
  fmt::print("{}", args.flag("--csv") ? table.csv() : table.aligned());
  return 0;
}

CommandSpec merge_spec() {
  return {"merge",
          "OUT.sqlite IN.sqlite...",
          "Merges databases written by separate jobs (e.g. --shard job arrays) into OUT.\n"
          "Same key = same cell; conflicting ok outcomes are reported, never overwritten.",
          {},
          2,
          100000};
}

int cmd_merge(const Args& args) {
  std::vector<std::string> inputs(args.positional().begin() + 1, args.positional().end());
  refuse_output_over_input("merge", args.positional()[0], inputs);
  MergeReport r = merge_databases(args.positional()[0], inputs);
  fmt::print("merged {} database{} into {}: {} cells added, {} identical, {} failed cells replaced by ok, "
             "{} runs added, {} conflicts\n",
             inputs.size(), inputs.size() == 1 ? "" : "s", args.positional()[0], r.cells_added, r.cells_identical,
             r.cells_replaced, r.runs_added, r.conflicts.size());
  if (r.references_added + r.references_identical + r.references_replaced > 0) {
    fmt::print("references: {} added, {} identical, {} failed replaced by ok\n", r.references_added,
               r.references_identical, r.references_replaced);
  }
  if (r.run_inputs_added > 0) fmt::print("run inputs: {} added (with their runs)\n", r.run_inputs_added);
  for (const auto& c : r.conflicts) fmt::print("  conflict: {}\n", c);
  return r.conflicts.empty() ? 0 : 1;
}

}  // namespace sb
