#include "results/store/database.h"

#include <gtest/gtest.h>
#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>

#include "harness/core/errors.h"
#include "tests/results/store/store_test_util.h"

namespace sb {
namespace {

using testing_store::make_cell;
using testing_store::make_run;
using testing_store::raw_exec;
using testing_store::ScratchDir;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// Bitwise equality, so that NaN == NaN and -0.0 != 0.0.
bool same_bits(double a, double b) {
  if (std::isnan(a) && std::isnan(b)) return true;
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

std::string scalar(const Database& db, const std::string& sql) {
  QueryResult r = db.query(sql);
  EXPECT_EQ(r.rows.size(), 1u) << sql;
  if (r.rows.empty() || !r.rows[0][0]) return "<null>";
  return *r.rows[0][0];
}

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const DatabaseError& e) {
    return e.what();
  }
  return "<no DatabaseError>";
}

TEST(Store, RoundTripsEveryCellFieldMetricsAndArtifacts) {
  ScratchDir dir;
  const std::string path = dir.file("results.sqlite");
  std::int64_t run_id = 0;
  CellRecord in = make_cell("k1");
  {
    Database db(path, Database::Mode::kReadWrite);
    run_id = db.begin_run(make_run("2026-11-23T08:00:00Z"));
    in.run_id = run_id;
    in.seed = -7;  // any int64
    in.peak_rss_kb = 123456789012;
    in.rank = 63;
    in.wall_seconds = 0.1;
    in.cpu_seconds = -0.0;
    in.method_seconds = 1e-300;
    in.dataset_params = R"({"d":5,"name":"a\"b","n":100})";
    in.error = "";
    in.attempts = 3;
    // Written unsorted; read back in name order. NaN survives as NaN.
    in.metrics = {{"rmse", 0.30000000000000004}, {"auroc", kNaN}, {"bias", -kInf}, {"cover", 1e308}};
    in.artifacts = {{"scores", {1.5, kNaN, -0.0, 3e-320, kInf}}, {"empty", {}}};
    db.write_cells({in});
  }
  Database db(path, Database::Mode::kReadOnly);
  std::vector<CellRecord> cells = db.read_cells("", /*with_artifacts=*/true);
  ASSERT_EQ(cells.size(), 1u);
  const CellRecord& out = cells[0];
  EXPECT_EQ(out.key, in.key);
  EXPECT_EQ(out.suite, in.suite);
  EXPECT_EQ(out.suite_version, in.suite_version);
  EXPECT_EQ(out.dataset, in.dataset);
  EXPECT_EQ(out.dataset_params, in.dataset_params);
  EXPECT_EQ(out.dataset_label, in.dataset_label);
  EXPECT_EQ(out.method, in.method);
  EXPECT_EQ(out.method_params, in.method_params);
  EXPECT_EQ(out.method_label, in.method_label);
  EXPECT_EQ(out.method_version, in.method_version);
  EXPECT_EQ(out.seed, -7);
  EXPECT_EQ(out.status, CellStatus::kOk);
  EXPECT_EQ(out.error, "");
  EXPECT_TRUE(same_bits(out.wall_seconds, 0.1));
  // SQLite stores a REAL -0.0 as 0 (documented in docs/DATABASE.md).
  EXPECT_TRUE(same_bits(out.cpu_seconds, 0.0));
  EXPECT_TRUE(same_bits(out.method_seconds, 1e-300));
  EXPECT_EQ(out.peak_rss_kb, 123456789012);
  EXPECT_EQ(out.rank, 63);
  EXPECT_EQ(out.host, in.host);
  EXPECT_EQ(out.run_id, run_id);
  EXPECT_EQ(out.finished_at, in.finished_at);
  EXPECT_EQ(out.attempts, 3);
  EXPECT_EQ(db.find_cell("k1")->attempts, 3);
  ASSERT_EQ(out.metrics.size(), 4u);
  EXPECT_EQ(out.metrics[0].first, "auroc");
  EXPECT_TRUE(std::isnan(out.metrics[0].second));
  EXPECT_EQ(out.metrics[1].first, "bias");
  EXPECT_EQ(out.metrics[1].second, -kInf);
  EXPECT_EQ(out.metrics[2].first, "cover");
  EXPECT_EQ(out.metrics[2].second, 1e308);
  EXPECT_EQ(out.metrics[3].first, "rmse");
  EXPECT_TRUE(same_bits(out.metrics[3].second, 0.30000000000000004));
  // Artifacts keep their order and every bit.
  ASSERT_EQ(out.artifacts.size(), 2u);
  EXPECT_EQ(out.artifacts[0].name, "scores");
  ASSERT_EQ(out.artifacts[0].values.size(), 5u);
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_TRUE(same_bits(out.artifacts[0].values[i], in.artifacts[0].values[i])) << i;
  }
  EXPECT_EQ(out.artifacts[1].name, "empty");
  EXPECT_TRUE(out.artifacts[1].values.empty());

  // NaN is stored as NULL; the blob is little-endian float64 (1.5 = 0x3FF8...).
  EXPECT_EQ(scalar(db, "SELECT value FROM metrics WHERE name = 'auroc'"), "<null>");
  EXPECT_EQ(scalar(db, "SELECT hex(substr(data, 1, 8)) FROM artifacts WHERE name = 'scores'"),
            "000000000000F83F");
  EXPECT_EQ(scalar(db, "SELECT n FROM artifacts WHERE name = 'scores'"), "5");
  // Without artifacts asked, none are read.
  EXPECT_TRUE(db.read_cells().at(0).artifacts.empty());
  // A failed cell's error text and an absent run id round-trip too.
  EXPECT_EQ(db.find_cell("k1")->metrics.size(), 4u);
  EXPECT_FALSE(db.find_cell("nope").has_value());
}

