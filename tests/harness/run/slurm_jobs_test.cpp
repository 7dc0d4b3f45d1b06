// `shardbench slurm`'s job scripts against golden files (reviewed by hand;
// SB_UPDATE_GOLDEN=1 rewrites them after a deliberate change), and the
// config's [slurm] table.
#include "harness/run/slurm_jobs.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "harness/core/errors.h"
#include "harness/run/config.h"

namespace sb {
namespace {

const std::string kGoldenDir = std::string(SB_SOURCE_DIR) + "/tests/harness/run/golden/";

void expect_golden(const JobScript& script, const std::string& golden_name) {
  const std::string path = kGoldenDir + golden_name;
  if (const char* update = std::getenv("SB_UPDATE_GOLDEN"); update && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << script.text;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "missing golden file " << path << " (SB_UPDATE_GOLDEN=1 writes it)";
  std::stringstream golden;
  golden << in.rdbuf();
  EXPECT_EQ(script.text, golden.str()) << "differs from " << path;
}

SlurmJobSpec base_spec() {
  SlurmJobSpec spec;
  spec.name = "sb-smoke";
  spec.shardbench = "/opt/shardbench/bin/shardbench";
  spec.config = "/home/ada/exp/smoke.toml";
  spec.db = "/home/ada/exp/results.sqlite";
  spec.workdir = "/home/ada/exp";
  spec.script_dir = "/home/ada/exp/slurm-smoke";
  return spec;
}

TEST(SlurmJobs, OneMpiJobWithSrunAndEverySbatchOption) {
  SlurmJobSpec spec = base_spec();
  spec.mode = "mpi";
  spec.launcher = "srun";
  spec.sbatch.nodes = 2;
  spec.sbatch.ntasks = 64;
  spec.sbatch.cpus_per_task = 1;
  spec.sbatch.time = "1-12:00:00";
  spec.sbatch.mem = "4G";
  spec.sbatch.partition = "compute";
  spec.sbatch.account = "proj42";
  spec.sbatch.qos = "normal";
  spec.sbatch.sbatch = {"--constraint=skylake"};
  spec.sbatch.setup = {"module load openmpi/4.1"};
  spec.run_options = {"--seeds", "3", "--only", "huber-mean,sample-mean"};
  const auto scripts = slurm_job_scripts(spec);
  ASSERT_EQ(scripts.size(), 1u);
  EXPECT_EQ(scripts[0].file_name, "sb-smoke.sbatch");
  expect_golden(scripts[0], "mpi-srun.sbatch");
}

TEST(SlurmJobs, OneMpiJobWithMpirunThroughNodeLocalDisk) {
  SlurmJobSpec spec = base_spec();
  spec.mode = "mpi";
  spec.launcher = "mpirun";
  spec.sbatch.ntasks = 8;
  spec.stage = true;
  spec.stage_reason = "The database is on a network file system (nfs)";
  const auto scripts = slurm_job_scripts(spec);
  ASSERT_EQ(scripts.size(), 1u);
  expect_golden(scripts[0], "mpi-mpirun-staged.sbatch");
}

TEST(SlurmJobs, ArrayOfShardsAndMergeJob) {
  SlurmJobSpec spec = base_spec();
  spec.mode = "array";
  spec.sbatch.shards = 4;
  spec.sbatch.time = "30";
  spec.sbatch.partition = "short";
  spec.script_dir = "/home/ada/my exp/slurm";  // a space: every use must be quoted
  const auto scripts = slurm_job_scripts(spec);
  ASSERT_EQ(scripts.size(), 2u);
  EXPECT_EQ(scripts[0].file_name, "sb-smoke-shards.sbatch");
  EXPECT_EQ(scripts[1].file_name, "sb-smoke-merge.sbatch");
  expect_golden(scripts[0], "array-shards.sbatch");
  expect_golden(scripts[1], "array-merge.sbatch");
  EXPECT_EQ(shard_database(spec, "3"), "'/home/ada/my exp/slurm'/sb-smoke-shard-3-of-4.sqlite");
}

// Every golden script parses as bash (bash -n reads without running).
TEST(SlurmJobs, GoldenScriptsAreValidBash) {
  for (const char* name : {"mpi-srun.sbatch", "mpi-mpirun-staged.sbatch", "array-shards.sbatch", "array-merge.sbatch"}) {
    const std::string command = "bash -n '" + kGoldenDir + name + "'";
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
  }
}

TEST(SlurmJobs, ShellQuote) {
  EXPECT_EQ(shell_quote("/a/b-c_d.toml"), "/a/b-c_d.toml");
  EXPECT_EQ(shell_quote("a b"), "'a b'");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quote("$HOME"), "'$HOME'");
  EXPECT_EQ(shell_quote(""), "''");
}

std::string config_error(const std::string& slurm_table) {
  try {
    parse_config("exp.toml", "suite = \"selftest\"\nseeds = 1\n[[datasets]]\nname = \"empty\"\n[[methods]]\n"
                             "name = \"noop\"\n" + slurm_table);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(SlurmTable, AcceptedAndRead) {
  const auto config = parse_config("exp.toml",
                                   "suite = \"selftest\"\nseeds = 1\n[[datasets]]\nname = \"empty\"\n[[methods]]\n"
                                   "name = \"noop\"\n[slurm]\nmode = \"array\"\nshards = 16\ntime = \"2:00:00\"\n"
                                   "partition = \"gpu\"\naccount = \"p1\"\nntasks = 4\nlauncher = \"mpirun\"\n"
                                   "sbatch = [\"--qos=long\"]\nsetup = [\"module load openmpi\"]\n");
  EXPECT_EQ(config.slurm.mode, "array");
  EXPECT_EQ(config.slurm.shards, 16);
  EXPECT_EQ(config.slurm.time, "2:00:00");
  EXPECT_EQ(config.slurm.partition, "gpu");
  EXPECT_EQ(config.slurm.account, "p1");
  EXPECT_EQ(config.slurm.ntasks, 4);
  EXPECT_EQ(config.slurm.launcher, "mpirun");
  EXPECT_EQ(config.slurm.sbatch, std::vector<std::string>{"--qos=long"});
  EXPECT_EQ(config.slurm.setup, std::vector<std::string>{"module load openmpi"});
  EXPECT_EQ(config_error(""), "");
}

TEST(SlurmTable, ProblemsNameFileLineAndKey) {
  EXPECT_NE(config_error("[slurm]\nnodez = 2\n").find("exp.toml:8: unknown key 'slurm.nodez'"), std::string::npos);
  EXPECT_NE(config_error("[slurm]\nmode = \"serial\"\n").find("slurm.mode = 'serial' must be"), std::string::npos);
  EXPECT_NE(config_error("[slurm]\nntasks = 0\n").find("slurm.ntasks must be a whole number"), std::string::npos);
  EXPECT_NE(config_error("[slurm]\ntime = \"two hours\"\n").find("not an sbatch time"), std::string::npos);
  EXPECT_NE(config_error("[slurm]\npartition = \"a b\"\n").find("slurm.partition 'a b' must be one word"),
            std::string::npos);
  EXPECT_NE(config_error("[slurm]\nsbatch = [\"-p x\"]\n").find("must be one long option"), std::string::npos);
  try {  // a top-level key, before the tables
    parse_config("exp.toml", "slurm = 3\nsuite = \"selftest\"\nseeds = 1\n[[datasets]]\nname = \"empty\"\n"
                             "[[methods]]\nname = \"noop\"\n");
    ADD_FAILURE() << "slurm = 3 accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("exp.toml:1: 'slurm' must be a table"), std::string::npos) << e.what();
  }
  EXPECT_EQ(check_slurm_time("90"), "");
  EXPECT_EQ(check_slurm_time("1-00:30"), "");
  EXPECT_EQ(check_slurm_time("12:00:00"), "");
  EXPECT_NE(check_slurm_time("12h"), "");
}

}  // namespace
}  // namespace sb
