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

#include "harness/core/errors.h"
#include "results/records.h"

struct sqlite3;

namespace sb {

namespace store {
class RunLocks;
}

// The files of a database DB on disk: DB, SQLite's side files and the run
// lock (run_lock.h), as suffixes of DB's path.
inline constexpr const char* kDatabaseFileSuffixes[] = {"", "-wal", "-shm", "-journal", "-runlock"};

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

  // Provenance. begin_run records a run of this process (with its inputs,
  // RunInfo::inputs, in the same transaction) and returns its run_id; until this Database is closed (or the process ends) the run is
  // marked live (results/store/run_lock.h), so that a run left `running` by
  // a dead process can be told apart. add_run copies a run recorded
  // elsewhere (merge), without marking it live.
  std::int64_t begin_run(const RunInfo& run);
  std::int64_t add_run(const RunInfo& run);
  // One run at a time per database: takes the writer lock for as long as
  // this Database is open; InputError naming the database when another
  // process holds it (docs/DATABASE.md, "Runs and liveness").
  void claim_writer();
  void finish_run(std::int64_t run_id, const std::string& status, const std::string& finished_at);
  std::vector<RunInfo> runs() const;

  // The user files whose content entered a run's cell keys (RunInput; table
  // run_inputs, schema version 4), written with the run (begin_run, add_run)
  // or here, each for its run_id; a path already recorded for that run is
  // replaced. run_inputs(0) reads those of every run, by run then path; a
  // database before version 4 has none.
  void write_run_inputs(const std::vector<RunInput>& inputs);
  std::vector<RunInput> run_inputs(std::int64_t run_id = 0) const;

  // Runs recorded as `running` whose process is gone (killed with -9, died
  // of a full disk, or the machine rebooted): nobody holds their liveness
  // lock. stale_runs only looks; mark_stale_runs (read-write) records them
  // as `interrupted`, with the finish time of their last cell (NULL when
  // they finished none), and returns their ids.
  std::vector<std::int64_t> stale_runs() const;
  std::vector<std::int64_t> mark_stale_runs();

  // Writes a batch of cells (with metrics and artifacts) in one transaction:
  // a cell row and its metrics are never half written. A cell whose key is
  // already present is replaced (its old metrics and artifacts removed).
  void write_cells(const std::vector<CellRecord>& cells);

  // Keys of cells recorded with status "ok" (resume skips those).
  std::unordered_set<std::string> ok_keys() const;

  // References (ReferenceRecord): written one batch per transaction, a key
  // already present replaced; the keys recorded `ok`; one reference's
  // record (with its output) by key; all of them (outputs when asked),
  // ordered by suite, label, seed. A version-1 database opened read-only
  // has none.
  void write_references(const std::vector<ReferenceRecord>& references);
  std::unordered_set<std::string> ok_reference_keys() const;
  std::optional<ReferenceRecord> find_reference(const std::string& key) const;
  std::vector<ReferenceRecord> read_references(bool with_outputs = false) const;

  // All cells (optionally of one suite), ordered by suite, dataset_label,
  // method_label, seed; with metrics; artifacts only when asked.
  std::vector<CellRecord> read_cells(const std::string& suite = "",
                                     bool with_artifacts = false) const;

  // Runs one SQL statement. Fails with DatabaseError on SQL errors, with
  // BadStatementError when the text is not one statement SQLite can
  // prepare (syntax, no such table or column, empty, two statements); on a
  // read-only database a statement that writes is refused with InputError
  // (nothing is run). With timeout_seconds > 0, a statement still running
  // after that long is interrupted with QueryTimeoutError.
  QueryResult query(const std::string& sql, double timeout_seconds = 0) const;

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

  // One write transaction around a series of write_cells / add_run calls
  // (a merge): they join it instead of committing on their own, so that a
  // failure anywhere leaves the database as it was when the scope began.
  // Rolled back unless commit() is called. Open it inside any BulkWriteScope
  // (foreign keys cannot be switched inside a transaction).
  class Transaction {
   public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

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
  bool in_transaction_ = false;  // a Transaction is open
  std::unique_ptr<store::RunLocks> run_locks_;  // liveness of the runs begun here

  std::int64_t insert_run(const RunInfo& run);  // with its inputs
  void insert_run_inputs(const std::vector<RunInput>& inputs);  // inside a transaction

  void write_cell(const CellRecord& cell);  // inside a write_cells transaction
  void attach_details(CellRecord& cell, std::int64_t cell_id, bool with_artifacts) const;
};

// A query stopped by its time limit (Database::query's timeout_seconds).
class QueryTimeoutError : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};

// A statement SQLite cannot prepare. The commands that run a user's SQL
// (`query`, --where) report it as that user's input error (exit 2); for our
// own statements it stays a database error.
class BadStatementError : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};

// Outcome of merging databases.
struct MergeReport {
  std::int64_t cells_added = 0;
  std::int64_t cells_identical = 0;   // same key, same status and metrics
  std::int64_t cells_replaced = 0;    // same key, was failed in OUT, ok in IN
  std::vector<std::string> conflicts; // same key, both ok, different metrics: kept OUT's, reported
  std::int64_t runs_added = 0;
  std::int64_t run_inputs_added = 0;  // run_inputs rows copied (a run's inputs go with it)
  std::int64_t references_added = 0;
  std::int64_t references_identical = 0;  // same key, same status and output
  std::int64_t references_replaced = 0;   // same key, was failed in OUT, ok in IN
};

// Merges `inputs` into `out` (created if missing). Same key = same cell.
// Conflicting outcomes are reported, never silently overwritten. All or
// nothing: one transaction, so an input that fails half-way (a corrupt
// file) leaves `out` as it was, or absent if it did not exist.
MergeReport merge_databases(const std::string& out, const std::vector<std::string>& inputs);

}  // namespace sb