TEST(Store, FailedCellWithoutRunRoundTrips) {
  ScratchDir dir;
  Database db(dir.file("r.sqlite"), Database::Mode::kReadWrite);
  CellRecord c = make_cell("k", "timeout");
  c.error = "ran past --timeout 30 s";
  c.wall_seconds = kNaN;
  db.write_cells({c});
  CellRecord back = db.find_cell("k").value();
  EXPECT_EQ(back.status, CellStatus::kTimeout);
  EXPECT_EQ(back.error, "ran past --timeout 30 s");
  EXPECT_EQ(back.run_id, 0);
  EXPECT_TRUE(std::isnan(back.wall_seconds));
  EXPECT_TRUE(back.metrics.empty());
  EXPECT_EQ(scalar(db, "SELECT run_id IS NULL FROM cells"), "1");
}

TEST(Store, RunsRoundTripAndFinish) {
  ScratchDir dir;
  Database db(dir.file("r.sqlite"), Database::Mode::kReadWrite);
  RunInfo a = make_run("2026-11-23T08:00:00Z");
  RunInfo b = make_run("2026-11-23T08:30:00Z");
  b.mpi_size = 1;
  // Its inputs are written with it (the run id given is ignored), read back by path.
  b.inputs = {{0, "/d/z.npy", "ffffffffffffffffffffffffffffffff", 8}, {0, "/d/feat", "0123456789abcdef0123456789abcdef", 4096}};
  std::int64_t ia = db.begin_run(a);
  std::int64_t ib = db.begin_run(b);
  EXPECT_NE(ia, ib);
  db.finish_run(ia, "failed-cells", "2026-11-23T08:10:00Z");
  EXPECT_THROW(db.finish_run(999, "ok", "x"), DatabaseError);
  std::vector<RunInfo> runs = db.runs();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].run_id, ia);
  EXPECT_EQ(runs[0].status, "failed-cells");
  EXPECT_EQ(runs[0].finished_at, "2026-11-23T08:10:00Z");
  EXPECT_EQ(runs[0].tool_version, a.tool_version);
  EXPECT_EQ(runs[0].git_commit, a.git_commit);
  EXPECT_EQ(runs[0].build_type, a.build_type);
  EXPECT_EQ(runs[0].compiler, a.compiler);
  EXPECT_EQ(runs[0].hosts, a.hosts);
  EXPECT_EQ(runs[0].mpi_size, 64);
  EXPECT_EQ(runs[0].started_at, a.started_at);
  EXPECT_EQ(runs[0].config_path, a.config_path);
  EXPECT_EQ(runs[0].config_text, a.config_text);
  EXPECT_EQ(runs[0].command_line, a.command_line);
  EXPECT_EQ(runs[1].run_id, ib);
  EXPECT_EQ(runs[1].status, "running");
  EXPECT_EQ(runs[1].finished_at, "");
  EXPECT_EQ(runs[1].mpi_size, 1);
  EXPECT_TRUE(runs[0].inputs.empty());
  ASSERT_EQ(runs[1].inputs.size(), 2u);
  EXPECT_EQ(runs[1].inputs[0].run_id, ib);
  EXPECT_EQ(runs[1].inputs[0].path, "/d/feat");
  EXPECT_EQ(runs[1].inputs[0].hash, "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(runs[1].inputs[0].size_bytes, 4096);
  EXPECT_EQ(runs[1].inputs[1].path, "/d/z.npy");
  EXPECT_EQ(db.run_inputs(ib).size(), 2u);
  EXPECT_TRUE(db.run_inputs(ia).empty());
}

