#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "harness/core/errors.h"
#include "results/store/database.h"
#include "tests/results/store/store_test_util.h"

namespace sb {
namespace {

using testing_store::make_cell;
using testing_store::make_run;
using testing_store::ScratchDir;

std::map<std::string, CellRecord> by_key(const Database& db) {
  std::map<std::string, CellRecord> out;
  for (auto& c : db.read_cells("", true)) out[c.key] = c;
  return out;
}

// OUT: k1 ok, k2 error, k3 ok (m=1), k5 ok, two runs.
// IN:  k1 ok identical, k2 ok (replaces), k3 ok m=1.5 (conflict), k4 ok (new),
//      k5 error (OUT's ok kept), one run that its cells reference.
class MergeFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    out_path = dir.file("out.sqlite");
    in_path = dir.file("in.sqlite");
    {
      Database out(out_path, Database::Mode::kReadWrite);
      out.begin_run(make_run("2026-11-23T01:00:00Z"));
      std::int64_t r = out.begin_run(make_run("2026-11-23T02:00:00Z"));
      std::vector<CellRecord> cells = {make_cell("k1"), make_cell("k2", "error"),
                                       make_cell("k3"), make_cell("k5")};
      for (auto& c : cells) c.run_id = r;
      out.write_cells(cells);
    }
    {
      Database in(in_path, Database::Mode::kReadWrite);
      in_run = make_run("2026-11-23T03:00:00Z");
      in_run.hosts = "node07";
      std::int64_t r = in.begin_run(in_run);
      in.finish_run(r, "ok", "2026-11-23T04:00:00Z");
      in_run.status = "ok";
      in_run.finished_at = "2026-11-23T04:00:00Z";
      CellRecord k2 = make_cell("k2", "ok", {{"m", 2.0}});
      k2.attempts = 2;  // ok on retry
      CellRecord k3 = make_cell("k3", "ok", {{"m", 1.5}});
      k3.seed = 11;
      CellRecord k4 = make_cell("k4", "ok", {{"m", 4.0}, {"n", -1.0}});
      k4.artifacts = {{"scores", {0.25, 0.5}}};
      std::vector<CellRecord> cells = {make_cell("k1"), k2, k3, k4, make_cell("k5", "crashed")};
      for (auto& c : cells) c.run_id = r;
      in.write_cells(cells);
      in.write_run_inputs({{r, "/data/b.npy", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", 80},
                           {r, "/data/a", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 1024}});
    }
  }

  ScratchDir dir;
  std::string out_path, in_path;
  RunInfo in_run;
};

TEST_F(MergeFixture, AddsIdenticalReplacesAndReportsConflicts) {
  MergeReport report = merge_databases(out_path, {in_path});
  EXPECT_EQ(report.cells_added, 1);      // k4
  EXPECT_EQ(report.cells_identical, 1);  // k1
  EXPECT_EQ(report.cells_replaced, 1);   // k2
  EXPECT_EQ(report.runs_added, 1);
  ASSERT_EQ(report.conflicts.size(), 1u);
  const std::string& msg = report.conflicts[0];
  for (const std::string& part :
       {std::string("cell k3"), std::string("suite estimation"),
        std::string("dataset corrupted-mean[n=100]"), std::string("method trimmed-mean[trim=0.1]"),
        std::string("seed 11"), std::string("metric 'm' is 1 in " + out_path + " but 1.5 in " + in_path)}) {
    EXPECT_NE(msg.find(part), std::string::npos) << "missing '" << part << "' in: " << msg;
  }

  Database out(out_path, Database::Mode::kReadOnly);
  auto cells = by_key(out);
  ASSERT_EQ(cells.size(), 5u);
  EXPECT_EQ(cells["k2"].status, CellStatus::kOk);
  EXPECT_EQ(cells["k2"].metrics.at(0).second, 2.0);
  EXPECT_EQ(cells["k2"].attempts, 2);  // the attempts travel with the cell
  EXPECT_EQ(cells["k4"].attempts, 1);
  EXPECT_EQ(cells["k3"].metrics.at(0).second, 1.0);  // OUT's kept
  EXPECT_EQ(cells["k5"].status, CellStatus::kOk);               // a failed input never replaces ok
  ASSERT_EQ(cells["k4"].metrics.size(), 2u);
  ASSERT_EQ(cells["k4"].artifacts.size(), 1u);
  EXPECT_EQ(cells["k4"].artifacts[0].values, (std::vector<double>{0.25, 0.5}));

  // The input's run got a new id in OUT, and the copied cells point to it.
  std::vector<RunInfo> runs = out.runs();
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[2].run_id, 3);
  EXPECT_EQ(runs[2].hosts, "node07");
  EXPECT_EQ(runs[2].status, "ok");
  EXPECT_EQ(runs[2].finished_at, in_run.finished_at);
  EXPECT_EQ(cells["k4"].run_id, 3);
  EXPECT_EQ(cells["k2"].run_id, 3);
  EXPECT_EQ(cells["k1"].run_id, 2);  // identical: OUT's row untouched

