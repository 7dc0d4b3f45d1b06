// The recorder without MPI: outcomes become CellRecords with the plan's
// description of each cell, are written to a scratch database by the writer
// thread, and are visible to another connection once flush(true) returns
// (or, without a forced flush, once the writer has taken them).
#include "harness/run/recorder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "harness/run/config.h"
#include "harness/run/plan.h"
#include "results/store/database.h"
#include "tests/results/store/store_test_util.h"

namespace sb {
namespace {

using testing_store::ScratchDir;

// 2 dataset settings x 3 seeds x (2 sleep settings + noop) = 18 cells.
const char* kConfig = R"(suite = "selftest"
seeds = 3
[[datasets]]
name = "empty"
size = [1, 2]
[[methods]]
name = "sleep"
ms = [0.0, 1]
[[methods]]
name = "noop"
)";

RunInfo a_run() {
  RunInfo r;
  r.tool_version = "test";
  r.started_at = "2026-11-27T10:00:00Z";
  r.status = "running";
  r.config_path = "exp.toml";
  r.config_text = kConfig;
  return r;
}

// Outcome of cell `index`: ok with metric value = index / 4, except where
// `status` says otherwise; every number is distinct per cell.
CellOutcome outcome(std::uint32_t index, const std::string& status = "ok", const std::string& error = "") {
  CellOutcome o;
  o.index = index;
  o.status = *parse_cell_status(status);
  o.error = error;
  o.wall_seconds = 1.0 + index;
  o.cpu_seconds = 0.5 + index;
  o.peak_rss_kb = 1000 + index;
  o.rank = static_cast<std::int32_t>(index % 2);
  if (status == "ok") {
    o.output.metrics = {{"value", index / 4.0}};
    o.output.method_seconds = 0.25 + index;
  }
  return o;
}

std::size_t cells_in(const std::string& path) {
  Database reader(path, Database::Mode::kReadOnly);
  return reader.read_cells().size();
}

TEST(Recorder, WritesEachOutcomeAsThePlannedCellAndFlushes) {
  ScratchDir dir;
  const std::string path = dir.file("r.sqlite");
  const Plan plan = make_plan(parse_config("exp.toml", kConfig), {});
  ASSERT_EQ(plan.cells.size(), 18u);
  Database db(path, Database::Mode::kReadWrite);
  const std::int64_t run_id = db.begin_run(a_run());
  {
    Recorder recorder(db, plan, run_id, {"node-a", "node-b"});
    // Two batches, out of plan order, one failed cell with a multi-line error.
    std::vector<CellOutcome> first;
    for (std::uint32_t i : {5u, 0u, 17u, 3u}) first.push_back(outcome(i));
    first.push_back(outcome(9, "crashed", "cell process killed by signal 11\n--- cell output ---\nlast words"));
    recorder.add(first);
    std::vector<CellOutcome> second;
    for (std::uint32_t i = 10; i < 14; ++i) second.push_back(outcome(i));
    recorder.add(second);
    recorder.flush(true);
    // Written and committed: another connection sees all nine cells now,
    // while the recorder (and its writer thread) is still alive.
    EXPECT_EQ(cells_in(path), 9u);
    ASSERT_EQ(recorder.failure_samples().size(), 1u);
    // The first line of the error only, marked as cut.
    EXPECT_EQ(recorder.failure_samples()[0],
              "empty[size=2] sleep[ms=0] seed 0: crashed: cell process killed by signal 11 [...]");
  }
  const std::regex iso_utc_ms(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
  for (std::uint32_t i : {0u, 3u, 5u, 9u, 10u, 11u, 12u, 13u, 17u}) {
    SCOPED_TRACE("cell " + std::to_string(i));
    const PlannedCell& c = plan.cells[i];
    const PlannedArm& arm = plan.arm_of(c);
    auto r = db.find_cell(c.key);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->suite, "selftest");
    EXPECT_EQ(r->suite_version, arm.suite_version);
    EXPECT_EQ(r->dataset, "empty");
    EXPECT_EQ(r->dataset_label, arm.dataset_label);
    EXPECT_EQ(r->dataset_params, arm.dataset_params_json);
    EXPECT_EQ(r->method, arm.spec.method);
    EXPECT_EQ(r->method_label, arm.method_label);
    EXPECT_EQ(r->method_params, arm.method_params_json);
    EXPECT_EQ(r->method_version, arm.method_version);
    EXPECT_EQ(r->seed, static_cast<std::int64_t>(c.seed));
    EXPECT_EQ(r->run_id, run_id);
    EXPECT_EQ(r->wall_seconds, 1.0 + i);
    EXPECT_EQ(r->cpu_seconds, 0.5 + i);
    EXPECT_EQ(r->peak_rss_kb, static_cast<std::int64_t>(1000 + i));
    EXPECT_EQ(r->rank, static_cast<int>(i % 2));
    EXPECT_EQ(r->host, i % 2 ? "node-b" : "node-a");
    EXPECT_TRUE(std::regex_match(r->finished_at, iso_utc_ms)) << r->finished_at;
    if (i == 9) {
      EXPECT_EQ(r->status, CellStatus::kCrashed);
      EXPECT_EQ(r->error, "cell process killed by signal 11\n--- cell output ---\nlast words");
      EXPECT_TRUE(r->metrics.empty());
    } else {
      EXPECT_EQ(r->status, CellStatus::kOk);
      EXPECT_EQ(r->error, "");
      EXPECT_EQ(r->method_seconds, 0.25 + i);
      ASSERT_EQ(r->metrics.size(), 1u);
      EXPECT_EQ(r->metrics[0].first, "value");
      EXPECT_EQ(r->metrics[0].second, i / 4.0);
    }
  }
  // Spot-check the plan side of the description by hand (cell 9 = dataset
  // size=2, seed 0, first method setting).
  EXPECT_EQ(plan.arm_of(plan.cells[9]).dataset_label, "empty[size=2]");
  EXPECT_EQ(db.find_cell(plan.cells[9].key)->seed, 0);
}

TEST(Recorder, KeepsTheFirstFiveFailuresAndAnUnknownRankHasNoHost) {
  ScratchDir dir;
  const Plan plan = make_plan(parse_config("exp.toml", kConfig), {});
  Database db(dir.file("r.sqlite"), Database::Mode::kReadWrite);
  const std::int64_t run_id = db.begin_run(a_run());
  {
    Recorder recorder(db, plan, run_id, {"only-host"});
    std::vector<CellOutcome> batch;
    for (std::uint32_t i = 0; i < 7; ++i) batch.push_back(outcome(i, "error", "boom " + std::to_string(i)));
    batch[6].rank = 5;  // no host known for rank 5
    recorder.add(batch);
    recorder.flush(true);
    ASSERT_EQ(recorder.failure_samples().size(), 5u);
    for (int i = 0; i < 5; ++i) {
      EXPECT_THAT(recorder.failure_samples()[static_cast<size_t>(i)],
                  ::testing::EndsWith(": error: boom " + std::to_string(i)));
    }
  }
  EXPECT_EQ(db.find_cell(plan.cells[6].key)->host, "");
  EXPECT_EQ(db.find_cell(plan.cells[0].key)->host, "only-host");
  EXPECT_EQ(db.read_cells().size(), 7u);
}

TEST(Recorder, AnIdleWriterTakesASmallBatchOnceItIsOldEnough) {
  // Without a forced flush a few cells wait for a worthwhile batch, at most
  // 100 ms while the writer is idle: after that, add() (or flush()) hands
  // them over and the writer commits them by itself.
  ScratchDir dir;
  const std::string path = dir.file("r.sqlite");
  const Plan plan = make_plan(parse_config("exp.toml", kConfig), {});
  Database db(path, Database::Mode::kReadWrite);
  const std::int64_t run_id = db.begin_run(a_run());
  Recorder recorder(db, plan, run_id, {"h"});
  std::vector<CellOutcome> batch{outcome(0), outcome(1), outcome(2)};
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  recorder.add(batch);
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  std::size_t seen = 0;
  while ((seen = cells_in(path)) < 3 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(seen, 3u);
  recorder.flush(true);
}

TEST(Recorder, UtcNowIsIso8601WithMilliseconds) {
  EXPECT_TRUE(std::regex_match(utc_now(), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"))) << utc_now();
}

}  // namespace
}  // namespace sb