TEST(Store, WritingAnExistingKeyReplacesTheCellItsMetricsAndArtifacts) {
  ScratchDir dir;
  Database db(dir.file("r.sqlite"), Database::Mode::kReadWrite);
  CellRecord first = make_cell("k", "ok", {{"a", 1}, {"b", 2}});
  first.artifacts = {{"scores", {1, 2, 3}}};
  db.write_cells({first, make_cell("other")});
  CellRecord second = make_cell("k", "error");
  second.metrics = {{"c", 3}};
  db.write_cells({second});

  auto cells = db.read_cells("", true);
  ASSERT_EQ(cells.size(), 2u);
  CellRecord back = db.find_cell("k", true).value();
  EXPECT_EQ(back.status, CellStatus::kError);
  ASSERT_EQ(back.metrics.size(), 1u);
  EXPECT_EQ(back.metrics[0].first, "c");
  EXPECT_TRUE(back.artifacts.empty());
  EXPECT_EQ(scalar(db, "SELECT count(metric) FROM results WHERE cell_key = 'k'"), "1");
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM artifacts"), "0");
  EXPECT_EQ(scalar(db, "SELECT count(metric) FROM results WHERE cell_key = 'other'"), "1");
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM metrics"), "2");  // no orphans left behind
}

TEST(Store, AFailingBatchWritesNothing) {
  ScratchDir dir;
  Database db(dir.file("r.sqlite"), Database::Mode::kReadWrite);
  db.write_cells({make_cell("before")});
  CellRecord no_key = make_cell("bad");
  no_key.key.clear();
  std::string msg = error_of([&] { db.write_cells({make_cell("a"), no_key}); });
  EXPECT_NE(msg.find("empty key"), std::string::npos) << msg;

  CellRecord duplicate_metric = make_cell("dup", "ok", {{"m", 1}, {"m", 2}});
  EXPECT_THROW(db.write_cells({make_cell("a"), duplicate_metric}), DatabaseError);

  CellRecord unknown_run = make_cell("r");
  unknown_run.run_id = 42;  // no such run: foreign key
  EXPECT_THROW(db.write_cells({make_cell("a"), unknown_run}), DatabaseError);

  EXPECT_EQ(scalar(db, "SELECT group_concat(key) FROM cells"), "before");
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM metrics"), "1");
  // The connection is usable after a rollback.
  db.write_cells({make_cell("after")});
  EXPECT_EQ(db.read_cells().size(), 2u);
}

// A BulkWriteScope keeps foreign keys off across batches (nested scopes
// too) and restores them after; the writer's own reference checks hold
// inside it, and a replaced cell leaves no orphan metrics.
TEST(Store, BulkWriteScopeKeepsReferencesChecked) {
  ScratchDir dir;
  Database db(dir.file("b.sqlite"), Database::Mode::kReadWrite);
  {
    Database::BulkWriteScope scope(db);
    EXPECT_EQ(scalar(db, "PRAGMA foreign_keys"), "0");
    {
      Database::BulkWriteScope nested(db);
      db.write_cells({make_cell("a", "ok", {{"m", 1}})});
    }
    EXPECT_EQ(scalar(db, "PRAGMA foreign_keys"), "0");
    db.write_cells({make_cell("a", "ok", {{"m", 2}, {"n", 3}})});  // replaces a
    CellRecord unknown_run = make_cell("r");
    unknown_run.run_id = 42;
    EXPECT_THROW(db.write_cells({make_cell("b"), unknown_run}), DatabaseError);
  }
  EXPECT_EQ(scalar(db, "PRAGMA foreign_keys"), "1");
  EXPECT_EQ(scalar(db, "SELECT group_concat(key) FROM cells"), "a");
  EXPECT_EQ(scalar(db, "SELECT group_concat(name || '=' || value) FROM metrics"), "m=2.0,n=3.0");
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM pragma_foreign_key_check"), "0");
}

