// The run_inputs table (schema version 4): the user files whose content
// entered a run's cell keys (docs/EXTERNAL.md, "Content-hashed inputs").
#include <sqlite3.h>

#include <fmt/format.h>

#include <optional>

#include "harness/core/errors.h"
#include "results/store/database.h"
#include "results/store/sqlite_util.h"

namespace sb {

using store::StatementUse;

namespace {

bool has_run_inputs_table(sqlite3* db, const std::string& path) {
  store::Statement stmt(db, path, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'run_inputs'");
  StatementUse use(stmt.get(), db, path);
  return use.step();
}

}  // namespace

void Database::write_run_inputs(const std::vector<RunInput>& inputs) {
  SB_THROW_IF_NOT(DatabaseError, mode_ == Mode::kReadWrite, "{} is open read-only", path_);
  if (inputs.empty()) return;
  std::optional<Transaction> tx;
  if (!in_transaction_) tx.emplace(*this);
  insert_run_inputs(inputs);
  if (tx) tx->commit();
}

void Database::insert_run_inputs(const std::vector<RunInput>& inputs) {
  if (inputs.empty()) return;
  store::Statement stmt(db_, path_,
                        "INSERT OR REPLACE INTO run_inputs(run_id, path, hash, size_bytes) VALUES(?1, ?2, ?3, ?4)");
  for (const RunInput& input : inputs) {
    SB_THROW_IF_NOT(DatabaseError, input.run_id > 0, "{}: input {} names no run", path_, input.path);
    StatementUse(stmt.get(), db_, path_)
        .int64(1, input.run_id)
        .text(2, input.path)
        .text(3, input.hash)
        .int64(4, input.size_bytes)
        .run();
  }
}

std::vector<RunInput> Database::run_inputs(std::int64_t run_id) const {
  std::vector<RunInput> out;
  if (!has_run_inputs_table(db_, path_)) return out;
  store::Statement stmt(db_, path_,
                        fmt::format("SELECT run_id, path, hash, size_bytes FROM run_inputs{} ORDER BY run_id, path",
                                    run_id > 0 ? " WHERE run_id = ?1" : ""));
  StatementUse row(stmt.get(), db_, path_);
  if (run_id > 0) row.int64(1, run_id);
  while (row.step()) {
    RunInput input;
    input.run_id = row.column_int64(0);
    input.path = row.column_text(1);
    input.hash = row.column_text(2);
    input.size_bytes = row.column_int64(3);
    out.push_back(std::move(input));
  }
  return out;
}

}  // namespace sb
