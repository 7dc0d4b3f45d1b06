// Runs cells in a child process, so that a method that crashes, hangs or
// floods its output takes neither its rank nor the run down. One long-lived
// child per rank keeps its cache of shared inputs across chunks; it is
// replaced when it dies.
//
// The child is started with posix_spawn of this binary in executor mode
// (`shardbench __executor`), never with a plain fork: a rank has threads (the
// recorder's writer, MPI's progress threads) and a forked copy of a threaded
// process can deadlock on a lock held at fork time (the allocator's under
// ASan). The child rebuilds the Plan from the config text and plan options,
// as ranks > 0 do, and checks that its size matches the rank's. It is
// started before the rank plans, so the two plan in parallel.
//
// The child reports outcomes in batches and publishes the cell it is running
// in a shared page, so the rank knows which cell crashed or hung without a
// retry, and times each cell from its own start even while reports are
// batched. A cell running past the timeout is killed with the child's whole
// process group (grandchildren included) and recorded as `timeout`; a dying
// child's cell is `crashed`; the unreported rest of the chunk goes to a fresh
// child. The method's stdout/stderr go to a memory file, cleared before each
// cell; the tail of a failed cell's output is appended to its error message.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "harness/run/outcome.h"
#include "harness/run/plan.h"

namespace sb {

// Documented limits (docs/ARCHITECTURE.md).
constexpr double kDefaultCellTimeoutSeconds = 3600;  // when neither --timeout nor the config sets one
constexpr std::size_t kMaxErrorMessageBytes = 4096;  // of an exception's message (the head is kept)
constexpr std::size_t kMaxCellOutputBytes = 64 << 10;  // of a failed cell's stdout+stderr (the tail is kept)

// What the child needs to rebuild the plan, and the per-cell bounds.
struct ExecutorOptions {
  double timeout_seconds = 0;          // 0 = none
  std::uint64_t memory_limit_bytes = 0;  // 0 = none (RLIMIT_AS of the child)
  std::string config_path;
  std::string config_text;
  std::vector<std::string> only_methods;  // PlanOptions of the run
  std::vector<std::string> only_datasets;
  std::vector<std::string> overrides;
  std::int64_t seeds_override = 0;
};

// The hidden first argument that starts this binary as an executor child.
constexpr const char* kExecutorCommand = "__executor";
// main() of the executor child (argv: shardbench __executor PARENT-PID).
[[noreturn]] void executor_child_main(int argc, char** argv);

class Executor {
 public:
  // `plan` must be the plan the options describe (the child checks its
  // size); it may still be empty until the first chunk starts.
  Executor(const Plan& plan, ExecutorOptions options, int rank);
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Starts the child now (it rebuilds the plan while the rank plans too),
  // instead of at the first chunk.
  void prestart();

  // The output of reference job `job`, for the cells that depend on it: sent
  // to the child before its next chunk (and again to a replacement child).
  void provide_reference(std::uint32_t job, std::shared_ptr<const CellOutput> output);
  bool has_reference(std::uint32_t job) const { return references_.count(job) != 0; }

  // Starts a chunk of plan indices (cells or reference jobs); the executor
  // must be idle.
  void start(std::vector<std::uint32_t> chunk);
  bool busy() const { return !pending_.empty(); }

  // File descriptor that becomes readable when the child reports (-1 if no child).
  int fd() const { return from_child_; }

  // Collects what the child reported (non-blocking), handles a dead child or
  // an expired timeout; appends finished outcomes to `out`. Returns true when
  // it made progress.
  bool service(std::vector<CellOutcome>& out);

  // Milliseconds until the running cell's timeout (or -1 when none).
  int ms_to_deadline() const;

  // Kills the child and forgets the unfinished cells (on interruption).
  void abandon();

  std::int64_t crashes() const { return crashes_; }

  struct SharedState;  // the page the child publishes its progress in

 private:
  void spawn();
  void kill_child();
  void send_chunk();
  void drain_pipe(bool& eof);
  void deliver_reports(std::vector<CellOutcome>& out, bool& progress);
  void fail_running_cell(CellStatus status, const std::string& message, bool blame_front,
                         std::vector<CellOutcome>& out);

  const Plan& plan_;
  ExecutorOptions options_;
  int rank_;
  pid_t child_ = -1;  // also its process group id
  int to_child_ = -1;
  int from_child_ = -1;
  int output_fd_ = -1;  // memory file: the child's stdout and stderr
  int state_fd_ = -1;   // memory file holding SharedState
  SharedState* state_ = nullptr;
  // The child's TMPDIR, a private folder in the user's: emptied whenever a
  // child ends (a cell killed at its timeout leaves its cell directory and
  // any temporary files of the programs it ran there), removed at the end.
  std::string scratch_;
  std::string buffer_;
  std::deque<std::uint32_t> pending_;  // sent, not yet reported
  std::uint32_t seq_ = 0;              // number of the chunk last sent
  std::size_t sent_count_ = 0;         // cells in that chunk
  bool fresh_child_ = false;           // the child was spawned for that chunk
  std::chrono::steady_clock::time_point sent_at_;
  std::int64_t crashes_ = 0;
  std::map<std::uint32_t, std::shared_ptr<const CellOutput>> references_;  // by job
  std::set<std::uint32_t> delivered_;  // references the current child holds
};

}  // namespace sb
