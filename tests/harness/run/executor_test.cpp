// The cell executor without MPI, on the selftest suite's probes: a cell that
// kills its process and a cell that hangs past the timeout are recorded as
// `crashed` / `timeout` with the reason, against that cell only; the cells
// around it in the chunk (finished but unreported, or not yet started) run in
// a fresh child and come back ok with their own seed's value. The child is
// this test binary (tests/harness/test_main.cpp handles `__executor`).
#include "harness/run/executor.h"

#include <poll.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include "harness/run/config.h"
#include "harness/run/plan.h"

namespace sb {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// One selftest probe over seeds 0..seeds-1: cell i has seed i.
std::string probe_config(const std::string& method_lines, int seeds) {
  return "suite = \"selftest\"\nseeds = " + std::to_string(seeds) +
         "\n[[datasets]]\nname = \"empty\"\n[[methods]]\n" + method_lines + "\n";
}

struct Experiment {
  explicit Experiment(const std::string& text, double timeout_seconds = 0) {
    plan = make_plan(parse_config("probe.toml", text), {});
    options.config_path = "probe.toml";
    options.config_text = text;
    options.timeout_seconds = timeout_seconds;
  }
  Plan plan;
  ExecutorOptions options;
};

std::vector<std::uint32_t> all_cells(const Plan& plan) {
  std::vector<std::uint32_t> v(plan.cells.size());
  std::iota(v.begin(), v.end(), 0u);
  return v;
}

// Runs one chunk to its end, as a rank's loop does (service, then sleep on
// the child's pipe until a report or the timeout). Outcomes by plan index;
// a cell reported twice or an executor busy for a minute is a failure.
std::map<std::uint32_t, CellOutcome> run_chunk(Executor& exec, std::vector<std::uint32_t> chunk) {
  std::map<std::uint32_t, CellOutcome> got;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  exec.start(std::move(chunk));
  std::vector<CellOutcome> out;
  while (exec.busy()) {
    if (std::chrono::steady_clock::now() > give_up) {
      ADD_FAILURE() << "the executor is still busy after 60 s";
      exec.abandon();
      break;
    }
    if (!exec.service(out)) {
      const int deadline = exec.ms_to_deadline();
      const int wait_ms = deadline < 0 ? 20 : std::min(deadline, 20);
      pollfd p{exec.fd(), POLLIN, 0};
      ::poll(exec.fd() >= 0 ? &p : nullptr, exec.fd() >= 0 ? 1 : 0, wait_ms);
    }
    for (auto& o : out) {
      const std::uint32_t index = o.index;
      EXPECT_TRUE(got.emplace(index, std::move(o)).second) << "cell " << index << " reported twice";
    }
    out.clear();
  }
  return got;
}

// What `noop` computes for each seed: the value an ok cell of the other
// probes (which return like noop) must carry, so that a cell reported at
// index i is seen to have run seed i.
std::map<std::uint64_t, double> noop_values(int seeds) {
  Experiment noop(probe_config("name = \"noop\"", seeds));
  Executor exec(noop.plan, noop.options, 0);
  std::map<std::uint64_t, double> values;
  for (const auto& [index, o] : run_chunk(exec, all_cells(noop.plan))) {
    EXPECT_EQ(o.status, CellStatus::kOk) << o.error;
    if (o.output.metrics.size() == 1) values[noop.plan.cells[index].seed] = o.output.metrics[0].second;
  }
  EXPECT_EQ(values.size(), static_cast<size_t>(seeds));
  return values;
}

void expect_ok_with_value(const CellOutcome& o, double value) {
  EXPECT_EQ(o.status, CellStatus::kOk) << "cell " << o.index << ": " << o.error;
  EXPECT_EQ(o.error, "");
  ASSERT_EQ(o.output.metrics.size(), 1u) << "cell " << o.index;
  EXPECT_EQ(o.output.metrics[0].first, "value");
  EXPECT_EQ(o.output.metrics[0].second, value) << "cell " << o.index;
}

// Appends handle_segv=0 to ASAN_OPTIONS while alive (ASan builds only; the
// executor's children inherit the environment).
class ScopedAsanSegvPassThrough {
 public:
  ScopedAsanSegvPassThrough() {
#if defined(__SANITIZE_ADDRESS__)
    active_ = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    active_ = true;
#endif
#endif
    if (!active_) return;
    const char* old = std::getenv("ASAN_OPTIONS");
    had_ = old != nullptr;
    if (had_) old_ = old;
    setenv("ASAN_OPTIONS", (old_ + (old_.empty() ? "" : ":") + "handle_segv=0").c_str(), 1);
  }
  ~ScopedAsanSegvPassThrough() {
    if (!active_) return;
    if (had_) {
      setenv("ASAN_OPTIONS", old_.c_str(), 1);
    } else {
      unsetenv("ASAN_OPTIONS");
    }
  }

