// Runs left `running` by a dead process are found and marked interrupted
// (results/store/run_lock.h), and a database in a directory the reader may
// not write can still be read.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <functional>

#include "harness/core/errors.h"
#include "results/store/database.h"
#include "tests/results/store/store_test_util.h"

namespace sb {
namespace {

using testing_store::make_cell;
using testing_store::make_run;
using testing_store::ScratchDir;

std::string status_of(const Database& db, std::int64_t run_id) {
  for (const RunInfo& r : db.runs())
    if (r.run_id == run_id) return r.status;
  return "<no run>";
}

TEST(RunLiveness, ARunIsLiveWhileItsDatabaseIsOpenAndStaleAfter) {
  ScratchDir dir;
  const std::string path = dir.file("r.sqlite");
  Database checker(path, Database::Mode::kReadWrite);
  std::int64_t run = 0;
  {
    Database writer(path, Database::Mode::kReadWrite);
    run = writer.begin_run(make_run("2026-11-23T08:00:00Z"));
    CellRecord a = make_cell("a"), b = make_cell("b");
    a.run_id = b.run_id = run;
    a.finished_at = "2026-11-23T08:01:00Z";
    b.finished_at = "2026-11-23T08:02:00Z";
    writer.write_cells({a, b});
    // Another connection (of this very process) sees the run live.
    EXPECT_TRUE(checker.stale_runs().empty());
    EXPECT_TRUE(checker.mark_stale_runs().empty());
    EXPECT_EQ(status_of(checker, run), "running");
  }
  // Closed without finish_run: what a killed run leaves behind.
  EXPECT_EQ(checker.stale_runs(), std::vector<std::int64_t>{run});
  EXPECT_EQ(checker.mark_stale_runs(), std::vector<std::int64_t>{run});
  EXPECT_EQ(status_of(checker, run), "interrupted");
  EXPECT_EQ(checker.runs().at(0).finished_at, "2026-11-23T08:02:00Z");  // its last cell
  EXPECT_TRUE(checker.stale_runs().empty());
}

TEST(RunLiveness, FinishedAndCopiedRunsAreLeftAlone) {
  ScratchDir dir;
  const std::string path = dir.file("r.sqlite");
  Database db(path, Database::Mode::kReadWrite);
  const std::int64_t done = db.begin_run(make_run("2026-11-23T08:00:00Z"));
  db.finish_run(done, "ok", "2026-11-23T08:05:00Z");
  const std::int64_t live = db.begin_run(make_run("2026-11-23T09:00:00Z"));
  // A run copied from elsewhere (merge) has no live process here.
  const std::int64_t copied = db.add_run(make_run("2026-11-23T10:00:00Z"));
  EXPECT_EQ(db.mark_stale_runs(), std::vector<std::int64_t>{copied});
  EXPECT_EQ(status_of(db, done), "ok");
  EXPECT_EQ(status_of(db, live), "running");
  EXPECT_EQ(status_of(db, copied), "interrupted");
  EXPECT_EQ(db.runs().at(2).finished_at, "");  // it finished no cell here
}

TEST(RunLiveness, AKilledProcessLeavesAStaleRun) {
  ScratchDir dir;
  const std::string path = dir.file("r.sqlite");
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(fds[0]);
    try {
      Database db(path, Database::Mode::kReadWrite);
      db.begin_run(make_run("2026-11-23T08:00:00Z"));
      char byte = 1;
      if (write(fds[1], &byte, 1) != 1) _exit(2);
      for (;;) pause();
    } catch (...) {
      _exit(3);
    }
  }
  close(fds[1]);
  char byte = 0;
  ASSERT_EQ(read(fds[0], &byte, 1), 1) << "the child died before beginning its run";
  close(fds[0]);
  {
    Database db(path, Database::Mode::kReadOnly);
    EXPECT_TRUE(db.stale_runs().empty()) << "a live run was taken for a dead one";
  }
  ASSERT_EQ(kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  Database db(path, Database::Mode::kReadOnly);
  EXPECT_EQ(db.stale_runs(), std::vector<std::int64_t>{1});
  Database writer(path, Database::Mode::kReadWrite);
  EXPECT_EQ(writer.mark_stale_runs(), std::vector<std::int64_t>{1});
  EXPECT_EQ(status_of(writer, 1), "interrupted");
}

// Runs `fn` as a user who may not write `dir` (nobody, when the test runs as
// root: root writes anywhere); returns its exit code, or -1 when it cannot.
int as_reader_of_readonly_dir(const std::string& dir, const std::function<int()>& fn) {
  if (chmod(dir.c_str(), 0555) != 0) return -1;
  pid_t child = fork();
  if (child < 0) return -1;
  if (child == 0) {
    if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) _exit(100);
    _exit(fn());
  }
  int status = 0;
  waitpid(child, &status, 0);
  chmod(dir.c_str(), 0755);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(ReadOnlyFile, IsReadWhenTheDirectoryIsNotWritable) {
  ScratchDir scratch;
  const std::string dir = scratch.file("shared");
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/r.sqlite";
  { Database(path, Database::Mode::kReadWrite).write_cells({make_cell("k")}); }
  ASSERT_FALSE(std::filesystem::exists(path + "-wal"));  // closed cleanly
  ASSERT_EQ(chmod(path.c_str(), 0444), 0);
  const int rc = as_reader_of_readonly_dir(dir, [&] {
    try {
      Database db(path, Database::Mode::kReadOnly);
      if (db.read_cells().size() != 1) return 1;
      if (db.query("SELECT count(*) FROM cells").rows.at(0).at(0) != "1") return 2;
      try {
        db.query("DELETE FROM cells");
        return 3;
      } catch (const InputError&) {
      }
      return 0;
    } catch (const std::exception& e) {
      fprintf(stderr, "%s\n", e.what());
      return 4;
    }
  });
  if (rc == 100) GTEST_SKIP() << "cannot switch to user nobody";
  EXPECT_EQ(rc, 0);
  EXPECT_FALSE(std::filesystem::exists(path + "-shm"));
}

TEST(ReadOnlyFile, WithAPendingLogIsRefusedWithAClearMessage) {
  ScratchDir scratch;
  const std::string dir = scratch.file("shared");
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/r.sqlite";
  {
    // A copy taken while a writer has changes in its log: what a crashed
    // writer leaves.
    Database writer(scratch.file("live.sqlite"), Database::Mode::kReadWrite);
    writer.write_cells({make_cell("k")});
    ASSERT_TRUE(std::filesystem::exists(scratch.file("live.sqlite-wal")));
    std::filesystem::copy_file(scratch.file("live.sqlite"), path);
    std::filesystem::copy_file(scratch.file("live.sqlite-wal"), path + "-wal");
  }
  ASSERT_GT(std::filesystem::file_size(path + "-wal"), 0u);
  const int rc = as_reader_of_readonly_dir(dir, [&] {
    try {
      Database db(path, Database::Mode::kReadOnly);
      return 1;
    } catch (const DatabaseError& e) {
      const std::string what = e.what();
      if (what.find("r.sqlite-wal holds changes") != std::string::npos) return 0;
      fprintf(stderr, "%s\n", e.what());
      return 2;
    }
  });
  if (rc == 100) GTEST_SKIP() << "cannot switch to user nobody";
  EXPECT_EQ(rc, 0);
}

}  // namespace
}  // namespace sb
