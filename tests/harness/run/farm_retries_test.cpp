// --max-retries in the farm, on one process (no MPI; the executor's child is
// this test binary, tests/harness/test_main.cpp): the selftest `flaky` probe
// fails the first `failures` attempts of each seed (counted in marker files),
// so the number of attempts each cell took is checked against the files the
// method itself wrote.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "harness/run/comm.h"
#include "harness/run/config.h"
#include "harness/run/executor.h"
#include "harness/run/farm.h"
#include "harness/run/plan.h"
#include "tests/results/store/store_test_util.h"

namespace sb {
namespace {

using testing_store::ScratchDir;

struct Farmed {
  Plan plan;
  std::vector<CellOutcome> outcomes;  // as delivered, in arrival order
  FarmSummary summary;
};

// Runs every job of `methods_toml` (selftest, 3 seeds) with `max_retries`.
Farmed farm(const std::string& methods_toml, int max_retries) {
  const std::string text = "suite = \"selftest\"\nseeds = 3\n[[datasets]]\nname = \"empty\"\n" + methods_toml;
  Farmed f;
  f.plan = make_plan(parse_config("retries.toml", text), {});
  ExecutorOptions options;
  options.config_path = "retries.toml";
  options.config_text = text;
  Executor local(f.plan, options, 0);
  Comm comm;  // no launcher: rank 0 alone
  std::vector<std::uint32_t> jobs;
  for (std::size_t r = 0; r < f.plan.references.size(); ++r) jobs.push_back(f.plan.reference_job(r));
  for (std::uint32_t i = 0; i < f.plan.cells.size(); ++i) jobs.push_back(i);
  ReferenceOutputs outputs;
  FarmOptions farm_options;
  farm_options.max_retries = max_retries;
  f.summary = run_coordinator(f.plan, jobs, farm_options, comm, local, outputs,
                              [&](std::vector<CellOutcome>& batch, const FarmSummary&) {
                                for (auto& o : batch) f.outcomes.push_back(std::move(o));
                              });
  return f;
}

// Attempts the flaky method recorded for `seed` in `dir` (bytes of its marker).
std::int64_t marker_attempts(const std::string& dir, std::uint64_t seed) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(fmt::format("{}/flaky-seed-{}", dir, seed), ec);
  return ec ? 0 : static_cast<std::int64_t>(size);
}

std::string flaky(const std::string& dir, int failures, bool crash = false) {
  return fmt::format("[[methods]]\nname = \"flaky\"\ndir = \"{}\"\nfailures = {}\ncrash = {}\n", dir, failures,
                     crash ? "true" : "false");
}

TEST(FarmRetries, AFlakyCellFailsWithoutRetriesAndPassesWithOne) {
  ScratchDir scratch;
  for (const int retries : {0, 1}) {
    const std::string dir = scratch.file(fmt::format("markers{}", retries));
    std::filesystem::create_directories(dir);
    const Farmed f = farm(flaky(dir, 1), retries);
    ASSERT_EQ(f.outcomes.size(), 3u) << "one outcome per cell, whatever its attempts";
    for (const CellOutcome& o : f.outcomes) {
      const std::uint64_t seed = f.plan.cells.at(o.index).seed;
      EXPECT_EQ(o.status, retries == 0 ? CellStatus::kError : CellStatus::kOk) << o.error;
      EXPECT_EQ(o.attempts, retries + 1);
      EXPECT_EQ(marker_attempts(dir, seed), retries + 1) << "seed " << seed;
      if (retries == 0) {
        EXPECT_EQ(o.error, fmt::format("flaky: attempt 1 of seed {} fails on purpose", seed));
      }
    }
    EXPECT_EQ(f.summary.finished, 3);
    EXPECT_EQ(f.summary.failed, retries == 0 ? 3 : 0);
    EXPECT_EQ(f.summary.retried, retries == 0 ? 0 : 3);
    EXPECT_EQ(f.summary.recovered, retries == 0 ? 0 : 3);
  }
}

TEST(FarmRetries, ACrashingAttemptIsRetriedInAFreshExecutorChild) {
  ScratchDir scratch;
  const std::string dir = scratch.file("markers");
  std::filesystem::create_directories(dir);
  const Farmed f = farm(flaky(dir, 1, /*crash=*/true), 1);
  ASSERT_EQ(f.outcomes.size(), 3u);
  for (const CellOutcome& o : f.outcomes) {
    EXPECT_EQ(o.status, CellStatus::kOk) << o.error;
    EXPECT_EQ(o.attempts, 2);
  }
  EXPECT_EQ(f.summary.recovered, 3);
}

TEST(FarmRetries, ADeterministicFailureIsAttemptedNPlusOneTimesAndRecordedFailed) {
  ScratchDir scratch;
  const std::string dir = scratch.file("markers");
  std::filesystem::create_directories(dir);
  // Fails its first 1000 attempts: always, within a run. Beside it, noop
  // cells that pass at once are not retried.
  const Farmed f = farm(flaky(dir, 1000) + "[[methods]]\nname = \"noop\"\n", 2);
  ASSERT_EQ(f.outcomes.size(), 6u);
  for (const CellOutcome& o : f.outcomes) {
    const CellSpec spec = f.plan.spec_of(o.index);
    if (spec.method == "noop") {
      EXPECT_EQ(o.status, CellStatus::kOk);
      EXPECT_EQ(o.attempts, 1);
      continue;
    }
    EXPECT_EQ(o.status, CellStatus::kError);
    EXPECT_EQ(o.attempts, 3);
    EXPECT_EQ(marker_attempts(dir, spec.seed), 3);
    // The last attempt's message is the one kept.
    EXPECT_EQ(o.error, fmt::format("flaky: attempt 3 of seed {} fails on purpose", spec.seed));
  }
  EXPECT_EQ(f.summary.finished, 6);
  EXPECT_EQ(f.summary.failed, 3);
  EXPECT_EQ(f.summary.retried, 3);
  EXPECT_EQ(f.summary.recovered, 0);
}

TEST(FarmRetries, ACellWhoseReferenceFailedIsNotRetried) {
  // Dataset size 13: the `offset` reference fails on purpose; references are
  // not retried, and the cells that need it are never run (0 attempts).
  const std::string text = "[[methods]]\nname = \"referenced\"\n";
  const std::string config = "suite = \"selftest\"\nseeds = 2\n[[datasets]]\nname = \"empty\"\nsize = 13\n" + text;
  const Plan plan = make_plan(parse_config("refs.toml", config), {});
  ExecutorOptions options;
  options.config_path = "refs.toml";
  options.config_text = config;
  Executor local(plan, options, 0);
  Comm comm;
  std::vector<std::uint32_t> jobs;
  for (std::size_t r = 0; r < plan.references.size(); ++r) jobs.push_back(plan.reference_job(r));
  for (std::uint32_t i = 0; i < plan.cells.size(); ++i) jobs.push_back(i);
  ReferenceOutputs outputs;
  FarmOptions farm_options;
  farm_options.max_retries = 3;
  std::map<std::uint32_t, int> delivered;  // job -> times delivered
  std::vector<CellOutcome> cells;
  run_coordinator(plan, jobs, farm_options, comm, local, outputs, [&](std::vector<CellOutcome>& batch, const FarmSummary&) {
    for (auto& o : batch) {
      ++delivered[o.index];
      if (!plan.is_reference_job(o.index)) cells.push_back(o);
    }
  });
  EXPECT_EQ(delivered.size(), jobs.size());
  for (const auto& [job, times] : delivered) EXPECT_EQ(times, 1) << "job " << job;
  ASSERT_EQ(cells.size(), 2u);
  for (const CellOutcome& o : cells) {
    EXPECT_EQ(o.status, CellStatus::kError);
    EXPECT_EQ(o.attempts, 0);
  }
}

}  // namespace
}  // namespace sb
