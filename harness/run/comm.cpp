#include "harness/run/comm.h"

#include <mpi.h>

#include <cstdlib>
#include <string_view>

#include "harness/core/errors.h"

namespace sb {

bool launched_by_mpi() {
  for (const char* var : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"}) {
    if (std::getenv(var)) return true;
  }
  return false;
}

namespace {

// On a single node Open MPI's shared-memory path (PML ob1 with the vader BTL)
// carries all of the farm's traffic; selecting a fabric PML (cm over OFI or
// PSM2, ucx) first probes the network libraries, which costs ~0.2 s of
// MPI_Init on Debian's Open MPI 4.1 and slowed the farm's progress polling.
// So when mpirun reports that every rank is on this node and the user chose
// no PML (`--mca pml X` or OMPI_MCA_pml), ob1 is selected. Multi-node jobs,
// other launchers and other MPI libraries are left alone (docs/ARCHITECTURE.md).
void prefer_shared_memory_pml_on_one_node() {
  const char* size = std::getenv("OMPI_COMM_WORLD_SIZE");
  const char* local_size = std::getenv("OMPI_COMM_WORLD_LOCAL_SIZE");
  if (!size || !local_size || std::string_view(size) != local_size) return;
  if (std::getenv("OMPI_MCA_pml")) return;
  setenv("OMPI_MCA_pml", "ob1", 0);
}

}  // namespace

Comm::Comm() {
  if (!launched_by_mpi()) return;
  prefer_shared_memory_pml_on_one_node();
  int provided = 0;
  // Only the main thread calls MPI.
  if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
    throw InternalError("MPI_Init failed");
  }
  mpi_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

Comm::~Comm() { finalize(); }

void Comm::finalize() {
  if (!mpi_ || finalized_) return;
  complete_sends(true);
  MPI_Finalize();
  finalized_ = true;
}

void Comm::broadcast(std::string& text) const {
  if (!mpi_) return;
  complete_sends(true);
  unsigned long long n = text.size();
  MPI_Bcast(&n, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
  text.resize(n);
  if (n) MPI_Bcast(text.data(), static_cast<int>(n), MPI_BYTE, 0, MPI_COMM_WORLD);
}

std::vector<std::string> Comm::gather(const std::string& text) const {
  if (!mpi_) return {text};
  int n = static_cast<int>(text.size());
  std::vector<int> sizes(rank_ == 0 ? size_ : 0);
  MPI_Gather(&n, 1, MPI_INT, sizes.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  std::vector<int> offsets(sizes.size());
  int total = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    offsets[i] = total;
    total += sizes[i];
  }
  std::string all(static_cast<size_t>(total), '\0');
  MPI_Gatherv(text.data(), n, MPI_BYTE, all.data(), sizes.data(), offsets.data(), MPI_BYTE, 0,
              MPI_COMM_WORLD);
  std::vector<std::string> out;
  for (size_t i = 0; i < sizes.size(); ++i) out.push_back(all.substr(offsets[i], sizes[i]));
  return out;
}

void Comm::send(int dest, int tag, std::string bytes) const {
  if (bytes.size() > static_cast<size_t>(INT32_MAX)) throw InternalError("MPI message too large");
  complete_sends(false);
  pending_.push_back({new MPI_Request, std::move(bytes)});
  auto& p = pending_.back();
  MPI_Isend(p.bytes.data(), static_cast<int>(p.bytes.size()), MPI_BYTE, dest, tag, MPI_COMM_WORLD,
            static_cast<MPI_Request*>(p.request));
}

void Comm::complete_sends(bool wait) const {
  for (auto it = pending_.begin(); it != pending_.end();) {
    auto* request = static_cast<MPI_Request*>(it->request);
    int done = 0;
    if (wait) {
      MPI_Wait(request, MPI_STATUS_IGNORE);
      done = 1;
    } else {
      MPI_Test(request, &done, MPI_STATUS_IGNORE);
    }
    if (done) {
      delete request;
      it = pending_.erase(it);
    } else {
      ++it;
    }
  }
}

std::optional<std::pair<int, std::string>> Comm::try_receive(int source, int tag) const {
  complete_sends(false);
  int flag = 0;
  MPI_Status status;
  MPI_Iprobe(source < 0 ? MPI_ANY_SOURCE : source, tag, MPI_COMM_WORLD, &flag, &status);
  if (!flag) return std::nullopt;
  int count = 0;
  MPI_Get_count(&status, MPI_BYTE, &count);
  std::string bytes(static_cast<size_t>(count), '\0');
  MPI_Recv(bytes.data(), count, MPI_BYTE, status.MPI_SOURCE, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return std::make_pair(status.MPI_SOURCE, std::move(bytes));
}

void Comm::abort(int code) const {
  MPI_Abort(MPI_COMM_WORLD, code);
  std::abort();  // MPI_Abort does not return; this satisfies [[noreturn]]
}

void Comm::barrier() const {
  if (mpi_) MPI_Barrier(MPI_COMM_WORLD);
}

}  // namespace sb
