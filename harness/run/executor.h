// Runs cells in a child process, so that a method that crashes or hangs takes
// neither its rank nor the run down. One long-lived child per rank keeps its
// cache of shared inputs across chunks; it is replaced when it dies.
//
// Fast path: the child reports outcomes in batches. When it dies with cells
// unreported, the rest of the chunk is retried in a fresh child that reports
// after every cell, which pins the crash on exactly one cell (`crashed`).
// With a timeout, the child always reports per cell, and a cell running past
// it is killed with its child and recorded as `timeout`.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "harness/run/outcome.h"
#include "harness/run/plan.h"

namespace sb {

class Executor {
 public:
  // `plan` must outlive the executor (the child inherits it through fork).
  Executor(const Plan& plan, double timeout_seconds, int rank);
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Starts a chunk of plan indices; the executor must be idle.
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

 private:
  void spawn();
  void kill_child();
  void send_chunk(bool report_each);
  void fail_first_pending(const std::string& status, const std::string& message,
                          std::vector<CellOutcome>& out);

  const Plan& plan_;
  double timeout_seconds_;
  int rank_;
  pid_t child_ = -1;
  int to_child_ = -1;
  int from_child_ = -1;
  std::string buffer_;
  std::deque<std::uint32_t> pending_;  // sent, not yet reported
  bool report_each_ = false;           // current child reports after every cell
  std::chrono::steady_clock::time_point last_progress_;
  std::int64_t crashes_ = 0;
};

}  // namespace sb