// The writer inserts a cell's metrics 32 rows per statement: 0, 1, 32, 33
// and 70 metrics all round-trip, and a duplicate in the second statement
// still fails the whole batch.
TEST(Store, ManyMetricsPerCellRoundTrip) {
  ScratchDir dir;
  Database db(dir.file("m.sqlite"), Database::Mode::kReadWrite);
  std::vector<CellRecord> cells;
  for (int count : {0, 1, 32, 33, 70}) {
    std::vector<std::pair<std::string, double>> metrics;
    for (int m = 0; m < count; ++m) metrics.emplace_back(fmt::format("m{:03}", m), 0.5 * m);
    cells.push_back(make_cell(fmt::format("k{}", count), "ok", metrics));
  }
  db.write_cells(cells);
  for (const auto& cell : db.read_cells()) {
    const auto& original = *std::find_if(cells.begin(), cells.end(),
                                         [&](const CellRecord& c) { return c.key == cell.key; });
    EXPECT_EQ(cell.metrics, original.metrics) << cell.key;
  }
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM metrics"), "136");
  std::vector<std::pair<std::string, double>> duplicated;
  for (int m = 0; m < 40; ++m) duplicated.emplace_back(fmt::format("m{:03}", m), m);
  duplicated.emplace_back("m035", 1.0);
  EXPECT_THROW(db.write_cells({make_cell("dup", "ok", duplicated)}), DatabaseError);
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM cells"), "5");
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM metrics"), "136");
}

TEST(Store, OkKeysAreTheOkCellsOnly) {
  ScratchDir dir;
  Database db(dir.file("r.sqlite"), Database::Mode::kReadWrite);
  db.write_cells({make_cell("a"), make_cell("b", "error"), make_cell("c", "timeout"),
                  make_cell("d", "crashed"), make_cell("e")});
  EXPECT_EQ(db.ok_keys(), (std::unordered_set<std::string>{"a", "e"}));
  db.write_cells({make_cell("b")});  // a rerun that succeeded
  EXPECT_EQ(db.ok_keys(), (std::unordered_set<std::string>{"a", "b", "e"}));
}

TEST(Store, ReadCellsIsOrderedAndFiltersBySuite) {
  ScratchDir dir;
  Database db(dir.file("r.sqlite"), Database::Mode::kReadWrite);
  auto cell = [](std::string key, std::string suite, std::string ds, std::string m, int seed) {
    CellRecord c = make_cell(key);
    c.suite = suite;
    c.dataset_label = ds;
    c.method_label = m;
    c.seed = seed;
    return c;
  };
  db.write_cells({cell("k6", "ood", "a", "x", 0), cell("k5", "est", "b", "x", 0),
                  cell("k4", "est", "a", "y", 0), cell("k3", "est", "a", "x", 10),
                  cell("k2", "est", "a", "x", 2), cell("k1", "est", "a", "x", 2)});
  std::vector<std::string> keys;
  for (const auto& c : db.read_cells()) keys.push_back(c.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"k1", "k2", "k3", "k4", "k5", "k6"}));
  keys.clear();
  for (const auto& c : db.read_cells("ood")) keys.push_back(c.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"k6"}));
  EXPECT_TRUE(db.read_cells("selection").empty());
}

