// The run session as a library: cell selection (resume, shards, --force),
// the typed messages between ranks, errors before any cell runs, and the
// inputs a run records.
#include "harness/run/session.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "harness/core/errors.h"
#include "harness/run/comm.h"
#include "harness/run/config.h"
#include "harness/run/plan_inputs.h"
#include "results/store/database.h"

namespace sb {
namespace {

Plan plan_with_keys(int n) {
  Plan plan;
  for (int i = 0; i < n; ++i) {
    PlannedCell cell;
    cell.key = fmt::format("{:016x}", 0x9e3779b97f4a7c15ull * static_cast<unsigned long long>(i + 1));
    plan.cells.push_back(cell);
  }
  return plan;
}

TEST(SelectCells, SkipsDoneCellsUnlessForced) {
  const Plan plan = plan_with_keys(5);
  const std::unordered_set<std::string> done = {plan.cells[1].key, plan.cells[3].key};
  CellSelection s = select_cells(plan, done, 0, 1, false);
  EXPECT_EQ(s.in_shard, 5u);
  EXPECT_EQ(s.to_run, (std::vector<std::uint32_t>{0, 2, 4}));
  s = select_cells(plan, done, 0, 1, true);
  EXPECT_EQ(s.to_run, (std::vector<std::uint32_t>{0, 1, 2, 3, 4}));
}

// A grid of 3 dataset settings x 12 seeds x 3 methods of the selftest suite.
Plan grid_plan(const std::string& sizes = "[1, 2, 3]", const std::string& extra_method = "") {
  const std::string text = "suite = \"selftest\"\nseeds = 12\n[[datasets]]\nname = \"empty\"\nsize = " + sizes +
                           "\n[[methods]]\nname = \"sleep\"\nms = [0.0, 1]\n[[methods]]\nname = \"noop\"\n" +
                           extra_method;
  return make_plan(parse_config("exp.toml", text), {});
}

TEST(SelectCells, ShardsPartitionThePlanAndKeepEachReplicationTogether) {
  const Plan plan = grid_plan();
  ASSERT_EQ(plan.cells.size(), 3u * 12u * 3u);
  std::vector<int> owner(plan.cells.size(), -1);
  std::map<std::string, std::set<int>> shards_of_group;  // replication -> shards holding its cells
  std::size_t total = 0;
  for (int shard = 0; shard < 4; ++shard) {
    CellSelection s = select_cells(plan, {}, shard, 4, false);
    EXPECT_EQ(s.in_shard, s.to_run.size());
    EXPECT_GT(s.in_shard, 0u);  // 36 replications over 4 shards: none is empty
    total += s.in_shard;
    for (auto i : s.to_run) {
      EXPECT_EQ(owner[i], -1) << "cell " << i << " in two shards";
      owner[i] = shard;
      const PlannedArm& arm = plan.arm_of(plan.cells[i]);
      shards_of_group[arm.dataset_label + "/" + std::to_string(plan.cells[i].seed)].insert(shard);
    }
    EXPECT_TRUE(std::is_sorted(s.to_run.begin(), s.to_run.end()));  // plan order
  }
  EXPECT_EQ(total, plan.cells.size());
  ASSERT_EQ(shards_of_group.size(), 3u * 12u);
  std::set<int> used;
  for (const auto& [group, shards] : shards_of_group) {
    EXPECT_EQ(shards.size(), 1u) << group << ": the cells of one replication are split over shards";
    used.insert(*shards.begin());
  }
  EXPECT_EQ(used.size(), 4u);
}

// The group text names the replication and nothing of the method: the
// shard of a cell is the shard of its (dataset, parameters, seed).
TEST(SelectCells, ShardGroupIsTheDatasetReplication) {
  const Plan plan = grid_plan();
  EXPECT_EQ(shard_group_text(plan, 0),
            fmt::format("shardbench-shard-v1|suite=selftest|dataset=empty@{}|dataset_params={{\"size\":1}}|seed=0",
                        plan.arms[0].dataset_version));
  EXPECT_EQ(shard_group_text(plan, 0), shard_group_text(plan, 2));  // another method, same replication
  EXPECT_NE(shard_group_text(plan, 0), shard_group_text(plan, 3));  // next seed
}

// Stable when the grid grows: a new method or a new dataset setting adds
// cells, and every cell of the smaller grid keeps its shard.
TEST(SelectCells, ShardsAreStableWhenTheGridGrows) {
  const Plan small = grid_plan("[1, 2]");
  const Plan large = grid_plan("[1, 2, 3, 4]", "[[methods]]\nname = \"sleep\"\nms = 5\n");
  std::map<std::string, int> shard_by_key;
  for (std::size_t i = 0; i < large.cells.size(); ++i) shard_by_key[large.cells[i].key] = shard_of_cell(large, i, 5);
  for (std::size_t i = 0; i < small.cells.size(); ++i) {
    ASSERT_TRUE(shard_by_key.count(small.cells[i].key));
    EXPECT_EQ(shard_by_key[small.cells[i].key], shard_of_cell(small, i, 5)) << i;
  }
}

TEST(RunMessages, StartRoundTrips) {
  for (auto verdict : {RunStart::Verdict::kCompute, RunStart::Verdict::kNothing, RunStart::Verdict::kFailed}) {
    RunStart in;
    in.verdict = verdict;
    in.exit_code = verdict == RunStart::Verdict::kFailed ? 2 : 0;
    in.cells_to_run = 1234567890123ull;
    in.config_text = std::string("suite = \"x\"\n\0binary", 20);
    const RunStart out = decode_run_start(encode_run_start(in));
    EXPECT_EQ(out.verdict, in.verdict);
    EXPECT_EQ(out.exit_code, in.exit_code);
    EXPECT_EQ(out.cells_to_run, in.cells_to_run);
    EXPECT_EQ(out.config_text, in.config_text);
  }
  EXPECT_EQ(decode_run_end(encode_run_end(137)), 137);
}

TEST(RunMessages, MalformedMessagesAreInternalErrors) {
  EXPECT_THROW(decode_run_start(""), InternalError);
  EXPECT_THROW(decode_run_start(std::string(5, '\0')), InternalError);  // cut inside the counts
  std::string bad_verdict = encode_run_start(RunStart{});
  bad_verdict[0] = 7;
  EXPECT_THROW(decode_run_start(bad_verdict), InternalError);
  EXPECT_THROW(decode_run_end("ab"), InternalError);
  EXPECT_THROW(decode_run_end(encode_run_end(0) + "x"), InternalError);
}

TEST(RunSession, BadConfigIsAnInputErrorBeforeAnythingRuns) {
  const auto dir = std::filesystem::temp_directory_path() / "sb_session_test";
  std::filesystem::create_directories(dir);
  const auto config = dir / "bad.toml";
  std::ofstream(config) << "suite = \"no-such-suite\"\nseeds = 1\n";
  RunRequest request;
  request.config_path = config.string();
  request.db_path = (dir / "r.sqlite").string();
  Comm comm;  // no launcher: one process, no MPI
  EXPECT_THROW(run_session(request, comm), InputError);
  EXPECT_FALSE(std::filesystem::exists(request.db_path));  // planning failed before the database opened
  std::filesystem::remove_all(dir);
}

// Content-hashed inputs (docs/EXTERNAL.md): a run records each file whose
// content entered its keys once, with the hash the plan computed; one byte
// changed, the next run records the new hash.
TEST(RunSession, RecordsEachContentHashedInputWithThePlansHash) {
  const auto dir = std::filesystem::temp_directory_path() / ("sb_session_inputs_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "probe.sh") << "exit 0\n";        // the external method's script
  std::ofstream(dir / "weights.txt") << "0123456789";  // a file it lists
  const auto config = dir / "exp.toml";
  const std::string text =
      "suite = \"selftest\"\nseeds = 2\n[[datasets]]\nname = \"empty\"\n[[methods]]\nname = \"probe\"\n"
      "command = [\"/bin/sh\", \"probe.sh\"]\nversion = \"1\"\nfiles = [\"weights.txt\"]\n";
  std::ofstream(config) << text;
  RunRequest request;
  request.config_path = config.string();
  request.db_path = (dir / "r.sqlite").string();
  request.command_line = "session_test";
  auto run = [&] {
    Comm comm;  // no launcher: one process, no MPI
    return run_session(request, comm);
  };
  ASSERT_EQ(run(), 0);
  const Plan plan = make_plan(parse_config(config.string(), text), {});
  ASSERT_EQ(plan.inputs.size(), 2u);
  const std::string script = (dir / "probe.sh").string(), weights = (dir / "weights.txt").string();
  {
    Database db(request.db_path, Database::Mode::kReadOnly);
    const std::vector<RunInput> inputs = db.run_inputs();
    ASSERT_EQ(inputs.size(), 2u);  // by path
    for (std::size_t i = 0; i < 2; ++i) {
      EXPECT_EQ(inputs[i].run_id, 1);
      EXPECT_EQ(inputs[i].path, plan.inputs[i].path);
      EXPECT_EQ(inputs[i].hash, plan.inputs[i].hash);
      EXPECT_EQ(inputs[i].hash, content_hash(inputs[i].path));
      EXPECT_EQ(inputs[i].size_bytes, static_cast<std::int64_t>(std::filesystem::file_size(inputs[i].path)));
    }
    EXPECT_EQ(inputs[0].path, script);
    EXPECT_EQ(inputs[0].size_bytes, 7);
    EXPECT_EQ(inputs[1].path, weights);
    EXPECT_EQ(inputs[1].size_bytes, 10);
  }
  // One byte of the script changed (same size): its cells rerun, and the
  // new run records the new hash; the listed file's is unchanged.
  std::ofstream(dir / "probe.sh", std::ios::trunc) << "exit 0\t";
  ASSERT_EQ(run(), 0);
  {
    Database db(request.db_path, Database::Mode::kReadOnly);
    const std::vector<RunInput> first = db.run_inputs(1), second = db.run_inputs(2);
    ASSERT_EQ(first.size(), 2u);
    ASSERT_EQ(second.size(), 2u);
    EXPECT_EQ(second[0].path, script);
    EXPECT_NE(second[0].hash, first[0].hash);
    EXPECT_EQ(second[0].hash, content_hash(script));
    EXPECT_EQ(second[1].hash, first[1].hash);
    EXPECT_EQ(db.query("SELECT count(*) FROM cells WHERE run_id = 2").rows.at(0).at(0).value_or(""), "2");
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sb
