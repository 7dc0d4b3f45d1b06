// Checks of how a run was started, before anything is written: a job step
// whose tasks did not join one MPI world (srun without --mpi=pmix), and a
// database on a network file system, where SQLite's WAL cannot work across
// hosts. Both read their facts through an injected environment so that
// tests can play any launcher and any file system (docs/CLUSTERS.md).
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace sb {

// getenv, or a test's table.
using EnvLookup = std::function<const char*(const char*)>;
EnvLookup process_env();

// The number of tasks the launcher says this process is one of, and the
// variable that says so: Open MPI's mpirun (OMPI_COMM_WORLD_SIZE), a PMI
// launcher (PMI_SIZE), a SLURM job step (SLURM_STEP_NUM_TASKS, set by srun;
// else SLURM_NTASKS when SLURM_PROCID is set, i.e. inside a step). nullopt
// when nothing claims more than one task.
struct LaunchClaim {
  int tasks = 1;
  std::string variable;
};
std::optional<LaunchClaim> launcher_task_claim(const EnvLookup& env);

// Throws InputError when the launcher claims several tasks but MPI sees a
// world of `mpi_world_size` (every task would run the whole grid on its
// own, into the same database); the message names the fix.
void check_launcher(const EnvLookup& env, int mpi_world_size);

// The launcher and scheduler of this process, for provenance: "mpirun",
// "srun", "pmi" or "none"; "slurm", "pbs", "lsf" or "none"; the job id (with
// the array task, "123_4") or empty.
struct SchedulerInfo {
  std::string launcher, scheduler, job_id;
};
SchedulerInfo scheduler_info(const EnvLookup& env);

// The name ("nfs", "lustre", "gpfs", "beegfs", "cifs", "smb2", ...) of the
// network file system with statfs magic `magic`; nullopt for a local one.
std::optional<std::string> network_filesystem_name(unsigned long magic);

// The statfs magic of the file system holding `path` (or, when it does not
// exist yet, its nearest existing parent directory). SB_TEST_FS_MAGIC in
// `env` (hex or decimal) replaces the real answer: the tests' way to play
// Lustre on a laptop.
unsigned long filesystem_magic(const std::string& path, const EnvLookup& env);

// Throws InputError when `db_path` is on a network file system, naming
// `--db` on node-local disk plus `shardbench merge`; SB_ALLOW_NETWORK_DB=1
// in `env` skips the check (one host only, at your own risk).
void check_database_storage(const std::string& db_path, const EnvLookup& env);

}  // namespace sb
