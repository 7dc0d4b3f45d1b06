// Liveness of runs: while a run is in progress, its process holds a (read)
// lock on byte `run_id` of a sidecar file next to the database (DB-runlock). The
// kernel drops the lock when the process ends in any way (kill -9, a full
// disk, a reboot), so a run recorded as `running` whose byte is unlocked has
// no live process and is stale. Open-file-description locks (F_OFD_SETLK):
// unlike POSIX record locks they are not dropped when another descriptor of
// the file closes, and they conflict between descriptors of one process, so
// checks work in-process too. Internal to results/store/; see
// docs/DATABASE.md ("Runs and liveness").
#pragma once

#include <cstdint>
#include <string>

namespace sb::store {

std::string run_lock_path(const std::string& db_path);

// The locks this process holds for its runs (one descriptor, one byte per
// run); released when the object is destroyed or the process ends.
class RunLocks {
 public:
  RunLocks() = default;
  ~RunLocks();
  RunLocks(const RunLocks&) = delete;
  RunLocks& operator=(const RunLocks&) = delete;

  // Creates the sidecar if needed and locks byte `run_id`. Throws
  // DatabaseError naming the file when it cannot.
  void acquire(const std::string& db_path, std::int64_t run_id);

  // One writing run per database: a write lock on byte 0 (run ids start at
  // 1), held until this object is destroyed. Throws InputError naming the
  // database when another process holds it.
  void acquire_writer(const std::string& db_path);
  static constexpr std::int64_t kWriterByte = 0;

 private:
  void open_sidecar(const std::string& db_path);
  int fd_ = -1;
};

// False when no process holds the lock of `run_id` (or the sidecar does not
// exist); true when one does, or when it cannot be told (sidecar unreadable):
// a run is only declared dead on positive evidence.
bool run_lock_held(const std::string& db_path, std::int64_t run_id);

}  // namespace sb::store
