// The refs table: references round-trip with their outputs, resume sees the
// ok ones, a version-1 database reads as one without references and is
// migrated when opened for writing, and merge treats references like cells.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <limits>

#include "harness/core/errors.h"
#include "results/store/database.h"
#include "tests/results/store/store_test_util.h"

namespace sb {
namespace {

using testing_store::ScratchDir;

ReferenceRecord make_reference(const std::string& key, CellStatus status = CellStatus::kOk, double value = 1.5) {
  ReferenceRecord r;
  r.key = key;
  r.suite = "ood";
  r.suite_version = "1";
  r.name = "base-model";
  r.version = "1";
  r.params = R"({"dataset":"gaussian-mixture","k":3})";
  r.label = "base-model[dataset=gaussian-mixture,k=3]";
  r.seed = 7;
  r.status = status;
  r.error = status == CellStatus::kOk ? "" : "diverged";
  r.wall_seconds = 2.5;
  r.cpu_seconds = 2.25;
  r.peak_rss_kb = 4096;
  r.rank = 1;
  r.host = "node02";
  r.finished_at = "2026-11-27T10:00:00Z";
  if (status == CellStatus::kOk) {
    r.output.metrics = {{"train_loss", value}, {"odd", std::numeric_limits<double>::quiet_NaN()}};
    r.output.artifacts = {{"w", {1.0, 2.0, value}}, {"w.shape", {1, 3}}};
  }
  return r;
}

void execute(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
}

TEST(StoreReferences, RoundTripEveryFieldAndTheOutputBitForBit) {
  ScratchDir dir;
  Database db(dir.file("r.sqlite"), Database::Mode::kReadWrite);
  db.write_references({make_reference("a"), make_reference("b", CellStatus::kError)});
  EXPECT_EQ(db.ok_reference_keys(), (std::unordered_set<std::string>{"a"}));
  const auto a = db.find_reference("a");
  ASSERT_TRUE(a.has_value());
  const ReferenceRecord want = make_reference("a");
  EXPECT_EQ(a->label, want.label);
  EXPECT_EQ(a->params, want.params);
  EXPECT_EQ(a->seed, 7);
  EXPECT_EQ(a->status, CellStatus::kOk);
  EXPECT_EQ(a->rank, 1);
  EXPECT_EQ(a->host, "node02");
  EXPECT_EQ(a->peak_rss_kb, 4096);
  EXPECT_DOUBLE_EQ(a->wall_seconds, 2.5);
  ASSERT_EQ(a->output.metrics.size(), 2u);
  EXPECT_EQ(a->output.metrics[0], want.output.metrics[0]);
  EXPECT_TRUE(std::isnan(a->output.metrics[1].second));
  EXPECT_EQ(a->output.artifacts.at(0).values, want.output.artifacts.at(0).values);
  const auto b = db.find_reference("b");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->status, CellStatus::kError);
  EXPECT_EQ(b->error, "diverged");
  EXPECT_FALSE(db.find_reference("c").has_value());
  // A rerun that succeeds replaces the failed row.
  db.write_references({make_reference("b")});
  EXPECT_EQ(db.ok_reference_keys().size(), 2u);
  EXPECT_EQ(db.read_references().size(), 2u);
  // The documented view sums their cost.
  const auto view = db.query("SELECT refs, ok, failed, wall_seconds FROM reference_status");
  ASSERT_EQ(view.rows.size(), 1u);
  EXPECT_EQ(view.rows[0][0].value_or(""), "2");
  EXPECT_EQ(view.rows[0][1].value_or(""), "2");
  EXPECT_EQ(view.rows[0][2].value_or(""), "0");
  EXPECT_EQ(std::stod(view.rows[0][3].value_or("0")), 5.0);
}

TEST(StoreReferences, AVersionOneDatabaseReadsWithoutReferencesAndMigratesForWriting) {
  ScratchDir dir;
  const std::string path = dir.file("v1.sqlite");
  { Database created(path, Database::Mode::kReadWrite); }
  execute(path, "DROP TABLE run_inputs; ALTER TABLE cells DROP COLUMN attempts; "
                "DROP VIEW run_environment; ALTER TABLE runs DROP COLUMN environment; "
                "DROP VIEW reference_status; DROP TABLE refs; "
                "UPDATE meta SET value = '1' WHERE key = 'schema_version'");
  {
    Database reader(path, Database::Mode::kReadOnly);
    EXPECT_TRUE(reader.read_references().empty());
    EXPECT_TRUE(reader.ok_reference_keys().empty());
  }
  Database writer(path, Database::Mode::kReadWrite);
  writer.write_references({make_reference("a")});
  EXPECT_EQ(writer.ok_reference_keys().size(), 1u);
  EXPECT_EQ(writer.query("SELECT value FROM meta WHERE key = 'schema_version'").rows.at(0).at(0).value_or(""), "4");
}

TEST(StoreReferences, MergeKeepsOneCopyReplacesFailuresAndReportsConflicts) {
  ScratchDir dir;
  const std::string out = dir.file("out.sqlite"), in = dir.file("in.sqlite");
  {
    Database db(out, Database::Mode::kReadWrite);
    db.write_references({make_reference("same"), make_reference("failed", CellStatus::kCrashed),
                         make_reference("differs", CellStatus::kOk, 1.5)});
  }
  {
    Database db(in, Database::Mode::kReadWrite);
    db.write_references({make_reference("same"), make_reference("failed"),
                         make_reference("differs", CellStatus::kOk, 2.5), make_reference("new")});
  }
  const MergeReport report = merge_databases(out, {in});
  EXPECT_EQ(report.references_added, 1);
  EXPECT_EQ(report.references_identical, 1);
  EXPECT_EQ(report.references_replaced, 1);
  ASSERT_EQ(report.conflicts.size(), 1u);
  EXPECT_NE(report.conflicts[0].find("differs"), std::string::npos) << report.conflicts[0];
  Database merged(out, Database::Mode::kReadOnly);
  EXPECT_EQ(merged.read_references().size(), 4u);
  EXPECT_EQ(merged.find_reference("failed")->status, CellStatus::kOk);
  EXPECT_EQ(merged.find_reference("differs")->output.metrics.at(0).second, 1.5);  // OUT's kept
}

}  // namespace
}  // namespace sb
