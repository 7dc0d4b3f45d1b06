#include "results/store/schema.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <string_view>

#include "harness/core/errors.h"
#include "results/store/sqlite_util.h"

namespace sb::store {
namespace {

// Version 1. Metrics and artifacts refer to their cell by an integer id
// (cells.cell_id), not by the 32-character key: new cells get increasing ids,
// so their metric rows are appended instead of scattered over the B-tree by
// the random (hash) keys -- 2.5x the write throughput of a text reference.
// Write cost per cell is kept low on purpose (rank 0 writes every cell of a
// run): status is checked by a chain of `=` (an `IN (...)` list makes SQLite
// build an ephemeral table on every insert), and there is no index on the
// labels (inserts in grid order would land all over it; readers sort
// instead, which costs nothing visible at 10^5 cells).
// Empty strings of optional text (error, finished_at) are stored
// as NULL; run_id 0 (no run) is stored as NULL; NaN reals are stored as NULL.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE meta(
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE runs(
  run_id       INTEGER PRIMARY KEY,
  tool_version TEXT NOT NULL,
  git_commit   TEXT NOT NULL,
  build_type   TEXT NOT NULL,
  compiler     TEXT NOT NULL,
  hosts        TEXT NOT NULL,
  mpi_size     INTEGER NOT NULL,
  started_at   TEXT NOT NULL,
  finished_at  TEXT,
  status       TEXT NOT NULL,
  config_path  TEXT NOT NULL,
  config_text  TEXT NOT NULL,
  command_line TEXT NOT NULL
);
CREATE TABLE cells(
  cell_id        INTEGER PRIMARY KEY,
  key            TEXT NOT NULL UNIQUE,
  suite          TEXT NOT NULL,
  suite_version  TEXT NOT NULL,
  dataset        TEXT NOT NULL,
  dataset_params TEXT NOT NULL,
  dataset_label  TEXT NOT NULL,
  method         TEXT NOT NULL,
  method_params  TEXT NOT NULL,
  method_label   TEXT NOT NULL,
  method_version TEXT NOT NULL,
  seed           INTEGER NOT NULL,
  status         TEXT NOT NULL CHECK(status = 'ok' OR status = 'error' OR
                                     status = 'timeout' OR status = 'crashed'),
  error          TEXT,
  wall_seconds   REAL,
  cpu_seconds    REAL,
  method_seconds REAL,
  peak_rss_kb    INTEGER NOT NULL,
  rank           INTEGER NOT NULL,
  host           TEXT NOT NULL,
  run_id         INTEGER REFERENCES runs(run_id),
  finished_at    TEXT NOT NULL
);
CREATE INDEX cells_by_status ON cells(status);
CREATE TABLE metrics(
  cell_id INTEGER NOT NULL REFERENCES cells(cell_id) ON DELETE CASCADE,
  name    TEXT NOT NULL,
  value   REAL,
  PRIMARY KEY(cell_id, name)
) WITHOUT ROWID;
CREATE TABLE artifacts(
  cell_id INTEGER NOT NULL REFERENCES cells(cell_id) ON DELETE CASCADE,
  name    TEXT NOT NULL,
  n       INTEGER NOT NULL,
  data    BLOB NOT NULL,
  PRIMARY KEY(cell_id, name)
);
CREATE VIEW results AS
  SELECT c.suite, c.dataset, c.dataset_params, c.dataset_label,
         c.method, c.method_params, c.method_label, c.seed, c.status,
         m.name AS metric, m.value, c.key AS cell_key, c.run_id
  FROM cells AS c LEFT JOIN metrics AS m ON m.cell_id = c.cell_id;
CREATE VIEW cell_status AS
  SELECT suite, method_label,
         count(*) AS cells,
         sum(status = 'ok') AS ok,
         sum(status = 'error') AS error,
         sum(status = 'timeout') AS timeout,
         sum(status = 'crashed') AS crashed
  FROM cells GROUP BY suite, method_label;
)sql";

// Version 2: references (docs/ARCHITECTURE.md, "References"): one row per
// reference computation, keyed by content like cells; `output` holds its
// metrics and artifacts (harness/core/cell_output.h encoding, little-endian).
constexpr const char* kSchemaV2Additions = R"sql(
CREATE TABLE refs(
  key           TEXT PRIMARY KEY,
  suite         TEXT NOT NULL,
  suite_version TEXT NOT NULL,
  name          TEXT NOT NULL,
  version       TEXT NOT NULL,
  params        TEXT NOT NULL,
  label         TEXT NOT NULL,
  seed          INTEGER NOT NULL,
  status        TEXT NOT NULL CHECK(status = 'ok' OR status = 'error' OR
                                    status = 'timeout' OR status = 'crashed'),
  error         TEXT,
  wall_seconds  REAL,
  cpu_seconds   REAL,
  peak_rss_kb   INTEGER NOT NULL,
  rank          INTEGER NOT NULL,
  host          TEXT NOT NULL,
  run_id        INTEGER REFERENCES runs(run_id),
  finished_at   TEXT NOT NULL,
  output        BLOB
);
CREATE VIEW reference_status AS
  SELECT suite, name, label, count(*) AS refs,
         sum(status = 'ok') AS ok, sum(status != 'ok') AS failed,
         sum(wall_seconds) AS wall_seconds, sum(cpu_seconds) AS cpu_seconds,
         max(peak_rss_kb) AS peak_rss_kb
  FROM refs GROUP BY suite, name, label;
)sql";

