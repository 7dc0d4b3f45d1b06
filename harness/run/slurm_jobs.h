// The job scripts of `shardbench slurm`: plain bash with #SBATCH lines that
// a user can read, edit and resubmit (docs/CLUSTERS.md). Pure text: the
// command resolves paths and options; tests compare against golden files.
#pragma once

#include <string>
#include <vector>

#include "harness/run/slurm_defaults.h"

namespace sb {

struct SlurmJobSpec {
  std::string name;      // the job name (#SBATCH --job-name)
  std::string mode;      // "mpi": one MPI job; "array": shard tasks + a merge job
  std::string launcher;  // mpi mode: "srun" (srun --mpi=pmix) or "mpirun"
  SlurmDefaults sbatch;  // nodes, ntasks, time... as resolved (0 / empty: not written)
  std::string shardbench, config, db;  // absolute paths
  std::string workdir;                 // the jobs cd here
  std::string script_dir;              // scripts, job logs, shard databases
  std::vector<std::string> run_options;  // passed on to `shardbench run` (e.g. --seeds 3)
  // Through node-local storage: the job's run writes a database on the
  // node's local disk, merged into `db` when it ends (`stage_reason` names
  // why, e.g. "the database is on nfs").
  bool stage = false;
  std::string stage_reason;
};

struct JobScript {
  std::string file_name;  // in script_dir
  std::string text;
};

// mpi mode: {NAME.sbatch}; array mode: {NAME-shards.sbatch, NAME-merge.sbatch}.
std::vector<JobScript> slurm_job_scripts(const SlurmJobSpec& spec);

// The database of shard `index` of `count` in array mode (a shell
// expression when `index` is "$SHARD").
std::string shard_database(const SlurmJobSpec& spec, const std::string& index);

// 'text' quoted for bash (as is when it needs no quoting).
std::string shell_quote(const std::string& text);

}  // namespace sb
