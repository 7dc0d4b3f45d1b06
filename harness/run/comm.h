// A thin wrapper over MPI for the farm. Without a launcher (no mpirun/srun
// environment) MPI is not initialised at all and the run is one process.
#pragma once

#include <list>
#include <optional>
#include <string>
#include <vector>

namespace sb {

class Comm {
 public:
  // Initialises MPI when the process was started by a launcher.
  Comm();
  ~Comm();
  Comm(const Comm&) = delete;
  Comm& operator=(const Comm&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool using_mpi() const { return mpi_; }

  // Rank 0's string to everyone.
  void broadcast(std::string& text) const;
  // Every rank's string, on rank 0 (empty elsewhere).
  std::vector<std::string> gather(const std::string& text) const;

  // Non-blocking send: the bytes are kept until MPI is done with them. Both
  // sides may send large messages at once, so a blocking send could deadlock.
  void send(int dest, int tag, std::string bytes) const;
  // Non-blocking: a message from `source` (-1 = any) with `tag`, if one is waiting.
  std::optional<std::pair<int, std::string>> try_receive(int source, int tag) const;

  void barrier() const;
  // MPI_Finalize now (the destructor then does nothing); a no-op without MPI.
  void finalize();
  // Ends every rank of the job (MPI_Abort); for errors on rank 0 while the
  // workers are mid-protocol. Never returns.
  [[noreturn]] void abort(int code) const;

 private:
  void complete_sends(bool wait) const;

  struct PendingSend {
    void* request;  // MPI_Request, kept opaque so mpi.h stays out of this header
    std::string bytes;
  };
  mutable std::list<PendingSend> pending_;
  bool mpi_ = false;
  bool finalized_ = false;
  int rank_ = 0;
  int size_ = 1;
};

// True when the environment says a launcher started this process.
bool launched_by_mpi();

}  // namespace sb
