#include "results/store/database.h"

#include <sqlite3.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <exception>
#include <filesystem>
#include <optional>
#include <string_view>
#include <utility>

#include "harness/core/errors.h"
#include "harness/core/json.h"
#include "results/store/run_lock.h"
#include "results/store/schema.h"
#include "results/store/sqlite_util.h"

namespace sb {

using store::StatementUse;

namespace {

// A flat JSON object of strings, in the pairs' order.
std::string environment_json(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::string out = "{";
  for (const auto& [name, value] : pairs) {
    if (out.size() > 1) out += ',';
    out += json_quote(name);
    out += ':';
    out += json_quote(value);
  }
  return out + "}";
}

constexpr const char* kCellColumns =
    "key, suite, suite_version, dataset, dataset_params, dataset_label, method, method_params, "
    "method_label, method_version, seed, status, error, wall_seconds, cpu_seconds, "
    "method_seconds, peak_rss_kb, rank, host, run_id, finished_at, attempts";

constexpr const char* kRunColumns =
    "run_id, tool_version, git_commit, build_type, compiler, hosts, mpi_size, started_at, "
    "finished_at, status, config_path, config_text, command_line";

// For reading: the columns of kCellColumns before `attempts`, the internal id
// (column 21) and the attempts (column 22; 1 in a database before schema
// version 4, opened read-only as it is).
std::string cell_select(bool has_attempts) {
  return fmt::format(
      "key, suite, suite_version, dataset, dataset_params, dataset_label, method, method_params, "
      "method_label, method_version, seed, status, error, wall_seconds, cpu_seconds, "
      "method_seconds, peak_rss_kb, rank, host, run_id, finished_at, cell_id, {}",
      has_attempts ? "attempts" : "1");
}

// Order of read_cells / for_each_cell.
constexpr const char* kCellOrder = " ORDER BY suite, dataset_label, method_label, seed, key";

// Reads one row selected with cell_select() (metrics/artifacts not included).
CellRecord cell_from_row(const StatementUse& row) {
  CellRecord c;
  c.key = row.column_text(0);
  c.suite = row.column_text(1);
  c.suite_version = row.column_text(2);
  c.dataset = row.column_text(3);
  c.dataset_params = row.column_text(4);
  c.dataset_label = row.column_text(5);
  c.method = row.column_text(6);
  c.method_params = row.column_text(7);
  c.method_label = row.column_text(8);
  c.method_version = row.column_text(9);
  c.seed = row.column_int64(10);
  const std::string status = row.column_text(11);
  const auto parsed = parse_cell_status(status);
  SB_THROW_IF_NOT(DatabaseError, parsed.has_value(),
                  "cell {} has status '{}' (expected ok, error, timeout or crashed)", c.key, status);
  c.status = *parsed;
  c.error = row.column_text(12);
  c.wall_seconds = row.column_real(13);
  c.cpu_seconds = row.column_real(14);
  c.method_seconds = row.column_real(15);
  c.peak_rss_kb = row.column_int64(16);
  c.rank = static_cast<int>(row.column_int64(17));
  c.host = row.column_text(18);
  c.run_id = row.column_int64(19);  // NULL (no run) reads as 0
  c.finished_at = row.column_text(20);
  c.attempts = static_cast<int>(row.column_int64(22));
  return c;
}

}  // namespace

// Statements are prepared on first use and kept for the connection's life.
struct Database::Statements {
  enum Id {
    kBegin,
    kCommit,
    kInsertCell,
    kDeleteCell,
    kDeleteMetrics,
    kDeleteArtifacts,
    kInsertArtifact,
    kOkKeys,
    kCellByKey,
    kMetricsOf,
    kArtifactsOf,
    kInsertRun,
    kRunExists,
    kFinishRun,
    kRuns,
    kRunningRuns,
    kMarkInterrupted,
    kCount
  };

  std::array<store::Statement, kCount> cache;
  std::string cell_select = ::sb::cell_select(true);  // set when the database is opened
  // insert_metrics[k - 1] inserts k metric rows: one statement per cell
  // rather than one per metric (SQLite's per-statement cost dominates rows
  // this small).
  static constexpr int kMaxMetricRows = 32;
  std::array<store::Statement, kMaxMetricRows> insert_metrics;

  sqlite3_stmt* get(Id id, sqlite3* db, const std::string& path) {
    if (!cache[id]) cache[id] = store::Statement(db, path, sql(id));
    return cache[id].get();
  }