TEST(Store, ViewsFlattenCellsAndCountStatuses) {
  ScratchDir dir;
  Database db(dir.file("r.sqlite"), Database::Mode::kReadWrite);
  CellRecord ok = make_cell("k1", "ok", {{"rmse", 0.5}, {"bias", kNaN}});
  CellRecord failed = make_cell("k2", "error");
  CellRecord other = make_cell("k3", "timeout");
  other.method_label = "sample-mean";
  db.write_cells({ok, failed, other});

  QueryResult r = db.query(
      "SELECT cell_key, metric, value, status, suite, dataset_label, method_label, seed, run_id "
      "FROM results ORDER BY cell_key, metric");
  ASSERT_EQ(r.rows.size(), 4u);
  EXPECT_EQ(r.columns, (std::vector<std::string>{"cell_key", "metric", "value", "status", "suite",
                                                 "dataset_label", "method_label", "seed", "run_id"}));
  EXPECT_EQ(r.rows[0][0], "k1");
  EXPECT_EQ(r.rows[0][1], "bias");
  EXPECT_EQ(r.rows[0][2], std::nullopt);  // NaN
  EXPECT_EQ(r.rows[1][1], "rmse");
  EXPECT_EQ(r.rows[1][2], "0.5");
  EXPECT_EQ(r.rows[1][3], "ok");
  EXPECT_EQ(r.rows[1][4], "estimation");
  EXPECT_EQ(r.rows[1][5], "corrupted-mean[n=100]");
  EXPECT_EQ(r.rows[1][6], "trimmed-mean[trim=0.1]");
  EXPECT_EQ(r.rows[1][7], "3");
  EXPECT_EQ(r.rows[1][8], std::nullopt);
  // A failed cell appears once, without a metric.
  EXPECT_EQ(r.rows[2][0], "k2");
  EXPECT_EQ(r.rows[2][1], std::nullopt);
  EXPECT_EQ(r.rows[2][3], "error");
  EXPECT_EQ(r.rows[3][0], "k3");

  QueryResult s = db.query(
      "SELECT suite, method_label, cells, ok, error, timeout, crashed FROM cell_status "
      "ORDER BY method_label");
  ASSERT_EQ(s.rows.size(), 2u);
  using Row = std::vector<std::optional<std::string>>;
  EXPECT_EQ(s.rows[0], (Row{"estimation", "sample-mean", "1", "0", "0", "1", "0"}));
  EXPECT_EQ(s.rows[1], (Row{"estimation", "trimmed-mean[trim=0.1]", "2", "1", "1", "0", "0"}));
}

TEST(Store, QueryRunsExactlyOneStatement) {
  ScratchDir dir;
  Database db(dir.file("r.sqlite"), Database::Mode::kReadWrite);
  QueryResult r = db.query("SELECT 1 AS one, 0.1 AS tenth, NULL AS nil, 'x' AS t, "
                           "x'00ff' AS b; -- trailing comment");
  EXPECT_EQ(r.columns, (std::vector<std::string>{"one", "tenth", "nil", "t", "b"}));
  ASSERT_EQ(r.rows.size(), 1u);
  using Row = std::vector<std::optional<std::string>>;
  EXPECT_EQ(r.rows[0], (Row{"1", "0.1", std::nullopt, "x", "X'00ff'"}));
  EXPECT_THROW(db.query("SELECT 1; SELECT 2"), BadStatementError);
  EXPECT_THROW(db.query("SELECT 1; DROP TABLE cells"), BadStatementError);
  EXPECT_THROW(db.query("   "), BadStatementError);
  EXPECT_THROW(db.query("SELEC 1"), BadStatementError);
  EXPECT_THROW(db.query("SELECT * FROM cellz"), BadStatementError);
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'cells'"), "1");
  // A read-write database accepts writes through query().
  db.query("INSERT INTO meta(key, value) VALUES('note', 'hello')");
  EXPECT_EQ(scalar(db, "SELECT value FROM meta WHERE key = 'note'"), "hello");
}

TEST(Store, QueryStopsAtItsTimeLimit) {
  ScratchDir dir;
  Database db(dir.file("r.sqlite"), Database::Mode::kReadWrite);
  const std::string forever =
      "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c";
  try {
    db.query(forever, 0.2);
    ADD_FAILURE() << "the query was not stopped";
  } catch (const QueryTimeoutError& e) {
    EXPECT_NE(std::string(e.what()).find("stopped after 0.2 s"), std::string::npos) << e.what();
  }
  // The limit ends with the query: the connection answers the next one.
  EXPECT_EQ(scalar(db, "SELECT 40 + 2"), "42");
  EXPECT_EQ(db.query("SELECT 1", 30).rows.size(), 1u);
}

