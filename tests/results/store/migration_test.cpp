#include <gtest/gtest.h>

#include <string>

#include "harness/core/errors.h"
#include "results/store/database.h"
#include "results/store/schema.h"
#include "tests/results/store/store_test_util.h"

namespace sb {
namespace {

using testing_store::ScratchDir;

// A raw connection to a freshly created version-1 database.
class RawDb {
 public:
  explicit RawDb(const std::string& path) : path_(path) {
    { Database created(path, Database::Mode::kReadWrite); }
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK);
    // Back to version 1: without what versions 2 (the refs table), 3
    // (runs.environment) and 4 (cells.attempts, run_inputs) added.
    EXPECT_EQ(sqlite3_exec(db_,
                           "DROP TABLE run_inputs; ALTER TABLE cells DROP COLUMN attempts; "
                           "DROP VIEW run_environment; ALTER TABLE runs DROP COLUMN environment; "
                           "DROP VIEW reference_status; DROP TABLE refs; "
                           "UPDATE meta SET value = '1' WHERE key = 'schema_version'",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
  }
  ~RawDb() { sqlite3_close(db_); }
  sqlite3* get() const { return db_; }
  std::string text(const std::string& sql) const {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
    std::string out = "<none>";
    if (sqlite3_step(st) == SQLITE_ROW) {
      auto* p = sqlite3_column_text(st, 0);
      out = p ? reinterpret_cast<const char*>(p) : "<null>";
    }
    sqlite3_finalize(st);
    return out;
  }
  std::string version() const {
    return text("SELECT value FROM meta WHERE key = 'schema_version'");
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
};

// Test-only steps (the production table, builtin_migrations, has 1 -> 2).
constexpr store::Migration kSteps[] = {
    {1, 2, "ALTER TABLE cells ADD COLUMN note TEXT;"},
    {2, 3, "CREATE TABLE extra(x INTEGER); INSERT INTO extra VALUES(42);"},
    {3, 4, "CREATE TABLE extra4(x INTEGER);"},
    {4, 5, "CREATE TABLE extra5(x INTEGER);"},
};

TEST(StoreMigration, BuiltinStepsLeadFromVersionOneToTheCurrentVersion) {
  ASSERT_EQ(store::builtin_migrations().size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(store::builtin_migrations()[static_cast<size_t>(i)].from, i + 1);
    EXPECT_EQ(store::builtin_migrations()[static_cast<size_t>(i)].to, i + 2);
  }
  EXPECT_EQ(store::kSchemaVersion, Database::schema_version());
  EXPECT_EQ(store::kSchemaVersion, 4);
}

TEST(StoreMigration, OpeningAVersionOneDatabaseForWritingAddsTheRefsTable) {
  ScratchDir dir;
  std::string path = dir.file("r.sqlite");
  {
    RawDb db(path);
    EXPECT_EQ(db.version(), "1");
  }
  Database migrated(path, Database::Mode::kReadWrite);
  EXPECT_EQ(migrated.query("SELECT value FROM meta WHERE key = 'schema_version'").rows.at(0).at(0).value_or(""), "4");
  EXPECT_EQ(migrated.query("SELECT count(*) FROM refs").rows.at(0).at(0).value_or(""), "0");
  EXPECT_EQ(migrated.query("SELECT count(*) FROM run_environment").rows.at(0).at(0).value_or(""), "0");
}

// Version 2 -> 3: runs recorded before get an empty environment; a
// version-2 file reads as it is, read-only.
TEST(StoreMigration, AVersionTwoDatabaseKeepsItsRunsAndGainsTheEnvironment) {
  ScratchDir dir;
  std::string path = dir.file("r.sqlite");
  RunInfo run;
  run.tool_version = "0.1";
  run.hosts = "h";
  run.status = "ok";
  run.environment = {{"mpi_library", "Open MPI v4.1.4"}, {"cpu_cores", "2"}};
  {
    Database created(path, Database::Mode::kReadWrite);
    created.add_run(run);
  }
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw,
                           "DROP TABLE run_inputs; ALTER TABLE cells DROP COLUMN attempts; "
                           "DROP VIEW run_environment; ALTER TABLE runs DROP COLUMN environment; "
                           "UPDATE meta SET value = '2' WHERE key = 'schema_version'",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(raw);
  }
  {
    Database reader(path, Database::Mode::kReadOnly);
    ASSERT_EQ(reader.runs().size(), 1u);
    EXPECT_TRUE(reader.runs()[0].environment.empty());
  }
  Database migrated(path, Database::Mode::kReadWrite);
  EXPECT_EQ(migrated.query("SELECT value FROM meta WHERE key = 'schema_version'").rows.at(0).at(0).value_or(""), "4");
  ASSERT_EQ(migrated.runs().size(), 1u);
  EXPECT_EQ(migrated.runs()[0].tool_version, "0.1");
  EXPECT_TRUE(migrated.runs()[0].environment.empty());
  const std::int64_t id = migrated.add_run(run);
  EXPECT_EQ(migrated.runs().at(1).environment, run.environment);  // in its recorded order
  EXPECT_EQ(migrated.query(fmt::format("SELECT value FROM run_environment WHERE run_id = {} AND name = 'cpu_cores'", id))
                .rows.at(0).at(0).value_or(""),
            "2");
}

// Version 3 -> 4: cells recorded before took one attempt and runs before
// recorded no inputs; a version-3 file reads so read-only, unchanged.
TEST(StoreMigration, AVersionThreeDatabaseReadsItsCellsAsOneAttemptAndGainsRunInputs) {
  ScratchDir dir;
  std::string path = dir.file("r.sqlite");
  std::int64_t run_id = 0;
  {
    Database created(path, Database::Mode::kReadWrite);
    RunInfo run;
    run.status = "ok";
    run_id = created.add_run(run);
    CellRecord cell = testing_store::make_cell("k1", "error");
    cell.run_id = run_id;
    cell.attempts = 3;  // dropped with the column below
    created.write_cells({cell});
  }
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw,
                           "DROP TABLE run_inputs; ALTER TABLE cells DROP COLUMN attempts; "
                           "UPDATE meta SET value = '3' WHERE key = 'schema_version'",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(raw);
  }
  {
    Database reader(path, Database::Mode::kReadOnly);
    ASSERT_EQ(reader.read_cells().size(), 1u);
    EXPECT_EQ(reader.read_cells()[0].attempts, 1);
    EXPECT_EQ(reader.find_cell("k1")->attempts, 1);
    EXPECT_TRUE(reader.run_inputs().empty());
    EXPECT_EQ(reader.query("SELECT value FROM meta WHERE key = 'schema_version'").rows.at(0).at(0).value_or(""),
              "3");
  }
  Database migrated(path, Database::Mode::kReadWrite);
  EXPECT_EQ(migrated.query("SELECT value FROM meta WHERE key = 'schema_version'").rows.at(0).at(0).value_or(""), "4");
  EXPECT_EQ(migrated.find_cell("k1")->attempts, 1);
  migrated.write_run_inputs({{run_id, "/data/features", "0123456789abcdef0123456789abcdef", 42}});
  ASSERT_EQ(migrated.run_inputs(run_id).size(), 1u);
  EXPECT_EQ(migrated.run_inputs(run_id)[0].size_bytes, 42);
}

TEST(StoreMigration, ChainsStepsAndBumpsTheVersion) {
  ScratchDir dir;
  RawDb db(dir.file("r.sqlite"));
  store::migrate(db.get(), db.path(), 1, 5, kSteps);
  EXPECT_EQ(db.version(), "5");
  static_assert(store::kSchemaVersion < 5, "the chain must end past this build's version");
  EXPECT_EQ(db.text("SELECT count(*) FROM pragma_table_info('cells') WHERE name = 'note'"), "1");
  EXPECT_EQ(db.text("SELECT x FROM extra"), "42");
  // A database now newer than this build is refused by Database.
  EXPECT_THROW(Database(db.path(), Database::Mode::kReadOnly), DatabaseError);
}

TEST(StoreMigration, StopsAtTheRequestedVersion) {
  ScratchDir dir;
  RawDb db(dir.file("r.sqlite"));
  store::migrate(db.get(), db.path(), 1, 2, kSteps);
  EXPECT_EQ(db.version(), "2");
  EXPECT_EQ(db.text("SELECT count(*) FROM sqlite_schema WHERE name = 'extra'"), "0");
}

TEST(StoreMigration, AFailingStepChangesNothing) {
  ScratchDir dir;
  RawDb db(dir.file("r.sqlite"));
  constexpr store::Migration broken[] = {
      {1, 2, "ALTER TABLE cells ADD COLUMN note TEXT;"},
      {2, 3, "CREATE TABLE half(x); CREATE TABLE oops(;"},
  };
  try {
    store::migrate(db.get(), db.path(), 1, 3, broken);
    FAIL() << "expected DatabaseError";
  } catch (const DatabaseError& e) {
    EXPECT_NE(std::string(e.what()).find("migrating schema version 2 to 3"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(db.version(), "1");
  EXPECT_EQ(db.text("SELECT count(*) FROM pragma_table_info('cells') WHERE name = 'note'"), "0");
  EXPECT_EQ(db.text("SELECT count(*) FROM sqlite_schema WHERE name = 'half'"), "0");
  // Still a valid version-1 database.
  Database reopened(db.path(), Database::Mode::kReadWrite);
}

TEST(StoreMigration, MissingStepIsAnErrorNamingTheVersions) {
  ScratchDir dir;
  RawDb db(dir.file("r.sqlite"));
  constexpr store::Migration gap[] = {{2, 3, "CREATE TABLE extra(x);"}};
  try {
    store::migrate(db.get(), db.path(), 1, 3, gap);
    FAIL() << "expected DatabaseError";
  } catch (const DatabaseError& e) {
    EXPECT_EQ(std::string(e.what()), db.path() + " has schema version 1; this shardbench has no "
                                                 "migration from it to version 3");
  }
  EXPECT_EQ(db.version(), "1");
}

}  // namespace
}  // namespace sb
