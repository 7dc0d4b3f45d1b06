// Launcher mistakes and network file systems, with the environment and the
// statfs magic injected.
#include "harness/run/launch_checks.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

#include "harness/core/errors.h"

namespace sb {
namespace {

EnvLookup env_of(std::map<std::string, std::string> vars) {
  auto table = std::make_shared<std::map<std::string, std::string>>(std::move(vars));
  return [table](const char* name) -> const char* {
    auto it = table->find(name);
    return it == table->end() ? nullptr : it->second.c_str();
  };
}

std::string error_of(const EnvLookup& env, int world) {
  try {
    check_launcher(env, world);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// `srun -n 2 shardbench run` without --mpi=pmix: two tasks, each alone.
TEST(LauncherCheck, SrunWithoutPmixIsRefusedNamingTheFix) {
  const auto env = env_of({{"SLURM_JOB_ID", "7"}, {"SLURM_STEP_ID", "0"}, {"SLURM_STEP_NUM_TASKS", "2"},
                           {"SLURM_NTASKS", "2"}, {"SLURM_PROCID", "1"}});
  const std::string message = error_of(env, 1);
  EXPECT_NE(message.find("task 1 of 2 (SLURM_STEP_NUM_TASKS=2)"), std::string::npos) << message;
  EXPECT_NE(message.find("srun --mpi=pmix"), std::string::npos) << message;
  EXPECT_NE(message.find("mpirun"), std::string::npos) << message;
  EXPECT_NE(message.find("Nothing was run"), std::string::npos) << message;
  EXPECT_EQ(error_of(env, 2), "");  // the same step with PMIx: one world of 2
}

TEST(LauncherCheck, OlderSlurmWithoutStepNumTasks) {
  EXPECT_NE(error_of(env_of({{"SLURM_STEP_ID", "0"}, {"SLURM_NTASKS", "4"}, {"SLURM_PROCID", "0"}}), 1), "");
  EXPECT_EQ(error_of(env_of({{"SLURM_STEP_ID", "0"}, {"SLURM_NTASKS", "4"}, {"SLURM_PROCID", "0"}}), 4), "");
}

// An sbatch script running `shardbench run` (or merge) itself: the batch
// step has SLURM_NTASKS of the allocation but is one task.
TEST(LauncherCheck, BatchScriptOfAManyTaskAllocationIsOneProcess) {
  EXPECT_EQ(error_of(env_of({{"SLURM_JOB_ID", "7"}, {"SLURM_NTASKS", "4"}}), 1), "");
  EXPECT_EQ(error_of(env_of({}), 1), "");
  EXPECT_EQ(error_of(env_of({{"SLURM_STEP_NUM_TASKS", "1"}, {"SLURM_STEP_ID", "0"}, {"SLURM_PROCID", "0"}}), 1), "");
}

// mpirun inside an allocation: its world size wins over the inherited
// SLURM_* of the allocation (and of mpirun's daemons' step across nodes).
TEST(LauncherCheck, MpirunWorldSizeWinsOverInheritedSlurmVariables) {
  const auto env = env_of({{"OMPI_COMM_WORLD_SIZE", "8"}, {"SLURM_STEP_NUM_TASKS", "2"}, {"SLURM_STEP_ID", "1"},
                           {"SLURM_PROCID", "0"}, {"SLURM_NTASKS", "2"}});
  EXPECT_EQ(error_of(env, 8), "");
  EXPECT_NE(error_of(env, 1), "");  // an MPI library that did not join mpirun's world
  EXPECT_EQ(error_of(env_of({{"OMPI_COMM_WORLD_SIZE", "1"}, {"SLURM_STEP_NUM_TASKS", "4"}}), 1), "");
  EXPECT_NE(error_of(env_of({{"PMI_SIZE", "3"}, {"PMI_RANK", "0"}}), 1), "");
}

TEST(SchedulerInfo, NamesLauncherSchedulerAndJob) {
  auto info = scheduler_info(env_of({{"SLURM_JOB_ID", "12"}, {"SLURM_ARRAY_JOB_ID", "10"},
                                     {"SLURM_ARRAY_TASK_ID", "2"}}));
  EXPECT_EQ(info.launcher, "none");
  EXPECT_EQ(info.scheduler, "slurm");
  EXPECT_EQ(info.job_id, "10_2");
  info = scheduler_info(env_of({{"SLURM_JOB_ID", "12"}, {"SLURM_STEP_ID", "0"}, {"PMIX_RANK", "0"}}));
  EXPECT_EQ(info.launcher, "srun --mpi=pmix");
  EXPECT_EQ(info.job_id, "12");
  info = scheduler_info(env_of({{"OMPI_COMM_WORLD_SIZE", "2"}, {"PBS_JOBID", "5.server"}}));
  EXPECT_EQ(info.launcher, "mpirun");
  EXPECT_EQ(info.scheduler, "pbs");
  EXPECT_EQ(info.job_id, "5.server");
  info = scheduler_info(env_of({{"LSB_JOBID", "99"}, {"LSB_JOBINDEX", "0"}}));
  EXPECT_EQ(info.scheduler, "lsf");
  EXPECT_EQ(info.job_id, "99");
  EXPECT_EQ(scheduler_info(env_of({})).scheduler, "none");
}

TEST(Storage, NetworkFileSystemsByMagic) {
  EXPECT_EQ(network_filesystem_name(0x6969), "nfs");
  EXPECT_EQ(network_filesystem_name(0x0BD00BD0), "lustre");
  EXPECT_EQ(network_filesystem_name(0x47504653), "gpfs");
  EXPECT_EQ(network_filesystem_name(0x19830326), "beegfs");
  EXPECT_EQ(network_filesystem_name(0xFF534D42), "cifs");
  EXPECT_EQ(network_filesystem_name(0xFE534D42), "smb2");
  EXPECT_EQ(network_filesystem_name(0xEF53), std::nullopt);      // ext4
  EXPECT_EQ(network_filesystem_name(0x58465342), std::nullopt);  // xfs
  EXPECT_EQ(network_filesystem_name(0x01021994), std::nullopt);  // tmpfs
}

TEST(Storage, DatabaseOnLustreIsRefusedNamingLocalDiskAndMerge) {
  const auto lustre = env_of({{"SB_TEST_FS_MAGIC", "0x0BD00BD0"}});
  EXPECT_EQ(filesystem_magic("/nowhere/at/all/x.sqlite", lustre), 0x0BD00BD0ul);
  try {
    check_database_storage("/scratch/results.sqlite", lustre);
    FAIL() << "no error";
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("network file system (lustre)"), std::string::npos) << m;
    EXPECT_NE(m.find("--db"), std::string::npos) << m;
    EXPECT_NE(m.find("shardbench merge /scratch/results.sqlite"), std::string::npos) << m;
  }
  EXPECT_NO_THROW(check_database_storage("/scratch/results.sqlite",
                                         env_of({{"SB_TEST_FS_MAGIC", "0x0BD00BD0"}, {"SB_ALLOW_NETWORK_DB", "1"}})));
  EXPECT_NO_THROW(check_database_storage("/scratch/results.sqlite", env_of({{"SB_TEST_FS_MAGIC", "0xEF53"}})));
}

// The real statfs: a path that does not exist yet is judged by its nearest
// existing parent (the build tree is on some local file system here).
TEST(Storage, MagicOfAMissingFileIsItsDirectorys) {
  const auto none = env_of({});
  EXPECT_NE(filesystem_magic(SB_BINARY_DIR, none), 0ul);
  EXPECT_EQ(filesystem_magic(std::string(SB_BINARY_DIR) + "/no/such/dir/x.sqlite", none),
            filesystem_magic(SB_BINARY_DIR, none));
}

}  // namespace
}  // namespace sb

#include "harness/run/provenance.h"

namespace sb {
namespace {

// Three ranks on two hosts: ranks per host counted; a fact the hosts share
// is one value, one they differ in is listed per host.
TEST(Provenance, RanksPerHostAndPerHostFacts) {
  const auto env = run_environment({"b\tXeon\t32\t1000", "a\tEPYC\t32\t1000", "b\tXeon\t32\t1000"},
                                   [](const char* name) -> const char* {
                                     return std::string(name) == "SLURM_JOB_ID" ? "42" : nullptr;
                                   });
  std::map<std::string, std::string> by_name(env.begin(), env.end());
  EXPECT_EQ(by_name["ranks_per_host"], "a=1,b=2");
  EXPECT_EQ(by_name["cpu_model"], "a: EPYC; b: Xeon");
  EXPECT_EQ(by_name["cpu_cores"], "32");
  EXPECT_EQ(by_name["memory_mib"], "1000");
  EXPECT_EQ(by_name["scheduler"], "slurm");
  EXPECT_EQ(by_name["job_id"], "42");
  EXPECT_EQ(by_name["launcher"], "none");
  for (const char* name : {"mpi_library", "os", "sqlite", "boost", "eigen", "fmt", "tomlplusplus"}) {
    EXPECT_FALSE(by_name[name].empty()) << name;
  }
  EXPECT_NE(by_name["mpi_library"].find("MPI"), std::string::npos) << by_name["mpi_library"];
  EXPECT_EQ(env.front().first, "ranks_per_host");  // a fixed order
}

// This host's line: host, CPU model, cores, MiB, tab-separated.
TEST(Provenance, HostFactsLine) {
  const std::string line = host_facts_line();
  EXPECT_EQ(std::count(line.begin(), line.end(), '\t'), 3) << line;
  EXPECT_GT(std::stol(line.substr(line.rfind('\t') + 1)), 0) << line;  // memory
}

}  // namespace
}  // namespace sb