  // The input run's inputs go with it, under its new id, by path.
  EXPECT_EQ(report.run_inputs_added, 2);
  const std::vector<RunInput> inputs = out.run_inputs();
  ASSERT_EQ(inputs.size(), 2u);
  EXPECT_EQ(inputs[0].run_id, 3);
  EXPECT_EQ(inputs[0].path, "/data/a");
  EXPECT_EQ(inputs[0].hash, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  EXPECT_EQ(inputs[0].size_bytes, 1024);
  EXPECT_EQ(inputs[1].path, "/data/b.npy");
  EXPECT_EQ(inputs[1].size_bytes, 80);
  EXPECT_TRUE(out.run_inputs(2).empty());
}

TEST_F(MergeFixture, MergingTwiceAddsNothing) {
  merge_databases(out_path, {in_path});
  MergeReport again = merge_databases(out_path, {in_path});
  EXPECT_EQ(again.cells_added, 0);
  EXPECT_EQ(again.cells_replaced, 0);
  EXPECT_EQ(again.cells_identical, 3);  // k1, k2, k4
  EXPECT_EQ(again.runs_added, 0);
  EXPECT_EQ(again.run_inputs_added, 0);  // the run is OUT's already, with its inputs
  EXPECT_EQ(again.conflicts.size(), 1u);  // k3 is still in conflict
  EXPECT_EQ(Database(out_path, Database::Mode::kReadOnly).runs().size(), 3u);
}

TEST_F(MergeFixture, CreatesAMissingOutputAndCombinesSeveralInputs) {
  const std::string fresh = dir.file("fresh.sqlite");
  MergeReport report = merge_databases(fresh, {in_path, out_path});
  // From IN: 5 added. From OUT: k1 identical, k2 (error) kept as IN's ok,
  // k3 conflict, k5 ok replaces IN's crashed.
  EXPECT_EQ(report.cells_added, 5);
  EXPECT_EQ(report.cells_identical, 1);
  EXPECT_EQ(report.cells_replaced, 1);
  EXPECT_EQ(report.conflicts.size(), 1u);
  EXPECT_EQ(report.runs_added, 3);
  Database db(fresh, Database::Mode::kReadOnly);
  auto cells = by_key(db);
  EXPECT_EQ(cells.size(), 5u);
  EXPECT_EQ(cells["k5"].status, CellStatus::kOk);
  EXPECT_EQ(cells["k5"].run_id, 3);  // OUT's second run, the third one copied
  EXPECT_EQ(cells["k3"].metrics.at(0).second, 1.5);
  EXPECT_EQ(db.ok_keys().size(), 5u);
}

// A copy of `from` whose cells table cannot be read: opening it works (the
// schema and meta pages are intact), reading its cells fails half-way.
std::string corrupt_copy(const ScratchDir& dir, const std::string& from) {
  const std::string path = dir.file("corrupt.sqlite");
  std::filesystem::copy_file(from, path);
  std::int64_t page = 0, page_size = 0;
  {
    Database db(path, Database::Mode::kReadOnly);
    page = std::stoll(*db.query("SELECT rootpage FROM sqlite_schema WHERE name = 'cells'").rows[0][0]);
    page_size = std::stoll(*db.query("PRAGMA page_size").rows[0][0]);
  }
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp((page - 1) * page_size);
  const std::string garbage(static_cast<size_t>(page_size), '\xff');
  f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  return path;
}

TEST_F(MergeFixture, ACorruptSecondInputLeavesTheOutputAsItWas) {
  const std::string corrupt = corrupt_copy(dir, in_path);
  { Database probe(corrupt, Database::Mode::kReadOnly); }  // passes the up-front check
  const auto before = by_key(Database(out_path, Database::Mode::kReadOnly));
  const auto runs_before = Database(out_path, Database::Mode::kReadOnly).runs().size();
  // A third database with a new cell, merged first.
  const std::string extra = dir.file("extra.sqlite");
  { Database(extra, Database::Mode::kReadWrite).write_cells({make_cell("k9")}); }
  try {
    merge_databases(out_path, {extra, in_path, corrupt});
    ADD_FAILURE() << "merging a corrupt input succeeded";
  } catch (const DatabaseError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("nothing was merged (it is unchanged)"), std::string::npos) << what;
    EXPECT_NE(what.find("corrupt.sqlite"), std::string::npos) << what;
  }
  Database out(out_path, Database::Mode::kReadOnly);
  const auto after = by_key(out);
  EXPECT_EQ(after.size(), before.size());
  EXPECT_EQ(after.count("k9"), 0u);
  EXPECT_EQ(after.count("k4"), 0u);
  EXPECT_EQ(after.at("k2").status, CellStatus::kError);
  EXPECT_EQ(out.runs().size(), runs_before);
  EXPECT_EQ(out.query("PRAGMA integrity_check").rows[0][0], "ok");

  // Into a new file: not created at all.
  const std::string fresh = dir.file("fresh.sqlite");
  EXPECT_THROW(merge_databases(fresh, {extra, corrupt}), DatabaseError);
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    EXPECT_FALSE(std::filesystem::exists(fresh + suffix)) << suffix;
  }
}

TEST_F(MergeFixture, RefusesBadInputsBeforeTouchingTheOutput) {
  const std::string fresh = dir.file("fresh.sqlite");
  const std::string text = dir.file("notes.txt");
  std::ofstream(text) << "this is a text file, certainly not an SQLite database\n";
  EXPECT_THROW(merge_databases(fresh, {in_path, text}), DatabaseError);
  EXPECT_THROW(merge_databases(fresh, {dir.file("missing.sqlite")}), InputError);  // a wrong path: exit 2
  EXPECT_FALSE(std::filesystem::exists(fresh));
  EXPECT_THROW(merge_databases(out_path, {out_path}), DatabaseError);
}

}  // namespace
}  // namespace sb
