#include "results/store/run_lock.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "harness/core/errors.h"

namespace sb::store {

namespace {

struct flock byte_of(std::int64_t run_id, short type) {
  struct flock lock;
  std::memset(&lock, 0, sizeof lock);
  lock.l_type = type;
  lock.l_whence = SEEK_SET;
  lock.l_start = static_cast<off_t>(run_id);
  lock.l_len = 1;
  return lock;  // l_pid must be 0 for OFD locks
}

}  // namespace

std::string run_lock_path(const std::string& db_path) { return db_path + "-runlock"; }

RunLocks::~RunLocks() {
  if (fd_ >= 0) ::close(fd_);
}

void RunLocks::open_sidecar(const std::string& db_path) {
  const std::string path = run_lock_path(db_path);
  if (fd_ < 0) {
    // Like SQLite's -wal and -shm: created with the database file's
    // permissions, so that every user who may write the database can lock.
    struct stat db_stat;
    const mode_t mode = ::stat(db_path.c_str(), &db_stat) == 0 ? (db_stat.st_mode & 0666) : 0644;
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd_ >= 0) {
      ::fchmod(fd_, mode);  // past the umask
    } else if (errno == EEXIST) {
      fd_ = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
      // A read lock is enough (each run has its own byte), and needs only
      // read access to a sidecar another user created.
      if (fd_ < 0 && errno == EACCES) fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    }
    if (fd_ < 0) {
      throw DatabaseError("cannot open the run lock file {} (needed to tell live runs from "
                          "dead ones): {}",
                          path, std::strerror(errno));
    }
  }
}

void RunLocks::acquire(const std::string& db_path, std::int64_t run_id) {
  open_sidecar(db_path);
  const std::string path = run_lock_path(db_path);
  struct flock lock = byte_of(run_id, F_RDLCK);
  if (::fcntl(fd_, F_OFD_SETLK, &lock) != 0) {
    throw DatabaseError("cannot lock byte {} of the run lock file {} for run {}: {}", run_id,
                        path, run_id, std::strerror(errno));
  }
}

void RunLocks::acquire_writer(const std::string& db_path) {
  open_sidecar(db_path);
  struct flock lock = byte_of(kWriterByte, F_WRLCK);
  if (::fcntl(fd_, F_OFD_SETLK, &lock) == 0) return;
  if (errno == EAGAIN || errno == EACCES) {
    throw InputError("another `shardbench run` is writing {} (it holds the writer lock of {}); two runs "
                     "on one database would compute the same cells twice. Nothing was run. Wait for it "
                     "to finish (`shardbench status --db {}`), or give this run its own --db and "
                     "`shardbench merge` the two",
                     db_path, run_lock_path(db_path), db_path);
  }
  // EBADF: a sidecar of another user that this user may only read; runs
  // are then not serialised (docs/DATABASE.md).
  if (errno != EBADF) {
    throw DatabaseError("cannot take the writer lock of {}: {}", run_lock_path(db_path), std::strerror(errno));
  }
}

bool run_lock_held(const std::string& db_path, std::int64_t run_id) {
  const int fd = ::open(run_lock_path(db_path).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno != ENOENT;
  // Asking for a write lock reports any lock on the byte (runs hold read
  // locks).
  struct flock lock = byte_of(run_id, F_WRLCK);
  const int rc = ::fcntl(fd, F_OFD_GETLK, &lock);
  ::close(fd);
  if (rc != 0) return true;
  return lock.l_type != F_UNLCK;
}

}  // namespace sb::store
