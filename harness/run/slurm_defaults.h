// The optional [slurm] table of an experiment config: defaults of the jobs
// `shardbench slurm` writes (command-line options override them). Validated
// with the rest of the config; nothing in it changes a cell or its key.
#pragma once

#include <string>
#include <vector>

namespace sb {

struct SlurmDefaults {
  std::string mode;      // "mpi" (one MPI job) or "array" (shards + merge); empty: mpi
  std::string launcher;  // "srun" (srun --mpi=pmix) or "mpirun"; empty: srun
  int nodes = 0, ntasks = 0, cpus_per_task = 0, shards = 0;  // 0: not set
  std::string time, partition, account, qos, mem;
  std::vector<std::string> sbatch;  // further sbatch options, e.g. "--constraint=skylake"
  std::vector<std::string> setup;   // shell lines run before shardbench, e.g. "module load openmpi"
};

// Checks of values that reach a job script (shared with the command line):
// empty string when fine, else what is wrong.
std::string check_slurm_time(const std::string& value);
std::string check_slurm_word(const std::string& what, const std::string& value);

}  // namespace sb
