// The SQLite results store. Rank 0 is the only writer; readers open it
// read-only. Schema and conventions: docs/DATABASE.md.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "results/records.h"

struct sqlite3;

namespace sb {

// Result of an ad-hoc SQL query: column names and rows of text values
// (NULL as std::nullopt).
struct QueryResult {
  std::vector<std::string> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;
};

class Database {
 public:
  enum class Mode { kReadOnly, kReadWrite };

  // kReadWrite creates the file and schema if missing and migrates older
  // schema versions; kReadOnly requires the file to exist. Throws
  // DatabaseError (naming the file) when it cannot open, when the file is not
  // a shardbench database, or when its schema version is newer than this
  // build knows.
  Database(const std::string& path, Mode mode);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  static int schema_version();  // the version this build writes

  // Provenance. begin_run returns the new run_id.
  std::int64_t begin_run(const RunInfo& run);
  void finish_run(std::int64_t run_id, const std::string& status, const std::string& finished_at);
  std::vector<RunInfo> runs() const;

  // Writes a batch of cells (with metrics and artifacts) in one transaction:
  // a cell row and its metrics are never half written. A cell whose key is
  // already present is replaced (its old metrics and artifacts removed).
  void write_cells(const std::vector<CellRecord>& cells);

  // Keys of cells recorded with status "ok" (resume skips those).
  std::unordered_set<std::string> ok_keys() const;

  // All cells (optionally of one suite), ordered by suite, dataset_label,
  // method_label, seed; with metrics; artifacts only when asked.
  std::vector<CellRecord> read_cells(const std::string& suite = "",
                                     bool with_artifacts = false) const;

  // Runs one SQL statement. Fails with DatabaseError on SQL errors; on a
  // read-only database any write fails.
  QueryResult query(const std::string& sql) const;

  const std::string& path() const { return path_; }

  // --- Added beyond the original contract -------------------------------

  // Calls `fn` for every cell (optionally of one suite) in read_cells order,
  // one cell in memory at a time (for databases too big to load whole). `fn`
  // may read from this Database but must not write to it.
  void for_each_cell(const std::string& suite, bool with_artifacts,
                     const std::function<void(const CellRecord&)>& fn) const;

  // The cell with this key, with its metrics (and artifacts when asked).
  std::optional<CellRecord> find_cell(const std::string& key, bool with_artifacts = false) const;

  Mode mode() const { return mode_; }

  // While alive, foreign-key enforcement stays off on this connection, so
  // that a series of write_cells batches (a run's writer, a merge) does not
  // switch it off and on per batch: each switch makes SQLite re-prepare
  // every cached statement (measured: a quarter of the writer's work with
  // small batches). No other use of the connection may overlap the scope.
  class BulkWriteScope {
   public:
    explicit BulkWriteScope(Database& db);
    ~BulkWriteScope();
    BulkWriteScope(const BulkWriteScope&) = delete;
    BulkWriteScope& operator=(const BulkWriteScope&) = delete;

   private:
    Database& db_;
  };

 private:
  struct Statements;  // prepared statements, reused across calls

  std::string path_;
  sqlite3* db_ = nullptr;
  Mode mode_ = Mode::kReadOnly;
  std::unique_ptr<Statements> stmts_;
  int bulk_write_scopes_ = 0;  // > 0: foreign keys are off (BulkWriteScope)

  void write_cell(const CellRecord& cell);  // inside a write_cells transaction
  void attach_details(CellRecord& cell, std::int64_t cell_id, bool with_artifacts) const;
};

// Outcome of merging databases.
struct MergeReport {
  std::int64_t cells_added = 0;
  std::int64_t cells_identical = 0;   // same key, same status and metrics
  std::int64_t cells_replaced = 0;    // same key, was failed in OUT, ok in IN
  std::vector<std::string> conflicts; // same key, both ok, different metrics: kept OUT's, reported
  std::int64_t runs_added = 0;
};

// Merges `inputs` into `out` (created if missing). Same key = same cell.
// Conflicting outcomes are reported, never silently overwritten.
MergeReport merge_databases(const std::string& out, const std::vector<std::string>& inputs);

}  // namespace sb