 private:
  bool active_ = false, had_ = false;
  std::string old_;
};

TEST(Executor, ACrashIsPinnedToItsCellAndTheChunkGoesOn) {
  const auto expected = noop_values(7);
  // Seeds 0, 3 and 6 raise SIGSEGV: the chunk's first cell, one in the
  // middle (after cells that finished but may still sit in the child's
  // batch) and its last.
  Experiment crash(probe_config("name = \"crash\"\nevery = 3", 7));
  // Under AddressSanitizer the child would catch the SIGSEGV itself, report
  // it and exit 1: let the signal kill it, as it does in a release build.
  const ScopedAsanSegvPassThrough pass_segv;
  Executor exec(crash.plan, crash.options, /*rank=*/3);
  auto got = run_chunk(exec, all_cells(crash.plan));
  ASSERT_EQ(got.size(), 7u);
  for (const auto& [index, o] : got) {
    const std::uint64_t seed = crash.plan.cells[index].seed;
    EXPECT_EQ(o.rank, 3);
    if (seed % 3 == 0) {
      EXPECT_EQ(o.status, CellStatus::kCrashed) << "seed " << seed;
      EXPECT_THAT(o.error, StartsWith("cell process killed by signal 11 ")) << "seed " << seed;
      EXPECT_TRUE(o.output.metrics.empty());
    } else {
      expect_ok_with_value(o, expected.at(seed));
    }
  }
  EXPECT_EQ(exec.crashes(), 3);

  // The executor is idle and whole again: a second chunk (of cells that
  // succeed) runs in the child started after the last crash.
  auto again = run_chunk(exec, {1, 2, 4});
  ASSERT_EQ(again.size(), 3u);
  for (const auto& [index, o] : again) expect_ok_with_value(o, expected.at(crash.plan.cells[index].seed));
  EXPECT_EQ(exec.crashes(), 3);
}

TEST(Executor, ATimeoutIsPinnedToItsCellAndTheNextCellRuns) {
  const auto expected = noop_values(2);
  // Seed 0 sleeps an hour, seed 1 returns at once. The timeout leaves a fresh
  // child (its start counts against the next cell) ample time under load or ASan.
  Experiment hang(probe_config("name = \"hang\"\nevery = 2", 2), 1.0);
  Executor exec(hang.plan, hang.options, 0);
  const auto start = std::chrono::steady_clock::now();
  auto got = run_chunk(exec, all_cells(hang.plan));
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(got.size(), 2u);
  for (const auto& [index, o] : got) {
    const std::uint64_t seed = hang.plan.cells[index].seed;
    if (seed % 2 == 0) {
      EXPECT_EQ(o.status, CellStatus::kTimeout) << "seed " << seed;
      EXPECT_THAT(o.error, StartsWith("cell ran past the timeout of 1 s and was killed"));
      EXPECT_GE(o.wall_seconds, 1.0) << "seed " << seed;
      EXPECT_TRUE(o.output.metrics.empty());
    } else {
      expect_ok_with_value(o, expected.at(seed));
    }
  }
  // Each hung cell cost its own timeout, not the rest of the hour.
  EXPECT_LT(elapsed, 30.0);
  EXPECT_EQ(exec.crashes(), 0);  // a timeout is not a crash
}

TEST(Executor, PeakMemoryIsEachCellsOwn) {
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
  GTEST_SKIP() << "ASan keeps freed memory in quarantine: the RSS after a cell is not the allocator's";
#endif
#endif
  // One chunk, one process: hog touches 300 MiB and frees it (more than the
  // executor's malloc trim threshold of 256 MiB, so it goes back to the
  // system; smaller frees stay resident and count for the next cells too),
  // then noop runs.
  Experiment hog_then_noop(probe_config("name = \"hog\"\nmb = 300\n[[methods]]\nname = \"noop\"", 1));
  Executor exec(hog_then_noop.plan, hog_then_noop.options, 0);
  auto got = run_chunk(exec, all_cells(hog_then_noop.plan));
  ASSERT_EQ(got.size(), 2u);
  const CellOutcome& hog = got.at(0);
  const CellOutcome& noop = got.at(1);
  ASSERT_EQ(hog.status, CellStatus::kOk) << hog.error;
  EXPECT_GT(hog.peak_rss_kb, 250 * 1024);
  EXPECT_LT(noop.peak_rss_kb, hog.peak_rss_kb - 200 * 1024) << "noop reported the hog's peak";
}

TEST(Executor, AThrowingCellIsAnErrorAndTheChildCarriesOn) {
  const auto expected = noop_values(4);
  Experiment thrower(probe_config("name = \"throw\"\nevery = 2", 4));
  Executor exec(thrower.plan, thrower.options, 0);
  auto got = run_chunk(exec, all_cells(thrower.plan));
  ASSERT_EQ(got.size(), 4u);
  for (const auto& [index, o] : got) {
    const std::uint64_t seed = thrower.plan.cells[index].seed;
    if (seed % 2 == 0) {
      EXPECT_EQ(o.status, CellStatus::kError);
      EXPECT_EQ(o.error, "selftest failure for seed " + std::to_string(seed));
    } else {
      expect_ok_with_value(o, expected.at(seed));
    }
  }
  EXPECT_EQ(exec.crashes(), 0);  // an exception stays inside the child
}

TEST(Executor, AFailedCellCarriesTheTailOfItsOutput) {
  // 1 MiB of output, then an exception: the error is the message, then the
  // output's last 64 KiB after a section line; the cell's own final line is there.
  Experiment shout(probe_config("name = \"shout\"\nmb = 1.0\nfail = true", 1));
  Executor exec(shout.plan, shout.options, 0);
  auto got = run_chunk(exec, {0});
  ASSERT_EQ(got.size(), 1u);
  const CellOutcome& o = got.at(0);
  EXPECT_EQ(o.status, CellStatus::kError);
  EXPECT_THAT(o.error, StartsWith("shout failed after "));
  EXPECT_THAT(o.error, HasSubstr("--- cell output ("));
  EXPECT_THAT(o.error, HasSubstr("shout: the end\n"));
  EXPECT_LT(o.error.size(), kMaxCellOutputBytes + 4096);
}

}  // namespace
}  // namespace sb