  sqlite3_stmt* insert_metric_rows(int rows, sqlite3* db, const std::string& path) {
    store::Statement& stmt = insert_metrics[static_cast<size_t>(rows - 1)];
    if (!stmt) {
      std::string sql = "INSERT OR FAIL INTO metrics(cell_id, name, value) VALUES";
      for (int r = 0; r < rows; ++r) {
        sql += fmt::format("{}(?{}, ?{}, ?{})", r ? ", " : " ", 3 * r + 1, 3 * r + 2, 3 * r + 3);
      }
      stmt = store::Statement(db, path, sql);
    }
    return stmt.get();
  }

  std::string sql(Id id) const {
    switch (id) {
      case kBegin: return "BEGIN IMMEDIATE";
      case kCommit: return "COMMIT";
      case kInsertCell:
        return fmt::format("INSERT OR IGNORE INTO cells({}) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                           "?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)",
                           kCellColumns);
      case kDeleteCell: return "DELETE FROM cells WHERE key = ?1";
      case kDeleteMetrics:
        return "DELETE FROM metrics WHERE cell_id = (SELECT cell_id FROM cells WHERE key = ?1)";
      case kDeleteArtifacts:
        return "DELETE FROM artifacts WHERE cell_id = (SELECT cell_id FROM cells WHERE key = ?1)";
      case kInsertArtifact:
        return "INSERT OR FAIL INTO artifacts(cell_id, name, n, data) VALUES(?1, ?2, ?3, ?4)";
      case kOkKeys: return "SELECT key FROM cells WHERE status = 'ok'";
      case kCellByKey: return fmt::format("SELECT {} FROM cells WHERE key = ?1", cell_select);
      case kMetricsOf: return "SELECT name, value FROM metrics WHERE cell_id = ?1 ORDER BY name";
      case kArtifactsOf:
        return "SELECT name, n, data FROM artifacts WHERE cell_id = ?1 ORDER BY rowid";
      case kInsertRun:
        return "INSERT INTO runs(tool_version, git_commit, build_type, compiler, hosts, mpi_size, "
               "started_at, finished_at, status, config_path, config_text, command_line, environment) "
               "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
      case kRunExists: return "SELECT 1 FROM runs WHERE run_id = ?1";
      case kFinishRun:
        return "UPDATE runs SET status = ?2, finished_at = ?3 WHERE run_id = ?1";
      case kRuns: return fmt::format("SELECT {} FROM runs ORDER BY run_id", kRunColumns);
      case kRunningRuns: return "SELECT run_id FROM runs WHERE status = 'running' ORDER BY run_id";
      case kMarkInterrupted:
        return "UPDATE runs SET status = 'interrupted', finished_at = (SELECT max(finished_at) "
               "FROM cells WHERE cells.run_id = runs.run_id) WHERE run_id = ?1 AND status = 'running'";
      case kCount: break;
    }
    return "";
  }
};

namespace {

// Size of `path`, or 0 when it does not exist.
std::uintmax_t file_size_or_zero(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  return ec ? 0 : size;
}

}  // namespace