// Version 3: the machine of each run (hosts and ranks per host, CPU, memory,
// MPI library, launcher, scheduler job, OS, library versions) as one JSON
// object of strings; run_environment flattens it for queries.
constexpr const char* kSchemaV3Additions = R"sql(
ALTER TABLE runs ADD COLUMN environment TEXT NOT NULL DEFAULT '{}';
CREATE VIEW run_environment AS
  SELECT r.run_id, e.key AS name, e.value AS value
  FROM runs AS r, json_each(r.environment) AS e;
)sql";

// Version 4: retries and inputs. `cells.attempts` is how many times the cell
// was run in its run to reach its outcome (`--max-retries`; cells recorded
// before read 1). `run_inputs` lists the user files whose content entered
// a run's cell keys (docs/EXTERNAL.md, "Content-hashed inputs"), written
// once per run by rank 0.
constexpr const char* kSchemaV4Additions = R"sql(
ALTER TABLE cells ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1;
CREATE TABLE run_inputs(
  run_id     INTEGER NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
  path       TEXT NOT NULL,
  hash       TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  PRIMARY KEY(run_id, path)
) WITHOUT ROWID;
)sql";

constexpr std::array<Migration, 3> kMigrations{Migration{1, 2, kSchemaV2Additions},
                                               Migration{2, 3, kSchemaV3Additions},
                                               Migration{3, 4, kSchemaV4Additions}};

// Runs a single-row, single-column query; nullopt when it returns no row.
std::optional<std::string> query_text(sqlite3* db, const std::string& path, std::string_view sql) {
  Statement stmt(db, path, sql);
  StatementUse use(stmt.get(), db, path);
  if (!use.step()) return std::nullopt;
  return use.column_text(0);
}

void set_meta(sqlite3* db, const std::string& path, std::string_view key, std::string_view value) {
  Statement stmt(db, path, "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)");
  StatementUse(stmt.get(), db, path).text(1, key).text(2, value).run();
}

bool table_exists(sqlite3* db, const std::string& path, std::string_view name) {
  Statement stmt(db, path, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1");
  StatementUse use(stmt.get(), db, path);
  use.text(1, name);
  return use.step();
}

// meta.schema_version of an existing database; throws if it is not ours.
int read_schema_version(sqlite3* db, const std::string& path) {
  std::optional<std::string> text;
  if (table_exists(db, path, "meta")) {
    text = query_text(db, path, "SELECT value FROM meta WHERE key = 'schema_version'");
  }
  if (!text) {
    throw DatabaseError("{} is not a shardbench database (it has no meta.schema_version)", path);
  }
  int version = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), version);
  if (ec != std::errc() || end != text->data() + text->size() || version < 1) {
    throw DatabaseError("{} is not a shardbench database (meta.schema_version is '{}')", path,
                        *text);
  }
  return version;
}

void create_schema(sqlite3* db, const std::string& path) {
  exec_script(db, path, kSchemaV1);
  exec_script(db, path, kSchemaV2Additions);
  exec_script(db, path, kSchemaV3Additions);
  exec_script(db, path, kSchemaV4Additions);
  set_meta(db, path, "schema_version", std::to_string(kSchemaVersion));
  set_meta(db, path, "created_by", "shardbench");
}

// Opens a write transaction, rolls it back unless committed.
class WriteTransaction {
 public:
  WriteTransaction(sqlite3* db, const std::string& path) : db_(db), path_(path) {
    exec_script(db_, path_, "BEGIN IMMEDIATE");
  }
  ~WriteTransaction() {
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  void commit() { exec_script(db_, path_, "COMMIT"); }

 private:
  sqlite3* db_;
  const std::string& path_;
};

}  // namespace

std::span<const Migration> builtin_migrations() { return kMigrations; }

