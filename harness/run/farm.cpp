#include "harness/run/farm.h"

#include <poll.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <deque>

#include "harness/core/errors.h"
#include "harness/run/executor.h"
#include "harness/run/signals.h"

namespace sb {

namespace {

constexpr int kTagWork = 11;     // rank 0 -> worker: [kind][u32 indices...]
constexpr int kTagResults = 12;  // worker -> rank 0: [flags][outcome frames...]

enum WorkKind : char { kWork = 0, kStopDrain = 1, kStopAbort = 2 };
enum ResultFlags : char { kChunkDone = 1, kWorkerExit = 2 };

// Sleeps until `fd` is readable or `seconds` pass (or a signal arrives).
void wait_readable(int fd, double seconds) {
  timespec ts;
  ts.tv_sec = static_cast<time_t>(seconds);
  ts.tv_nsec = static_cast<long>((seconds - static_cast<double>(ts.tv_sec)) * 1e9);
  pollfd p{fd, POLLIN, 0};
  ppoll(fd >= 0 ? &p : nullptr, fd >= 0 ? 1 : 0, &ts, nullptr);
}

// Idle waits grow from 20 us to a cap: quick reaction while messages flow.
// The child's reports wake the rank at once (its pipe is polled); only MPI
// messages wait for the next poll. The cap is 1 ms while a message may be
// needed soon, and 10 ms in the steady state, where every rank already holds
// its next chunk: messages are then a few per second, and each needless
// wakeup preempts the computing child and evicts its caches (the Kang-Schafer
// cells took 10% longer with a 1 ms cap throughout, docs/PERFORMANCE.md).
class Backoff {
 public:
  void reset() { seconds_ = 0; }
  double next(bool steady) {
    seconds_ = seconds_ == 0 ? 20e-6 : std::min(seconds_ * 2, steady ? 10e-3 : 1e-3);
    return seconds_;
  }

 private:
  double seconds_ = 0;
};

double wait_seconds(Backoff& backoff, bool progressed, bool steady, const Executor& exec) {
  if (progressed) {
    backoff.reset();
    return 0;
  }
  double s = backoff.next(steady);
  int deadline_ms = exec.ms_to_deadline();
  if (deadline_ms >= 0) s = std::min(s, deadline_ms / 1000.0);
  return s;
}

std::string results_message(char flags, const std::vector<CellOutcome>& outcomes) {
  std::string msg(1, flags);
  for (const auto& o : outcomes) encode_outcome(o, msg);
  return msg;
}

// Hands out the cells still to run, in plan order, in chunks of
// next_chunk_size(): they shrink as the run nears its end and hold about a
// quarter second of work once the cell time is known.
class ChunkSource {
 public:
  ChunkSource(const std::vector<std::uint32_t>& cells, int workers, std::uint32_t max_chunk)
      : cells_(cells), workers_(workers), max_chunk_(max_chunk) {}

  bool empty() const { return next_ >= cells_.size(); }

  std::vector<std::uint32_t> next() {
    const size_t remaining = cells_.size() - next_;
    std::optional<double> mean;
    if (timed_cells_ > 0) mean = timed_seconds_ / static_cast<double>(timed_cells_);
    const size_t n = std::min(next_chunk_size(remaining, workers_, max_chunk_, mean), remaining);
    std::vector<std::uint32_t> chunk(cells_.begin() + static_cast<long>(next_),
                                     cells_.begin() + static_cast<long>(next_ + n));
    next_ += n;
    return chunk;
  }

  void observe(const std::vector<CellOutcome>& outcomes) {
    for (const auto& o : outcomes) {
      timed_seconds_ += o.wall_seconds;
      ++timed_cells_;
    }
  }

