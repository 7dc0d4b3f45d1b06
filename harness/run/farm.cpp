#include "harness/run/farm.h"

#include <poll.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <set>

#include <fmt/format.h>

#include "harness/core/errors.h"
#include "harness/run/executor.h"
#include "harness/run/signals.h"

namespace sb {

namespace {

constexpr int kTagWork = 11;     // rank 0 -> worker: [kind][u32 indices...] or a reference's output
constexpr int kTagResults = 12;  // worker -> rank 0: [flags][outcome frames...]

enum WorkKind : char { kWork = 0, kStopDrain = 1, kStopAbort = 2, kReference = 3 };
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
  std::string message(1, kind);
  return message += encode_indices(chunk);
}

// [kReference][u32 job][one outcome frame carrying the reference's output]
std::string reference_message(std::uint32_t job, const CellOutput& output) {
  std::string msg(1, kReference);
  msg.append(reinterpret_cast<const char*>(&job), sizeof job);
  CellOutcome carrier;
  carrier.index = job;
  carrier.output = output;
  encode_outcome(carrier, msg);
  return msg;
}

// What rank 0 hands out, in three phases: the reference jobs first (one per
// chunk: each is expensive), then, once every reference has reported, the
// cells, then the failed cells to retry (FarmOptions::max_retries) as their
// failures arrive. A cell whose reference failed is not run: it becomes an
// `error` naming the reference (0 attempts, never retried).
class JobSource {
 public:
  JobSource(const Plan& plan, const std::vector<std::uint32_t>& to_run, int workers, const FarmOptions& options,
            ReferenceOutputs& outputs)
      : plan_(plan), outputs_(outputs), workers_(workers), max_chunk_(options.max_chunk),
        max_retries_(std::max(0, options.max_retries)) {
    for (auto job : to_run) (plan.is_reference_job(job) ? references_ : cells_).push_back(job);
    reference_chunks_ = std::make_unique<ChunkSource>(references_, workers, 1);
    references_outstanding_ = references_.size();
    retry_chunks_ = std::make_unique<ChunkSource>(retries_, workers, max_chunk_);
  }

  // True when nothing is left to hand out, now or later (with retries: no
  // cell is out whose failure would be retried).
  bool exhausted() const {
    return reference_chunks_->empty() && references_outstanding_ == 0 && cell_chunks_ && cell_chunks_->empty() &&
           retry_chunks_->empty() && (max_retries_ == 0 || cells_out_ == 0);
  }

  // The next chunk, or an empty one when the cells wait for references (or
  // for the failures of the cells out, with retries). `skipped` receives
  // the outcomes of cells whose reference failed.
  std::vector<std::uint32_t> next(std::vector<CellOutcome>& skipped) {
    if (!reference_chunks_->empty()) return reference_chunks_->next();
    if (references_outstanding_ > 0) return {};
    if (!cell_chunks_) start_cells(skipped);
    ChunkSource& source = !cell_chunks_->empty() ? *cell_chunks_ : *retry_chunks_;
    if (source.empty()) return {};
    auto chunk = source.next();
    cells_out_ += chunk.size();
    return chunk;
  }

  // Takes the failed attempts to retry out of `outcomes` (queued to run
  // again; none once `stopping`) and sets the attempts of the cells
  // delivered. Every outcome passes here before observe().
  void settle(std::vector<CellOutcome>& outcomes, bool stopping) {
    std::size_t kept = 0;
    for (auto& o : outcomes) {
      // Reference jobs, and cells not run (attempts 0: a reference failed), pass.
      if (!plan_.is_reference_job(o.index) && o.attempts > 0) {
        --cells_out_;
        const auto earlier = failed_attempts_.find(o.index);
        const int before = earlier == failed_attempts_.end() ? 0 : earlier->second;
        if (o.status != CellStatus::kOk && before < max_retries_ && !stopping) {
          failed_attempts_[o.index] = before + 1;
          retries_.push_back(o.index);
          continue;
        }
        o.attempts = before + 1;
        if (earlier != failed_attempts_.end()) failed_attempts_.erase(earlier);
      }
      if (&o != &outcomes[kept]) outcomes[kept] = std::move(o);
      ++kept;
    }
    outcomes.resize(kept);
  }

  // Every outcome passes here: a reference's output is kept for shipping.
  void observe(const std::vector<CellOutcome>& outcomes) {
    for (const auto& o : outcomes) {
      if (!plan_.is_reference_job(o.index)) continue;
      --references_outstanding_;
      if (o.status == CellStatus::kOk) {
        outputs_[o.index] = std::make_shared<const CellOutput>(o.output);
      } else {
        failed_[o.index] = o.error;
      }
    }
    if (cell_chunks_) (cell_chunks_->empty() ? retry_chunks_ : cell_chunks_)->observe(outcomes);
  }

  // The references the cells of `chunk` need.
  std::vector<std::uint32_t> references_of(const std::vector<std::uint32_t>& chunk) const {
    std::vector<std::uint32_t> out;
    for (auto job : chunk) {
      if (plan_.is_reference_job(job)) continue;
      for (auto r : plan_.reference_jobs_of(job))
        if (std::find(out.begin(), out.end(), r) == out.end()) out.push_back(r);
    }
    return out;
  }

