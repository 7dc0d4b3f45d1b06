#include "harness/run/recorder.h"

#include <fmt/format.h>

#include <ctime>
#include <string_view>

namespace sb {

std::string utc_now() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  std::tm tm;
  gmtime_r(&ts.tv_sec, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return fmt::format("{}.{:03}Z", buf, ts.tv_nsec / 1000000);
}

Recorder::Recorder(Database& db, const Plan& plan, std::int64_t run_id, std::vector<std::string> hosts_by_rank)
    : db_(db), plan_(plan), run_id_(run_id), hosts_(std::move(hosts_by_rank)), bulk_write_(db) {
  last_flush_ = std::chrono::steady_clock::now();
  writer_ = std::thread([this] { writer_loop(); });
}

Recorder::~Recorder() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closing_ = true;
  }
  wake_writer_.notify_all();
  writer_.join();
}

void Recorder::writer_loop() {
  for (;;) {
    Batch batch;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_writer_.wait(lock, [&] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;  // closing, nothing left
      batch = std::move(queue_.front());
      queue_.erase(queue_.begin());
      writing_ = true;
    }
    try {
      if (!writer_error_ && !batch.references.empty()) db_.write_references(batch.references);
      if (!writer_error_ && !batch.cells.empty()) db_.write_cells(batch.cells);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      writer_error_ = std::current_exception();
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      writing_ = false;
    }
    written_.notify_all();
  }
}

void Recorder::add(std::vector<CellOutcome>& outcomes) {
  const std::string now = outcomes.empty() ? "" : utc_now();
  for (auto& o : outcomes) {
    if (plan_.is_reference_job(o.index)) {
      reference_buffer_.push_back(reference_record(o, now));
      const ReferenceRecord& r = reference_buffer_.back();
      if (r.status != CellStatus::kOk && failure_samples_.size() < 5) {
        failure_samples_.push_back(fmt::format("reference {} seed {}: {}: {}", r.label, r.seed, to_string(r.status),
                                               std::string_view(r.error).substr(0, r.error.find('\n'))));
      }
      continue;
    }
    const PlannedCell& c = plan_.cells.at(o.index);
    const PlannedArm& arm = plan_.arm_of(c);
    CellRecord r;
    r.key = c.key;
    r.suite = arm.spec.suite;
    r.suite_version = arm.suite_version;
    r.dataset = arm.spec.dataset;
    r.dataset_params = arm.dataset_params_json;
    r.dataset_label = arm.dataset_label;
    r.method = arm.spec.method;
    r.method_params = arm.method_params_json;
    r.method_label = arm.method_label;
    r.method_version = arm.method_version;
    r.seed = static_cast<std::int64_t>(c.seed);
    r.status = o.status;
    r.error = std::move(o.error);
    r.wall_seconds = o.wall_seconds;
    r.cpu_seconds = o.cpu_seconds;
    r.method_seconds = o.output.method_seconds;
    r.peak_rss_kb = o.peak_rss_kb;
    r.rank = o.rank;
    r.host = host_of(o.rank);
    r.run_id = run_id_;
    r.finished_at = now;
    r.attempts = o.attempts;
    r.metrics = std::move(o.output.metrics);
    r.artifacts = std::move(o.output.artifacts);
    if (r.status != CellStatus::kOk && failure_samples_.size() < 5) {
      // The first line only: an error may carry 64 KiB of the cell's output.
      std::string_view first = std::string_view(r.error).substr(0, r.error.find('\n'));
      if (first.size() > 300) first = first.substr(0, 300);
      failure_samples_.push_back(fmt::format("{} {} seed {}: {}{}: {}{}", r.dataset_label, r.method_label, r.seed,
                                             to_string(r.status),
                                             r.attempts > 1 ? fmt::format(" ({} attempts)", r.attempts) : "", first,
                                             first.size() < r.error.size() ? " [...]" : ""));
    }
    buffer_.push_back(std::move(r));
  }
  flush(false);
}

std::string Recorder::host_of(int rank) const {
  return rank >= 0 && static_cast<size_t>(rank) < hosts_.size() ? hosts_[static_cast<size_t>(rank)] : "";
}

ReferenceRecord Recorder::reference_record(CellOutcome& o, const std::string& now) const {
  const PlannedReference& planned = plan_.reference_of_job(o.index);
  const ReferenceTemplate& t = plan_.reference_templates.at(planned.template_index);
  ReferenceRecord r;
  r.key = planned.key;
  r.suite = plan_.suite;
  r.suite_version = plan_.arms.empty() ? "" : plan_.arms.front().suite_version;
  r.name = t.name;
  r.version = t.version;
  r.params = t.params_json;
  r.label = t.label;
  r.seed = static_cast<std::int64_t>(planned.seed);
  r.status = o.status;
  r.error = std::move(o.error);
  r.wall_seconds = o.wall_seconds;
  r.cpu_seconds = o.cpu_seconds;
  r.peak_rss_kb = o.peak_rss_kb;
  r.rank = o.rank;
  r.host = host_of(o.rank);
  r.run_id = run_id_;
  r.finished_at = now;
  r.output = std::move(o.output);
  return r;
}

void Recorder::flush(bool force) {
  auto now = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> lock(mutex_);
  if (writer_error_) std::rethrow_exception(writer_error_);
  // An idle writer takes what has arrived once it is a worthwhile batch, so
  // that it keeps pace with the cells and little is left to write when they
  // end (a backlog written after the last cell is wall time on one core).
  // Batches are not smaller than that: every commit rewrites the pages it
  // dirtied, and random cell keys dirty pages all over the key index
  // (store_bench, 40,000 cells: 1.39 s in batches of 100, 0.63 s of 500,
  // 0.43-0.46 s of 2,000 to 20,000).
  const bool writer_idle = queue_.empty() && !writing_;
  const bool worthwhile = buffer_.size() >= kMinBatch || now - last_flush_ >= kMinInterval;
  if (!reference_buffer_.empty() ||
      (!buffer_.empty() && (force || (writer_idle && worthwhile) || buffer_.size() >= kMaxBatch ||
                            now - last_flush_ >= std::chrono::seconds(1)))) {
    queue_.push_back(Batch{std::move(reference_buffer_), std::move(buffer_)});
    buffer_.clear();
    reference_buffer_.clear();
    last_flush_ = now;
    wake_writer_.notify_all();
  }
  if (force) {
    written_.wait(lock, [&] { return (queue_.empty() && !writing_) || writer_error_; });
    if (writer_error_) std::rethrow_exception(writer_error_);
  }
}

}  // namespace sb