 private:
  const std::vector<std::uint32_t>& cells_;
  size_t next_ = 0;
  int workers_;
  std::uint32_t max_chunk_;
  double timed_seconds_ = 0;
  std::int64_t timed_cells_ = 0;
};

}  // namespace

std::size_t next_chunk_size(std::size_t remaining, int ranks, std::uint32_t max_chunk,
                            std::optional<double> mean_cell_seconds) {
  const std::size_t share = 2 * static_cast<std::size_t>(std::max(1, ranks));
  const std::size_t guided = (remaining + share - 1) / share;
  std::size_t cap = std::max<std::uint32_t>(1, max_chunk);
  if (mean_cell_seconds) {
    const double quarter_second = 0.25 / std::max(*mean_cell_seconds, 1e-9);  // in cells
    cap = std::min<std::size_t>(cap, static_cast<std::size_t>(std::max(1.0, quarter_second)));
  } else {
    cap = std::min<std::size_t>(cap, 16);  // cost unknown yet: start small
  }
  return std::max<std::size_t>(1, std::min(guided, cap));
}

namespace {

std::string work_message(WorkKind kind, const std::vector<std::uint32_t>& chunk = {}) {
  return std::string(1, kind) + encode_indices(chunk);
}

}  // namespace

FarmSummary run_coordinator(const Plan& /*plan: the executors hold it*/, const std::vector<std::uint32_t>& to_run,
                            const FarmOptions& options, const Comm& comm, Executor& local,
                            const OutcomeHandler& handler) {
  FarmSummary summary;
  ChunkSource source(to_run, comm.size(), options.max_chunk);
  std::deque<std::vector<std::uint32_t>> local_queue;

  struct Worker {
    int outstanding = 0;  // chunks sent, not reported done
    bool stop_sent = false;
    bool exited = false;
  };
  std::vector<Worker> workers(static_cast<size_t>(comm.size()));
  int live_workers = comm.size() - 1;

  auto send_work_or_stop = [&](int rank) {
    Worker& w = workers[static_cast<size_t>(rank)];
    if (!source.empty() && !summary.stop_signal) {
      comm.send(rank, kTagWork, work_message(kWork, source.next()));
      ++w.outstanding;
    } else if (!w.stop_sent) {
      comm.send(rank, kTagWork, work_message(summary.stop_signal ? kStopAbort : kStopDrain));
      w.stop_sent = true;
    }
  };
  // Two chunks per worker in flight: the next one is already there when the
  // current one ends, so no worker waits for the coordinator.
  for (int round = 0; round < 2; ++round) {
    for (int r = 1; r < comm.size(); ++r) send_work_or_stop(r);
    if (!source.empty()) local_queue.push_back(source.next());
  }

  std::vector<CellOutcome> batch;
  auto deliver = [&](std::vector<CellOutcome>& outcomes) {
    for (const auto& o : outcomes) {
      ++summary.finished;
      if (o.status != CellStatus::kOk) ++summary.failed;
    }
    source.observe(outcomes);
    handler(outcomes, summary);
    outcomes.clear();
  };

  Backoff backoff;
  auto last_tick = std::chrono::steady_clock::now();
  bool local_running = false;
  for (;;) {
    bool progressed = false;
    if (!summary.stop_signal && stop_signal()) {
      summary.stop_signal = stop_signal();
      local.abandon();
      local_queue.clear();
      local_running = false;
      for (int r = 1; r < comm.size(); ++r) {
        if (!workers[static_cast<size_t>(r)].exited && !workers[static_cast<size_t>(r)].stop_sent) {
          comm.send(r, kTagWork, work_message(kStopAbort));
          workers[static_cast<size_t>(r)].stop_sent = true;
        }
      }
    }
    // Local computation.
    if (!local.busy() && local_running) {
      local_running = false;
      local_queue.pop_front();
      if (!source.empty() && !summary.stop_signal) local_queue.push_back(source.next());
    }
    if (!local.busy() && !local_queue.empty() && !summary.stop_signal) {
      local.start(local_queue.front());
      local_running = true;
      progressed = true;
    }
    if (local.service(batch)) progressed = true;
    if (!batch.empty()) deliver(batch);

    // Remote workers.
    if (comm.using_mpi()) {
      while (auto msg = comm.try_receive(-1, kTagResults)) {
        progressed = true;
        auto& [rank, bytes] = *msg;
        Worker& w = workers[static_cast<size_t>(rank)];
        const char flags = bytes.empty() ? 0 : bytes[0];
        bytes.erase(0, 1);
        decode_outcomes(bytes, batch);
        if (!batch.empty()) deliver(batch);
        if (flags & kWorkerExit) {
          w.exited = true;
          --live_workers;
        } else if (flags & kChunkDone) {
          --w.outstanding;
          send_work_or_stop(rank);
        }
      }
    }

    bool local_done = !local.busy() && (local_queue.empty() || summary.stop_signal);
    if (local_done && live_workers == 0) break;

    auto now = std::chrono::steady_clock::now();
    if (now - last_tick > std::chrono::milliseconds(200)) {
      last_tick = now;
      handler(batch, summary);  // empty batch: a tick
    }
    // Steady: rank 0 computes and every worker holds two chunks.
    bool steady = local.busy() && !source.empty() && !summary.stop_signal;
    for (int r = 1; r < comm.size() && steady; ++r) {
      const Worker& w = workers[static_cast<size_t>(r)];
      steady = w.exited || w.outstanding >= 2;
    }
    double s = wait_seconds(backoff, progressed, steady, local);
    if (s > 0) wait_readable(local.fd(), s);
  }
  return summary;
}

void run_worker(const Plan& /*plan*/, const FarmOptions& /*options*/, const Comm& comm, Executor& exec) {
  std::deque<std::vector<std::uint32_t>> queue;
  std::vector<CellOutcome> outcomes;
  bool stop = false, running = false;
  Backoff backoff;
  for (;;) {
    bool progressed = false;
    while (auto msg = comm.try_receive(0, kTagWork)) {
      progressed = true;
      const std::string& bytes = msg->second;
      if (bytes.empty()) throw InternalError("empty work message");
      if (bytes[0] == kWork) {
        queue.push_back(decode_indices(std::string_view(bytes).substr(1)));
      } else {
        stop = true;
        if (bytes[0] == kStopAbort) {
          exec.abandon();
          queue.clear();
          running = false;
        }
      }
    }
    if (stop_signal()) {
      // Report what finished; the unfinished cells stay unrecorded and the
      // next run of the same command picks them up.
      exec.abandon();
      comm.send(0, kTagResults, results_message(kWorkerExit, outcomes));
      return;
    }
    if (exec.service(outcomes)) progressed = true;
    if (running && !exec.busy()) {
      running = false;
      queue.pop_front();
      // Start the next chunk before reporting, so the core keeps computing.
      if (!queue.empty()) {
        exec.start(queue.front());
        running = true;
      }
      comm.send(0, kTagResults, results_message(kChunkDone, outcomes));
      outcomes.clear();
      progressed = true;
    }
    if (!running && !queue.empty()) {
      exec.start(queue.front());
      running = true;
      progressed = true;
    }
    if (!running && queue.empty() && stop) {
      comm.send(0, kTagResults, results_message(kWorkerExit, outcomes));
      return;
    }
    // Steady: computing, with the next chunk already queued.
    const bool steady = running && queue.size() >= 2 && !stop;
    double s = wait_seconds(backoff, progressed, steady, exec);
    if (s > 0) wait_readable(exec.fd(), s);
  }
}

}  // namespace sb