 private:
  void start_cells(std::vector<CellOutcome>& skipped) {
    std::vector<std::uint32_t> runnable;
    for (auto job : cells_) {
      std::string why;
      for (auto r : plan_.reference_jobs_of(job)) {
        if (outputs_.count(r)) continue;
        const auto failed = failed_.find(r);
        why = fmt::format("reference '{}' (seed {}) {}", plan_.reference_label(r), plan_.reference_of_job(r).seed,
                          failed != failed_.end() ? "failed: " + failed->second : "is missing");
        break;
      }
      if (why.empty()) {
        runnable.push_back(job);
      } else {
        CellOutcome o;
        o.index = job;
        o.status = CellStatus::kError;
        o.error = std::move(why);
        o.attempts = 0;
        skipped.push_back(std::move(o));
      }
    }
    cells_ = std::move(runnable);
    cell_chunks_ = std::make_unique<ChunkSource>(cells_, workers_, max_chunk_);
  }

  const Plan& plan_;
  ReferenceOutputs& outputs_;
  int workers_;
  std::uint32_t max_chunk_;
  int max_retries_;
  // retries_ only grows (retry_chunks_ hands it out from where it stopped).
  std::vector<std::uint32_t> references_, cells_, retries_;
  std::unique_ptr<ChunkSource> reference_chunks_, cell_chunks_, retry_chunks_;
  std::size_t references_outstanding_ = 0;
  std::size_t cells_out_ = 0;  // cells handed out whose outcome has not arrived
  std::map<std::uint32_t, std::string> failed_;  // reference job -> its error
  std::map<std::uint32_t, int> failed_attempts_;  // cell job -> its failed attempts so far (retried)
};

}  // namespace

FarmSummary run_coordinator(const Plan& plan, const std::vector<std::uint32_t>& to_run, const FarmOptions& options,
                            const Comm& comm, Executor& local, ReferenceOutputs& reference_outputs,
                            const OutcomeHandler& handler) {
  FarmSummary summary;
  JobSource source(plan, to_run, comm.size(), options, reference_outputs);
  std::deque<std::vector<std::uint32_t>> local_queue;
  std::vector<CellOutcome> skipped;  // cells not run: a reference failed

  struct Worker {
    int outstanding = 0;  // chunks sent, not reported done
    bool stop_sent = false;
    bool exited = false;
    std::set<std::uint32_t> references;  // reference outputs sent to it
  };
  std::vector<Worker> workers(static_cast<size_t>(comm.size()));
  int live_workers = comm.size() - 1;

  auto send_references = [&](int rank, const std::vector<std::uint32_t>& chunk) {
    for (auto r : source.references_of(chunk)) {
      const auto it = reference_outputs.find(r);
      if (it == reference_outputs.end()) continue;  // the cell was skipped
      if (rank == 0) {
        local.provide_reference(r, it->second);
      } else if (workers[static_cast<size_t>(rank)].references.insert(r).second) {
        comm.send(rank, kTagWork, reference_message(r, *it->second));
      }
    }
  };
  // Keeps two chunks in flight per rank: the next one is already there when
  // the current one ends, so no rank waits for the coordinator.
  auto top_up = [&](int rank) {
    Worker& w = workers[static_cast<size_t>(rank)];
    if (w.stop_sent || w.exited || w.outstanding >= 2) return;
    if (!summary.stop_signal) {
      auto chunk = source.next(skipped);
      if (!chunk.empty()) {
        send_references(rank, chunk);
        comm.send(rank, kTagWork, work_message(kWork, chunk));
        ++w.outstanding;
        return;
      }
    }
    if (summary.stop_signal || source.exhausted()) {
      comm.send(rank, kTagWork, work_message(summary.stop_signal ? kStopAbort : kStopDrain));
      w.stop_sent = true;
    }
  };
  auto top_up_local = [&] {
    if (summary.stop_signal || local_queue.size() >= 2) return;
    auto chunk = source.next(skipped);
    if (chunk.empty()) return;
    send_references(0, chunk);
    local_queue.push_back(std::move(chunk));
  };
  for (int round = 0; round < 2; ++round) {
    for (int r = 1; r < comm.size(); ++r) top_up(r);
    top_up_local();
  }

  std::vector<CellOutcome> batch;
  auto deliver = [&](std::vector<CellOutcome>& outcomes) {
    source.settle(outcomes, summary.stop_signal != 0);
    for (const auto& o : outcomes) {
      ++summary.finished;
      if (o.status != CellStatus::kOk) ++summary.failed;
      if (o.attempts > 1) {
        ++summary.retried;
        if (o.status == CellStatus::kOk) ++summary.recovered;
      }
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
    }
    top_up_local();
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
        }
      }
      for (int r = 1; r < comm.size(); ++r) top_up(r);
    }
    if (!skipped.empty()) {
      deliver(skipped);
      progressed = true;
    }

    bool local_done = !local.busy() && local_queue.empty() && (source.exhausted() || summary.stop_signal);
    if (local_done && live_workers == 0) break;

    auto now = std::chrono::steady_clock::now();
    if (now - last_tick > std::chrono::milliseconds(200)) {
      last_tick = now;
      handler(batch, summary);  // empty batch: a tick
    }
    // Steady: rank 0 computes and every worker holds two chunks.
    bool steady = local.busy() && !source.exhausted() && !summary.stop_signal;
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
      } else if (bytes[0] == kReference) {
        std::uint32_t job = 0;
        if (bytes.size() < 1 + sizeof job) throw InternalError("truncated reference message");
        std::memcpy(&job, bytes.data() + 1, sizeof job);
        std::string frame = bytes.substr(1 + sizeof job);
        std::vector<CellOutcome> decoded;
        decode_outcomes(frame, decoded);
        if (decoded.size() != 1) throw InternalError("malformed reference message");
        exec.provide_reference(job, std::make_shared<const CellOutput>(std::move(decoded[0].output)));
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