Database::Database(const std::string& path, Mode mode)
    : path_(path), mode_(mode), stmts_(std::make_unique<Statements>()) {
  std::string target = path;
  int flags = SQLITE_OPEN_EXRESCODE | SQLITE_OPEN_NOMUTEX;
  if (mode == Mode::kReadOnly) {
    std::error_code ec;
    // A wrong path is bad input (exit 2), not a database failure.
    if (!std::filesystem::exists(path, ec))
      throw InputError("no database at {} (write one with `shardbench run`, or give --db FILE)", path);
    target = store::file_uri(path, "mode=ro");
    flags |= SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
  } else {
    flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  }
  // Opens `uri`; on failure returns the error (and SQLite's extended code).
  auto open = [&](const std::string& uri, int& code) -> std::exception_ptr {
    int rc = sqlite3_open_v2(uri.c_str(), &db_, flags, nullptr);
    try {
      if (rc != SQLITE_OK) store::throw_sqlite(db_, path_, "cannot open");
      store::prepare_schema(db_, path_, mode == Mode::kReadWrite);
      return nullptr;
    } catch (...) {
      code = db_ ? sqlite3_extended_errcode(db_) : SQLITE_NOMEM;
      sqlite3_close(db_);
      db_ = nullptr;
      return std::current_exception();
    }
  };
  int code = SQLITE_OK;
  std::exception_ptr error = open(target, code);
  // A WAL database can only be read when its -shm index exists or can be
  // created: not so for a user who may not write the directory (a shared
  // results folder). When no -wal holds changes (no writer is active and the
  // last one closed cleanly) the file alone is the whole database, and it is
  // read as immutable. A writer starting during such a read is not seen.
  // (SQLite says SQLITE_READONLY, or SQLITE_CANTOPEN when a -wal exists.)
  const int primary = code & 0xff;
  if (error && mode == Mode::kReadOnly &&
      (primary == SQLITE_READONLY || primary == SQLITE_CANTOPEN) && ::access(path.c_str(), R_OK) == 0) {
    if (file_size_or_zero(path + "-wal") > 0) {
      stmts_.reset();
      throw DatabaseError(
          "cannot read {}: its write-ahead log {}-wal holds changes and this user cannot create "
          "the index {}-shm next to it (no write access to the directory); open it once with "
          "write access (e.g. sqlite3 {} 'PRAGMA wal_checkpoint(TRUNCATE)') or copy it",
          path, path, path, path);
    }
    int ignored = SQLITE_OK;
    if (!open(store::file_uri(path, "mode=ro&immutable=1"), ignored)) error = nullptr;
  }
  if (error) {
    stmts_.reset();
    std::rethrow_exception(error);
  }
  stmts_->cell_select = cell_select(store::column_exists(db_, path_, "cells", "attempts"));
}

Database::~Database() {
  stmts_.reset();  // statements must be finalized before the connection closes
  sqlite3_close(db_);
}

int Database::schema_version() { return store::kSchemaVersion; }

std::int64_t Database::insert_run(const RunInfo& run) {
  SB_THROW_IF_NOT(DatabaseError, mode_ == Mode::kReadWrite, "{} is open read-only", path_);
  StatementUse use(stmts_->get(Statements::kInsertRun, db_, path_), db_, path_);
  use.text(1, run.tool_version)
      .text(2, run.git_commit)
      .text(3, run.build_type)
      .text(4, run.compiler)
      .text(5, run.hosts)
      .int64(6, run.mpi_size)
      .text(7, run.started_at)
      .text_or_null(8, run.finished_at)
      .text(9, run.status.empty() ? std::string_view("running") : std::string_view(run.status))
      .text(10, run.config_path)
      .text(11, run.config_text)
      .text(12, run.command_line)
      .text(13, environment_json(run.environment))
      .run();
  const std::int64_t run_id = sqlite3_last_insert_rowid(db_);
  std::vector<RunInput> inputs = run.inputs;
  for (RunInput& input : inputs) input.run_id = run_id;
  insert_run_inputs(inputs);
  return run_id;
}

std::int64_t Database::add_run(const RunInfo& run) {
  std::optional<Transaction> tx;  // the run's row and its inputs together
  if (!in_transaction_) tx.emplace(*this);
  const std::int64_t run_id = insert_run(run);
  if (tx) tx->commit();
  return run_id;
}

void Database::claim_writer() {
  SB_THROW_IF_NOT(DatabaseError, mode_ == Mode::kReadWrite, "{} is open read-only", path_);
  if (!run_locks_) run_locks_ = std::make_unique<store::RunLocks>();
  run_locks_->acquire_writer(path_);
}