void migrate(sqlite3* db, const std::string& path, int from, int to,
             std::span<const Migration> steps) {
  exec_script(db, path, "SAVEPOINT sb_migrate");
  try {
    int version = from;
    while (version < to) {
      const Migration* step = nullptr;
      for (const Migration& m : steps) {
        if (m.from == version && m.to > version && m.to <= to) step = &m;
      }
      if (!step) {
        throw DatabaseError("{} has schema version {}; this shardbench has no migration from it "
                            "to version {}",
                            path, version, to);
      }
      char* err = nullptr;
      if (sqlite3_exec(db, step->sql, nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errmsg(db);
        sqlite3_free(err);
        throw DatabaseError("{}: migrating schema version {} to {} failed: {}", path, step->from,
                            step->to, msg);
      }
      version = step->to;
    }
    set_meta(db, path, "schema_version", std::to_string(to));
    exec_script(db, path, "RELEASE sb_migrate");
  } catch (...) {
    sqlite3_exec(db, "ROLLBACK TO sb_migrate; RELEASE sb_migrate", nullptr, nullptr, nullptr);
    throw;
  }
}

static void check_not_newer(const std::string& path, int version) {
  if (version > kSchemaVersion) {
    throw DatabaseError("{} has schema version {}; this shardbench reads up to {} — upgrade "
                        "shardbench",
                        path, version, kSchemaVersion);
  }
}

void prepare_schema(sqlite3* db, const std::string& path, bool read_write) {
  sqlite3_busy_timeout(db, 10'000);
  // The first read of the file: a text file fails here with SQLITE_NOTADB.
  sqlite3_stmt* probe = nullptr;
  int rc = sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_schema", -1, &probe, nullptr);
  if (rc == SQLITE_OK) rc = sqlite3_step(probe);
  const bool empty = rc == SQLITE_ROW && sqlite3_column_int64(probe, 0) == 0;
  sqlite3_finalize(probe);
  if (rc != SQLITE_ROW) {
    if (sqlite3_errcode(db) == SQLITE_NOTADB) {
      throw DatabaseError("{} is not a shardbench database (not an SQLite file)", path);
    }
    throw_sqlite(db, path, "reading the schema");
  }

  if (!read_write) {
    int version = read_schema_version(db, path);
    check_not_newer(path, version);
    // Older versions read as they are: version 1 as a database without
    // references, versions 1 and 2 as runs without environment, versions
    // 1 to 3 as cells run once and runs without recorded inputs.
    if (version < 1) {
      throw DatabaseError("{} has schema version {}; open it read-write once to migrate it to "
                          "version {}",
                          path, version, kSchemaVersion);
    }
    return;
  }

  // Refuse someone else's database before changing anything in it.
  if (!empty) check_not_newer(path, read_schema_version(db, path));

  // Pragmas outside any transaction (foreign_keys is a no-op inside one).
  // The largest pages for a new file: a run's writer then issues a quarter
  // of the WAL writes of 16 KiB pages and builds shallower B-trees (40,000
  // Kang-Schafer cells: 0.18 s less CPU over the run; store_bench in batches
  // of 20,000: 0.36 s against 0.45 s). Only effective before the first write.
  if (empty) exec_script(db, path, "PRAGMA page_size = 65536");
  exec_script(db, path, "PRAGMA foreign_keys = ON");
  std::optional<std::string> mode = query_text(db, path, "PRAGMA journal_mode = WAL");
  if (!mode || *mode != "wal") {
    throw DatabaseError("{}: cannot switch to WAL journal mode (got '{}')", path,
                        mode.value_or(""));
  }
  exec_script(db, path, "PRAGMA synchronous = NORMAL");
  // Throughput of batched writes: an 8 MiB page cache holds the pages that
  // inserts touch (the tables' right edges, the key index); a larger one only
  // grows the writer's memory (64 MiB cost the Kang-Schafer run 0.13 s more
  // CPU, and store_bench 15% more time, in page faults and cache misses).
  // Checkpoint the WAL every 16 MiB (in pages of this file's size), on the
  // writer thread while the farm computes, so that little is left to copy
  // back when the run closes the database; sorts of readers in memory.
  const std::string page_size = query_text(db, path, "PRAGMA page_size").value_or("4096");
  const long pages_per_checkpoint =
      std::max(1L, (16L << 20) / std::max(512L, std::stol(page_size)));
  const std::string pragmas =
      "PRAGMA cache_size = -8192; PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = " +
      std::to_string(pages_per_checkpoint) + "; PRAGMA journal_size_limit = 67108864";
  exec_script(db, path, pragmas.c_str());

  // Checked again under the write lock: another process may have created or
  // migrated the schema meanwhile.
  WriteTransaction tx(db, path);
  auto objects = query_text(db, path, "SELECT count(*) FROM sqlite_schema");
  if (objects && *objects == "0") {
    create_schema(db, path);
  } else {
    int version = read_schema_version(db, path);
    check_not_newer(path, version);
    if (version < kSchemaVersion) migrate(db, path, version, kSchemaVersion, builtin_migrations());
  }
  tx.commit();
}

}  // namespace sb::store