TEST(Store, SchemaMetaAndPragmas) {
  ScratchDir dir;
  Database db(dir.file("r.sqlite"), Database::Mode::kReadWrite);
  EXPECT_EQ(Database::schema_version(), 4);
  EXPECT_EQ(scalar(db, "SELECT value FROM meta WHERE key = 'schema_version'"), "4");
  EXPECT_EQ(scalar(db, "SELECT value FROM meta WHERE key = 'created_by'"), "shardbench");
  EXPECT_EQ(scalar(db, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(scalar(db, "PRAGMA foreign_keys"), "1");
  EXPECT_EQ(scalar(db, "PRAGMA synchronous"), "1");  // NORMAL
  EXPECT_EQ(scalar(db, "PRAGMA busy_timeout"), "10000");
  EXPECT_EQ(scalar(db, "PRAGMA page_size"), "65536");         // a new file
  EXPECT_EQ(scalar(db, "PRAGMA wal_autocheckpoint"), "256");  // 16 MiB of 64 KiB pages
  // Reopening an existing database keeps its contents.
  db.write_cells({make_cell("k")});
  Database again(dir.file("r.sqlite"), Database::Mode::kReadWrite);
  EXPECT_EQ(again.read_cells().size(), 1u);
}

TEST(Store, ReadOnlyRefusesEveryWrite) {
  ScratchDir dir;
  const std::string path = dir.file("r.sqlite");
  { Database(path, Database::Mode::kReadWrite).write_cells({make_cell("k")}); }
  Database db(path, Database::Mode::kReadOnly);
  EXPECT_EQ(db.read_cells().size(), 1u);
  // A refused statement is the user's error (exit 2), not the database's.
  EXPECT_THROW(db.query("INSERT INTO meta(key, value) VALUES('a', 'b')"), InputError);
  EXPECT_THROW(db.query("DELETE FROM cells"), InputError);
  EXPECT_THROW(db.query("DROP VIEW results"), InputError);
  EXPECT_THROW(db.query("CREATE TABLE t(x)"), InputError);
  EXPECT_THROW(db.write_cells({make_cell("k2")}), DatabaseError);
  EXPECT_THROW(db.begin_run(make_run("t")), DatabaseError);
  EXPECT_THROW(db.mark_stale_runs(), DatabaseError);
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM cells"), "1");
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM meta"), "2");
}

TEST(Store, MissingFileIsAnErrorReadOnlyAndCreatedReadWrite) {
  ScratchDir dir;
  const std::string path = dir.file("absent.sqlite");
  try {  // a wrong path is bad input (exit 2), not a database failure
    Database db(path, Database::Mode::kReadOnly);
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "no database at " + path + " (write one with `shardbench run`, or give --db FILE)");
  }
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_THROW(Database(dir.file("no/such/dir/r.sqlite"), Database::Mode::kReadWrite),
               DatabaseError);
  Database db(path, Database::Mode::kReadWrite);
  EXPECT_TRUE(std::filesystem::exists(path));
}

TEST(Store, RefusesFilesThatAreNotShardbenchDatabases) {
  ScratchDir dir;
  const std::string text = dir.file("notes.txt");
  std::ofstream(text) << "suite = \"estimation\"\nthis is not a database at all, just text\n";
  for (auto mode : {Database::Mode::kReadOnly, Database::Mode::kReadWrite}) {
    std::string msg = error_of([&] { Database db(text, mode); });
    EXPECT_NE(msg.find(text), std::string::npos) << msg;
    EXPECT_NE(msg.find("not a shardbench database"), std::string::npos) << msg;
  }
  const std::string foreign = dir.file("foreign.sqlite");
  raw_exec(foreign, "CREATE TABLE people(name TEXT); INSERT INTO people VALUES('ada');");
  for (auto mode : {Database::Mode::kReadOnly, Database::Mode::kReadWrite}) {
    std::string msg = error_of([&] { Database db(foreign, mode); });
    EXPECT_EQ(msg, foreign + " is not a shardbench database (it has no meta.schema_version)");
  }
  // The foreign database was not touched (still in rollback-journal mode, no meta).
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(foreign.c_str(), &raw), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(raw, "SELECT (SELECT journal_mode FROM pragma_journal_mode), "
                               "(SELECT count(*) FROM sqlite_schema WHERE name = 'meta')", -1, &st, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "delete");
  EXPECT_EQ(sqlite3_column_int(st, 1), 0);
  sqlite3_finalize(st);
  sqlite3_close(raw);
}

TEST(Store, RefusesANewerSchemaVersion) {
  ScratchDir dir;
  const std::string path = dir.file("results.sqlite");
  { Database db(path, Database::Mode::kReadWrite); }
  raw_exec(path, "UPDATE meta SET value = '999' WHERE key = 'schema_version'");
  for (auto mode : {Database::Mode::kReadOnly, Database::Mode::kReadWrite}) {
    EXPECT_EQ(error_of([&] { Database db(path, mode); }),
              path + " has schema version 999; this shardbench reads up to 4 — upgrade shardbench");
  }
  raw_exec(path, "UPDATE meta SET value = 'one' WHERE key = 'schema_version'");
  EXPECT_NE(error_of([&] { Database db(path, Database::Mode::kReadOnly); })
                .find("not a shardbench database (meta.schema_version is 'one')"),
            std::string::npos);
}

}  // namespace
}  // namespace sb
