// Progress of a run on rank 0: cells done/total, failures, rate and ETA. On a
// terminal one line is rewritten in place; otherwise (logs of batch jobs) a
// plain line is printed every `interval` seconds.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace sb {

class Progress {
 public:
  // `unit`: what is counted, "cells", or "jobs" when the run also computes
  // references (the farm counts both alike).
  Progress(std::int64_t total, bool tty, double interval_seconds, std::FILE* out = stderr, std::string unit = "cells");
  // Where the live line goes when it cannot go to stderr: under mpirun rank
  // 0's stderr is a pipe to mpirun, but a job launched from a terminal still
  // has it as its controlling terminal (/dev/tty). The live line is drawn
  // there and the final line also goes to stderr (the log). nullptr: no
  // such terminal.
  static std::FILE* launching_terminal();
  void also_log_final_line_to(std::FILE* log) { log_ = log; }
  void update(std::int64_t done, std::int64_t failed);
  void finish(std::int64_t done, std::int64_t failed);

 private:
  void print(std::int64_t done, std::int64_t failed, bool final_line);

  std::int64_t total_;
  bool tty_;
  double interval_;
  std::FILE* out_;
  std::FILE* log_ = nullptr;
  std::string unit_;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace sb
