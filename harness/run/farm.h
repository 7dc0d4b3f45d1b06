// The MPI farm. Rank 0 coordinates: it hands out chunks of cell indices
// dynamically (guided self-scheduling, sized from the measured cell time),
// collects outcomes and passes them to the recorder. Every rank, rank 0
// included, computes through its own Executor child process; the
// coordinator sleeps in ppoll between events instead of busy-polling.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "harness/run/comm.h"
#include "harness/run/executor.h"
#include "harness/run/outcome.h"
#include "harness/run/plan.h"

namespace sb {

struct FarmOptions {
  // Upper bound on a chunk; the farm also bounds chunks to ~0.25 s of work.
  std::uint32_t max_chunk = 4096;
  // A cell (not a reference) that ends failed (error, timeout, crashed) is
  // run again, with the same seed, up to this many more times; only its
  // last outcome is delivered, with its attempts. Retries are handed out
  // after the first pass over the cells, to any rank.
  int max_retries = 0;
};

// The size of the next chunk (guided self-scheduling): ceil(remaining / (2 x
// ranks)), capped at `max_chunk`, and at 16 cells while no cell has been
// timed (`mean_cell_seconds` empty), else at about 0.25 s of work; at least 1.
// `ranks` and `max_chunk` below 1 count as 1.
std::size_t next_chunk_size(std::size_t remaining, int ranks, std::uint32_t max_chunk,
                            std::optional<double> mean_cell_seconds);

struct FarmSummary {
  std::int64_t finished = 0;  // outcomes received (any status)
  std::int64_t failed = 0;    // status != ok
  std::int64_t retried = 0;   // cells delivered after more than one attempt
  std::int64_t recovered = 0; // ... of which ok
  int stop_signal = 0;        // SIGINT/SIGTERM received, 0 if none
};

// Called on rank 0 with each batch of outcomes as it arrives, and once with
// an empty batch at every progress tick (so the caller can flush and report).
using OutcomeHandler = std::function<void(std::vector<CellOutcome>& outcomes, const FarmSummary& so_far)>;

// Outputs of reference jobs, by job: those recorded by earlier runs (loaded
// by the caller), and those computed by this run (added by the farm).
using ReferenceOutputs = std::map<std::uint32_t, std::shared_ptr<const CellOutput>>;

// Rank 0. `to_run` are jobs in plan order (reference jobs among them run
// first, then the cells); `local` is this rank's executor (created by the
// caller, so that its child can start early). Every reference a cell of
// `to_run` needs is in `reference_outputs` or in `to_run`. A failed attempt
// to be retried (options.max_retries) is not delivered; a stop signal drops
// the retries still pending (those cells stay unrecorded, as unfinished ones).
FarmSummary run_coordinator(const Plan& plan, const std::vector<std::uint32_t>& to_run,
                            const FarmOptions& options, const Comm& comm, Executor& local,
                            ReferenceOutputs& reference_outputs, const OutcomeHandler& handler);

// Ranks > 0.
void run_worker(const Plan& plan, const FarmOptions& options, const Comm& comm, Executor& exec);

}  // namespace sb
