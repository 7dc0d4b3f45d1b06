// kill -9 at a random moment while a child process writes batches: the
// database must stay consistent (integrity_check ok, whole batches, whole
// cells).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>
#include <thread>

#include "harness/core/suite.h"
#include "results/store/database.h"
#include "tests/results/store/store_test_util.h"

namespace sb {
namespace {

using testing_store::make_cell;
using testing_store::ScratchDir;

constexpr int kBatchCells = 300;

// A batch id is stored in `seed`; a cell's metric count in `peak_rss_kb`.
// Cell i of a batch carries 1 + i % 10 metrics.
std::vector<CellRecord> make_batch(std::int64_t batch) {
  std::vector<CellRecord> cells;
  for (int i = 0; i < kBatchCells; ++i) {
    CellRecord c = make_cell("b" + std::to_string(batch) + "c" + std::to_string(i));
    c.seed = batch;
    int n = 1 + i % 10;
    c.peak_rss_kb = n;
    c.metrics.clear();
    for (int m = 0; m < n; ++m) c.metrics.emplace_back("metric" + std::to_string(m), m * 0.5);
    if (i % 50 == 0) c.artifacts = {{"scores", std::vector<double>(500, 1.0 * i)}};
    cells.push_back(std::move(c));
  }
  return cells;
}

// Child: writes batches forever (until killed). Tells the parent through
// `ready_fd` once the first batch is committed. Never returns.
[[noreturn]] void write_forever(const std::string& path, int round, int ready_fd) {
  try {
    Database db(path, Database::Mode::kReadWrite);
    for (std::int64_t b = 0;; ++b) {
      db.write_cells(make_batch(round * 1'000'000 + b));
      if (b == 0) {
        char one = 1;
        if (write(ready_fd, &one, 1) != 1) _exit(3);
      }
    }
  } catch (...) {
    _exit(2);
  }
}

TEST(StoreCrash, KillNineNeverLeavesAHalfWrittenCellOrBatch) {
  ScratchDir dir;
  const std::string path = dir.file("crash.sqlite");
  for (int round = 0; round < 6; ++round) {
    // Fixed seeds: the same kill delays on every run of the test.
    std::mt19937_64 rng(derive_seed(static_cast<std::uint64_t>(round), "crash-delay"));
    const auto delay = std::chrono::microseconds(std::uniform_int_distribution<int>(0, 150'000)(rng));

    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(fds[0]);
      write_forever(path, round, fds[1]);
    }
    close(fds[1]);
    char byte = 0;
    ASSERT_EQ(read(fds[0], &byte, 1), 1) << "the writer died before its first commit";
    close(fds[0]);
    std::this_thread::sleep_for(delay);
    ASSERT_EQ(kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "the writer exited by itself with status " << status << " in round " << round;

    Database db(path, Database::Mode::kReadOnly);
    QueryResult integrity = db.query("PRAGMA integrity_check");
    ASSERT_EQ(integrity.rows.size(), 1u);
    EXPECT_EQ(integrity.rows[0][0], "ok") << "round " << round;
    // Every cell has exactly the metrics it was written with.
    QueryResult broken = db.query(
        "SELECT c.key, c.peak_rss_kb, count(m.name) FROM cells c LEFT JOIN metrics m "
        "ON m.cell_id = c.cell_id GROUP BY c.key HAVING count(m.name) != c.peak_rss_kb");
    EXPECT_TRUE(broken.rows.empty()) << "cell " << *broken.rows[0][0] << " has "
                                     << *broken.rows[0][2] << " metrics, expected "
                                     << *broken.rows[0][1];
    // Every batch is whole, and this round wrote at least its first batch.
    QueryResult partial = db.query("SELECT seed, count(*) FROM cells GROUP BY seed HAVING "
                                   "count(*) != " + std::to_string(kBatchCells));
    EXPECT_TRUE(partial.rows.empty()) << "batch " << *partial.rows[0][0] << " has "
                                      << *partial.rows[0][1] << " cells";
    QueryResult this_round = db.query(fmt::format(
        "SELECT count(*) FROM cells WHERE seed >= {} AND seed < {}", round * 1'000'000,
        (round + 1) * 1'000'000));
    EXPECT_GE(std::stoll(*this_round.rows[0][0]), kBatchCells);
    QueryResult orphans = db.query(
        "SELECT count(*) FROM artifacts a LEFT JOIN cells c ON c.cell_id = a.cell_id "
        "WHERE c.cell_id IS NULL");
    EXPECT_EQ(orphans.rows[0][0], "0");
  }
}

}  // namespace
}  // namespace sb
