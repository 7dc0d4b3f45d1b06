// The run session as a library: cell selection (resume, shards, --force),
// the typed messages between ranks, and errors before any cell runs.
#include "harness/run/session.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "harness/core/errors.h"
#include "harness/run/comm.h"

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

TEST(SelectCells, ShardsPartitionThePlanByKey) {
  const Plan plan = plan_with_keys(200);
  std::vector<int> owner(plan.cells.size(), -1);
  std::size_t total = 0;
  for (int shard = 0; shard < 4; ++shard) {
    CellSelection s = select_cells(plan, {}, shard, 4, false);
    EXPECT_EQ(s.in_shard, s.to_run.size());
    EXPECT_GT(s.in_shard, 20u);  // 200 keys over 4 shards: none is near empty
    total += s.in_shard;
    for (auto i : s.to_run) {
      EXPECT_EQ(owner[i], -1) << "cell " << i << " in two shards";
      owner[i] = shard;
      EXPECT_EQ(shard_of(plan.cells[i].key, 4), shard);
    }
    EXPECT_TRUE(std::is_sorted(s.to_run.begin(), s.to_run.end()));  // plan order
  }
  EXPECT_EQ(total, plan.cells.size());
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

}  // namespace
}  // namespace sb
