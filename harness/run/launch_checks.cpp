#include "harness/run/launch_checks.h"

#include <sys/vfs.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string_view>

#include "harness/core/errors.h"

namespace sb {

namespace {

std::optional<long> env_number(const EnvLookup& env, const char* name) {
  const char* text = env(name);
  if (!text || !*text) return std::nullopt;
  long value = 0;
  const std::string_view s(text);
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

bool has(const EnvLookup& env, const char* name) {
  const char* v = env(name);
  return v && *v;
}

}  // namespace

EnvLookup process_env() {
  return [](const char* name) { return static_cast<const char*>(std::getenv(name)); };
}

std::optional<LaunchClaim> launcher_task_claim(const EnvLookup& env) {
  // The most specific launcher first: mpirun's ranks inherit SLURM_* from
  // the allocation (and, across nodes, from the srun step of mpirun's own
  // daemons, one task per node), so those must not be read when mpirun set
  // its own world size.
  for (const char* var : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"}) {
    if (auto n = env_number(env, var)) return *n > 1 ? std::optional(LaunchClaim{static_cast<int>(*n), var}) : std::nullopt;
  }
  if (auto n = env_number(env, "SLURM_STEP_NUM_TASKS")) {
    return *n > 1 ? std::optional(LaunchClaim{static_cast<int>(*n), "SLURM_STEP_NUM_TASKS"}) : std::nullopt;
  }
  // Older SLURM without SLURM_STEP_NUM_TASKS: SLURM_PROCID marks a task of a
  // step (srun); the batch script itself has no SLURM_STEP_ID.
  if (has(env, "SLURM_PROCID") && has(env, "SLURM_STEP_ID")) {
    if (auto n = env_number(env, "SLURM_NTASKS"); n && *n > 1) return LaunchClaim{static_cast<int>(*n), "SLURM_NTASKS"};
  }
  return std::nullopt;
}

void check_launcher(const EnvLookup& env, int mpi_world_size) {
  const auto claim = launcher_task_claim(env);
  if (!claim || claim->tasks == mpi_world_size) return;
  const char* rank = env("SLURM_PROCID");
  if (!rank) rank = env("OMPI_COMM_WORLD_RANK");
  if (!rank) rank = env("PMI_RANK");
  throw InputError(
      "this process is task {} of {} ({}={}), but MPI sees a world of {} process{}: every task would run "
      "the whole grid on its own, into the same database. Nothing was run. Start the tasks as one MPI job: "
      "`srun --mpi=pmix shardbench run ...` (`srun --mpi=list` shows the plugins of this SLURM), or "
      "`mpirun shardbench run ...` inside the allocation; for independent single-process jobs use "
      "`--shard I/N` with one task each (docs/CLUSTERS.md)",
      rank ? rank : "?", claim->tasks, claim->variable, claim->tasks, mpi_world_size,
      mpi_world_size == 1 ? "" : "es");
}

SchedulerInfo scheduler_info(const EnvLookup& env) {
  SchedulerInfo info;
  if (has(env, "OMPI_COMM_WORLD_SIZE")) {
    info.launcher = "mpirun";
  } else if (has(env, "SLURM_STEP_ID") && has(env, "PMIX_RANK")) {
    info.launcher = "srun --mpi=pmix";
  } else if (has(env, "PMI_RANK") || has(env, "PMIX_RANK")) {
    info.launcher = "pmi";
  } else if (has(env, "SLURM_STEP_ID")) {
    info.launcher = "srun";
  } else {
    info.launcher = "none";
  }
  auto with_index = [&](const char* job, const char* index) {
    std::string id = env(job) ? env(job) : "";
    if (has(env, index)) id += std::string("_") + env(index);
    return id;
  };
  if (has(env, "SLURM_JOB_ID")) {
    info.scheduler = "slurm";
    info.job_id = has(env, "SLURM_ARRAY_JOB_ID") ? with_index("SLURM_ARRAY_JOB_ID", "SLURM_ARRAY_TASK_ID")
                                                 : std::string(env("SLURM_JOB_ID"));
  } else if (has(env, "PBS_JOBID")) {
    info.scheduler = "pbs";
    info.job_id = with_index("PBS_JOBID", "PBS_ARRAY_INDEX");
  } else if (has(env, "LSB_JOBID")) {
    info.scheduler = "lsf";
    info.job_id = with_index("LSB_JOBID", "LSB_JOBINDEX");
    if (info.job_id.ends_with("_0")) info.job_id.resize(info.job_id.size() - 2);  // LSB_JOBINDEX=0: no array
  } else {
    info.scheduler = "none";
  }
  return info;
}

std::optional<std::string> network_filesystem_name(unsigned long magic) {
  // linux/magic.h and the file systems' own sources (Lustre, GPFS, BeeGFS
  // are out of tree).
  switch (magic) {
    case 0x6969: return "nfs";
    case 0x0BD00BD0: return "lustre";
    case 0x47504653: return "gpfs";
    case 0x19830326: return "beegfs";
    case 0xFF534D42: return "cifs";
    case 0xFE534D42: return "smb2";
    case 0x517B: return "smb";
    case 0x00C36400: return "ceph";
    case 0x5346414F: return "afs";
    case 0x01021997: return "9p";
    default: return std::nullopt;
  }
}

unsigned long filesystem_magic(const std::string& path, const EnvLookup& env) {
  if (const char* fake = env("SB_TEST_FS_MAGIC"); fake && *fake) return std::strtoul(fake, nullptr, 0);
  std::filesystem::path p = std::filesystem::absolute(path);
  struct statfs fs;
  while (::statfs(p.c_str(), &fs) != 0) {
    if (errno != ENOENT || !p.has_parent_path() || p.parent_path() == p) return 0;
    p = p.parent_path();
  }
  return static_cast<unsigned long>(fs.f_type);
}

void check_database_storage(const std::string& db_path, const EnvLookup& env) {
  const auto name = network_filesystem_name(filesystem_magic(db_path, env));
  if (!name) return;
  if (const char* allow = env("SB_ALLOW_NETWORK_DB"); allow && std::string_view(allow) == "1") return;
  throw InputError(
      "the database {} is on a network file system ({}); SQLite's WAL journal needs memory shared on one "
      "host, so writing it there can corrupt it or fail. Nothing was run. Write to node-local disk, "
      "`--db $TMPDIR/part.sqlite` (or /tmp), then `shardbench merge {} $TMPDIR/part.sqlite` when the run "
      "is over (`shardbench slurm` writes jobs that do this; docs/CLUSTERS.md). On one host only, "
      "SB_ALLOW_NETWORK_DB=1 skips this check",
      db_path, *name, db_path);
}

}  // namespace sb
