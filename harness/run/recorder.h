// Rank 0's writer: turns outcomes into CellRecords and writes them to the
// database in batched transactions (when the writer is idle and 2,000 cells
// or 100 ms have gathered, and at least every second), so that an
// interruption loses at most the last second of outcomes. The writes run on
// a thread of their own so that the coordinator never waits for SQLite.
#pragma once

#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <cstdint>
#include <string>
#include <vector>

#include "harness/run/outcome.h"
#include "harness/run/plan.h"
#include "results/store/database.h"

namespace sb {

class Recorder {
 public:
  Recorder(Database& db, const Plan& plan, std::int64_t run_id, std::vector<std::string> hosts_by_rank);
  ~Recorder();
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  void add(std::vector<CellOutcome>& outcomes);
  // Hands the buffer to the writer when the writer is idle and the batch is
  // worthwhile, the buffer is large or a second has passed;
  // with `force`, also waits until everything is written. Rethrows (as
  // DatabaseError) a failure of the writer.
  void flush(bool force = false);

  // The first few failures, for the summary printed at the end.
  const std::vector<std::string>& failure_samples() const { return failure_samples_; }

 private:
  Database& db_;
  const Plan& plan_;
  std::int64_t run_id_;
  std::vector<std::string> hosts_;
  Database::BulkWriteScope bulk_write_;  // outlives the writer thread
  void writer_loop();

  static constexpr size_t kMaxBatch = 20000;  // cells per transaction at most
  static constexpr size_t kMinBatch = 2000;   // an idle writer waits for this many
  static constexpr std::chrono::milliseconds kMinInterval{100};  // ... or this long
  // A batch for the writer: references (few, written at once so that a
  // crash keeps them) and cells.
  struct Batch {
    std::vector<ReferenceRecord> references;
    std::vector<CellRecord> cells;
  };
  ReferenceRecord reference_record(CellOutcome& outcome, const std::string& now) const;
  std::string host_of(int rank) const;  // "" for a rank the run did not gather
  std::vector<CellRecord> buffer_;
  std::vector<ReferenceRecord> reference_buffer_;
  std::chrono::steady_clock::time_point last_flush_;
  std::vector<std::string> failure_samples_;

  std::mutex mutex_;
  std::condition_variable wake_writer_, written_;
  std::vector<Batch> queue_;  // batches handed to the writer
  bool writing_ = false;
  bool closing_ = false;
  std::exception_ptr writer_error_;
  std::thread writer_;
};

// Current UTC time, ISO 8601 with milliseconds.
std::string utc_now();

}  // namespace sb