std::int64_t Database::begin_run(const RunInfo& run) {
  SB_THROW_IF_NOT(DatabaseError, mode_ == Mode::kReadWrite, "{} is open read-only", path_);
  SB_THROW_IF_NOT(InternalError, !in_transaction_, "{}: begin_run inside a Transaction", path_);
  // The liveness lock is taken before the row is committed: no other process
  // can see this run `running` and unlocked (and mark it stale).
  store::exec_script(db_, path_, "BEGIN IMMEDIATE");
  try {
    const std::int64_t run_id = insert_run(run);
    if (!run_locks_) run_locks_ = std::make_unique<store::RunLocks>();
    run_locks_->acquire(path_, run_id);
    store::exec_script(db_, path_, "COMMIT");
    return run_id;
  } catch (...) {
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

std::vector<std::int64_t> Database::stale_runs() const {
  std::vector<std::int64_t> stale;
  StatementUse row(stmts_->get(Statements::kRunningRuns, db_, path_), db_, path_);
  while (row.step()) {
    const std::int64_t id = row.column_int64(0);
    if (!store::run_lock_held(path_, id)) stale.push_back(id);
  }
  return stale;
}

std::vector<std::int64_t> Database::mark_stale_runs() {
  SB_THROW_IF_NOT(DatabaseError, mode_ == Mode::kReadWrite, "{} is open read-only", path_);
  if (stale_runs().empty()) return {};  // the common case takes no write lock
  // Checked again under the write lock: a run begins (and finishes) in a
  // write transaction, so what is seen here cannot change until COMMIT.
  store::exec_script(db_, path_, "BEGIN IMMEDIATE");
  try {
    std::vector<std::int64_t> stale = stale_runs();
    for (const std::int64_t id : stale) {
      StatementUse(stmts_->get(Statements::kMarkInterrupted, db_, path_), db_, path_)
          .int64(1, id)
          .run();
    }
    store::exec_script(db_, path_, "COMMIT");
    return stale;
  } catch (...) {
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

void Database::finish_run(std::int64_t run_id, const std::string& status,
                          const std::string& finished_at) {
  SB_THROW_IF_NOT(DatabaseError, mode_ == Mode::kReadWrite, "{} is open read-only", path_);
  StatementUse use(stmts_->get(Statements::kFinishRun, db_, path_), db_, path_);
  use.int64(1, run_id).text(2, status).text_or_null(3, finished_at).run();
  if (sqlite3_changes(db_) != 1) throw DatabaseError("{}: no run with run_id {}", path_, run_id);
}

std::vector<RunInfo> Database::runs() const {
  std::vector<RunInfo> out;
  StatementUse row(stmts_->get(Statements::kRuns, db_, path_), db_, path_);
  while (row.step()) {
    RunInfo r;
    r.run_id = row.column_int64(0);
    r.tool_version = row.column_text(1);
    r.git_commit = row.column_text(2);
    r.build_type = row.column_text(3);
    r.compiler = row.column_text(4);
    r.hosts = row.column_text(5);
    r.mpi_size = static_cast<int>(row.column_int64(6));
    r.started_at = row.column_text(7);
    r.finished_at = row.column_text(8);
    r.status = row.column_text(9);
    r.config_path = row.column_text(10);
    r.config_text = row.column_text(11);
    r.command_line = row.column_text(12);
    out.push_back(std::move(r));
  }
  // Schema version 3: the environment, in its recorded order.
  if (store::column_exists(db_, path_, "runs", "environment")) {
    store::Statement env(db_, path_,
                         "SELECT e.key, e.value FROM runs AS r, json_each(r.environment) AS e "
                         "WHERE r.run_id = ?1 ORDER BY e.id");
    for (RunInfo& r : out) {
      StatementUse use(env.get(), db_, path_);
      use.int64(1, r.run_id);
      while (use.step()) r.environment.emplace_back(use.column_text(0), use.column_text(1));
    }
  }
  // Schema version 4: the inputs.
  std::vector<RunInput> inputs = run_inputs();
  std::size_t run = 0;
  for (RunInput& input : inputs) {  // both by run id
    while (run < out.size() && out[run].run_id < input.run_id) ++run;
    if (run < out.size() && out[run].run_id == input.run_id) out[run].inputs.push_back(std::move(input));
  }
  return out;
}

void Database::write_cell(const CellRecord& c) {
  SB_THROW_IF_NOT(DatabaseError, !c.key.empty(), "{}: a cell has an empty key", path_);
  auto bind_cell = [&](StatementUse& use) {
    use.text_ref(1, c.key)
        .text_ref(2, c.suite)
        .text_ref(3, c.suite_version)
        .text_ref(4, c.dataset)
        .text_ref(5, c.dataset_params)
        .text_ref(6, c.dataset_label)
        .text_ref(7, c.method)
        .text_ref(8, c.method_params)
        .text_ref(9, c.method_label)
        .text_ref(10, c.method_version)
        .int64(11, c.seed)
        .text(12, to_string(c.status))
        .text_or_null(13, c.error)
        .real(14, c.wall_seconds)
        .real(15, c.cpu_seconds)
        .real(16, c.method_seconds)
        .int64(17, c.peak_rss_kb)
        .int64(18, c.rank)
        .text_ref(19, c.host);
    if (c.run_id > 0) {
      use.int64(20, c.run_id);
    } else {
      use.null(20);
    }
    use.text_ref(21, c.finished_at).int64(22, c.attempts);
  };
  // The common case is a new key: the INSERT OR IGNORE adds the row. Only when
  // it changed nothing (the key exists: a rerun, --force) are the old cell,
  // its metrics and its artifacts deleted and the row inserted again; that
  // second insert must add it (OR IGNORE would also skip a row violating
  // another constraint, which must fail instead).
  {
    StatementUse use(stmts_->get(Statements::kInsertCell, db_, path_), db_, path_);
    bind_cell(use);
    int rc = use.step_rc();
    if (rc != SQLITE_DONE) store::throw_sqlite(db_, path_, fmt::format("inserting cell {}", c.key));
    if (sqlite3_changes(db_) == 0) {  // OR IGNORE: the key was there
      for (auto id : {Statements::kDeleteMetrics, Statements::kDeleteArtifacts,
                      Statements::kDeleteCell}) {
        StatementUse(stmts_->get(id, db_, path_), db_, path_).text(1, c.key).run();
      }
      sqlite3_reset(stmts_->get(Statements::kInsertCell, db_, path_));
      use.run();  // same bindings
      SB_THROW_IF_NOT(DatabaseError, sqlite3_changes(db_) == 1,
                      "{}: cell {} could not be written (a constraint rejected the row)", path_,
                      c.key);
    }
  }
  const std::int64_t cell_id = sqlite3_last_insert_rowid(db_);
  for (size_t first = 0; first < c.metrics.size(); first += Statements::kMaxMetricRows) {
    const int rows = static_cast<int>(
        std::min<size_t>(Statements::kMaxMetricRows, c.metrics.size() - first));
    StatementUse use(stmts_->insert_metric_rows(rows, db_, path_), db_, path_);
    for (int r = 0; r < rows; ++r) {
      const auto& [name, value] = c.metrics[first + static_cast<size_t>(r)];
      use.int64(3 * r + 1, cell_id).text_ref(3 * r + 2, name).real(3 * r + 3, value);
    }
    use.run();
  }
  sqlite3_stmt* insert_artifact = stmts_->get(Statements::kInsertArtifact, db_, path_);
  for (const Artifact& a : c.artifacts) {
    StatementUse(insert_artifact, db_, path_)
        .int64(1, cell_id)
        .text(2, a.name)
        .int64(3, static_cast<std::int64_t>(a.values.size()))
        .blob(4, store::encode_float64_le(a.values))
        .run();
  }
}

void Database::write_cells(const std::vector<CellRecord>& cells) {
  SB_THROW_IF_NOT(DatabaseError, mode_ == Mode::kReadWrite, "{} is open read-only", path_);
  if (cells.empty()) return;
  // Foreign-key enforcement is off while a batch is written: with it on,
  // SQLite journals every statement (an immediate FK violation must undo the
  // statement alone), which more than doubles the cost of a cell. The
  // references are kept here instead: metrics and artifacts point at the
  // cell row just inserted, and run ids are checked below.
  // Inside a BulkWriteScope they are off already (switching re-prepares
  // the cached statements).
  std::optional<BulkWriteScope> foreign_keys_off;
  if (bulk_write_scopes_ == 0) foreign_keys_off.emplace(*this);
  if (!in_transaction_) StatementUse(stmts_->get(Statements::kBegin, db_, path_), db_, path_).run();
  size_t i = 0;
  try {
    std::int64_t checked_run = 0;
    for (; i < cells.size(); ++i) {
      const std::int64_t run = cells[i].run_id;
      if (run > 0 && run != checked_run) {
        StatementUse use(stmts_->get(Statements::kRunExists, db_, path_), db_, path_);
        SB_THROW_IF_NOT(DatabaseError, use.int64(1, run).step(), "run {} is not in the database",
                        run);
        checked_run = run;
      }
      write_cell(cells[i]);
    }
    if (!in_transaction_) StatementUse(stmts_->get(Statements::kCommit, db_, path_), db_, path_).run();
  } catch (const std::exception& e) {
    // SQLite may already have rolled back (e.g. on SQLITE_FULL). Inside a
    // Transaction this rolls the whole of it back, as its contract says.
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    const std::string where = i < cells.size() ? fmt::format("cell {}", cells[i].key) : "commit";
    throw DatabaseError("writing {} cells to {} failed at {} (nothing was written): {}",
                        cells.size(), path_, where, e.what());
  }
}

Database::BulkWriteScope::BulkWriteScope(Database& db) : db_(db) {
  if (db_.bulk_write_scopes_++ == 0) store::exec_script(db_.db_, db_.path_, "PRAGMA foreign_keys = OFF");
}

Database::BulkWriteScope::~BulkWriteScope() {
  if (--db_.bulk_write_scopes_ == 0) {
    sqlite3_exec(db_.db_, "PRAGMA foreign_keys = ON", nullptr, nullptr, nullptr);
  }
}

Database::Transaction::Transaction(Database& db) : db_(db) {
  SB_THROW_IF_NOT(DatabaseError, db_.mode_ == Mode::kReadWrite, "{} is open read-only", db_.path_);
  SB_THROW_IF_NOT(InternalError, !db_.in_transaction_, "{}: nested Transaction", db_.path_);
  store::exec_script(db_.db_, db_.path_, "BEGIN IMMEDIATE");
  db_.in_transaction_ = true;
}

Database::Transaction::~Transaction() {
  if (!db_.in_transaction_) return;
  db_.in_transaction_ = false;
  if (!sqlite3_get_autocommit(db_.db_)) sqlite3_exec(db_.db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

void Database::Transaction::commit() {
  SB_THROW_IF_NOT(DatabaseError, db_.in_transaction_, "{}: the transaction is over", db_.path_);
  // A failed write_cells has rolled back already: committing now would
  // silently keep nothing (or half) of the work.
  SB_THROW_IF_NOT(DatabaseError, !sqlite3_get_autocommit(db_.db_),
                  "{}: the transaction was rolled back by an earlier error", db_.path_);
  store::exec_script(db_.db_, db_.path_, "COMMIT");
  db_.in_transaction_ = false;
}

std::unordered_set<std::string> Database::ok_keys() const {
  std::unordered_set<std::string> keys;
  StatementUse row(stmts_->get(Statements::kOkKeys, db_, path_), db_, path_);
  while (row.step()) keys.insert(row.column_text(0));
  return keys;
}

void Database::attach_details(CellRecord& cell, std::int64_t cell_id, bool with_artifacts) const {
  {
    StatementUse row(stmts_->get(Statements::kMetricsOf, db_, path_), db_, path_);
    row.int64(1, cell_id);
    while (row.step()) cell.metrics.emplace_back(row.column_text(0), row.column_real(1));
  }
  if (!with_artifacts) return;
  StatementUse row(stmts_->get(Statements::kArtifactsOf, db_, path_), db_, path_);
  row.int64(1, cell_id);
  while (row.step()) {
    Artifact a;
    a.name = row.column_text(0);
    std::int64_t n = row.column_int64(1);
    a.values = store::decode_float64_le(row.column_blob(2));
    if (static_cast<std::int64_t>(a.values.size()) != n) {
      throw DatabaseError("{}: artifact '{}' of cell {} declares {} values but holds {} bytes",
                          path_, a.name, cell.key, n, a.values.size() * 8);
    }
    cell.artifacts.push_back(std::move(a));
  }
}

void Database::for_each_cell(const std::string& suite, bool with_artifacts,
                             const std::function<void(const CellRecord&)>& fn) const {
  // Its own statement (not a cached one): `fn` may call other readers.
  std::string sql = fmt::format("SELECT {} FROM cells{}{}", stmts_->cell_select,
                                suite.empty() ? "" : " WHERE suite = ?1", kCellOrder);
  store::Statement stmt(db_, path_, sql);
  StatementUse row(stmt.get(), db_, path_);
  if (!suite.empty()) row.text(1, suite);
  while (row.step()) {
    CellRecord cell = cell_from_row(row);
    attach_details(cell, row.column_int64(21), with_artifacts);
    fn(cell);
  }
}

std::vector<CellRecord> Database::read_cells(const std::string& suite, bool with_artifacts) const {
  std::vector<CellRecord> cells;
  for_each_cell(suite, with_artifacts, [&](const CellRecord& c) { cells.push_back(c); });
  return cells;
}

std::optional<CellRecord> Database::find_cell(const std::string& key, bool with_artifacts) const {
  std::optional<CellRecord> cell;
  std::int64_t cell_id = 0;
  {
    StatementUse row(stmts_->get(Statements::kCellByKey, db_, path_), db_, path_);
    row.text(1, key);
    if (!row.step()) return std::nullopt;
    cell = cell_from_row(row);
    cell_id = row.column_int64(21);
  }
  attach_details(*cell, cell_id, with_artifacts);
  return cell;
}

}  // namespace sb
