// `shardbench slurm`: writes (and with --submit submits) the SLURM jobs of a
// config: one MPI job, or a job array of shards plus a dependent merge job.
// Script text: harness/run/slurm_jobs.h; docs/CLUSTERS.md.
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "harness/cli/commands.h"
#include "harness/cli/output_file.h"
#include "harness/core/errors.h"
#include "harness/run/config.h"
#include "harness/run/launch_checks.h"
#include "harness/run/slurm_jobs.h"

namespace sb {

namespace fs = std::filesystem;

namespace {

std::string absolute_path(const std::string& path) { return fs::absolute(path).lexically_normal().string(); }

// Runs `command` (a shell line) and returns its stdout; InputError with its
// output when it fails (sbatch refusing a partition, an account...).
std::string run_shell(const std::string& command) {
  std::FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (!pipe) throw InputError("cannot run '{}'", command);
  std::string out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  const int status = ::pclose(pipe);
  if (status != 0) {
    throw InputError("'{}' failed (exit {}): {}", command, WIFEXITED(status) ? WEXITSTATUS(status) : -1, out);
  }
  return out;
}

// sbatch --parsable prints "JOBID" or "JOBID;CLUSTER".
std::string job_id_of(const std::string& sbatch_output) {
  std::string id = sbatch_output.substr(0, sbatch_output.find_first_of(";\n"));
  if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos) {
    throw InputError("sbatch printed no job id: '{}'", sbatch_output);
  }
  return id;
}

int count_option(const Args& args, const std::string& name, int fallback) {
  if (!args.value(name)) return fallback;
  const double v = args.number_or(name, 0, 1, 1e6);
  if (v != std::floor(v)) throw InputError("option {} = '{}' must be a whole number", name, *args.value(name));
  return static_cast<int>(v);
}

}  // namespace

CommandSpec slurm_spec() {
  return {"slurm",
          "CONFIG.toml [options]",
          "Writes the SLURM jobs that run an experiment, and with --submit submits them.\n"
          "--mode mpi: one MPI job (srun --mpi=pmix, or mpirun) over --ntasks tasks. --mode array: a job\n"
          "array of --shards single-process tasks (--shard I/N, each its own database) and a merge job that\n"
          "runs when they have ended. Defaults come from the config's [slurm] table; options override them.\n"
          "When the database is on a network file system, the jobs write through node-local disk.\n"
          "See docs/CLUSTERS.md.",
          {db_option(),
           {"--mode", "mpi|array", "one MPI job (default) or a job array of shards plus a merge job"},
           {"--shards", "N", "array mode: number of shards (array tasks)"},
           {"--launcher", "srun|mpirun", "mpi mode: srun --mpi=pmix (default) or mpirun inside the job"},
           {"--nodes", "N", "#SBATCH --nodes"},
           {"--ntasks", "N", "#SBATCH --ntasks (mpi mode: MPI ranks)"},
           {"--cpus-per-task", "N", "#SBATCH --cpus-per-task"},
           {"--time", "TIME", "#SBATCH --time (e.g. 2:00:00)"},
           {"--partition", "NAME", "#SBATCH --partition"},
           {"--account", "NAME", "#SBATCH --account"},
           {"--name", "NAME", "job name and script prefix (default: sb-CONFIGNAME)"},
           {"--dir", "DIR", "where scripts, job logs and shard databases go (default: slurm-CONFIGNAME)"},
           {"--stage", "auto|always|never", "write through node-local disk: auto = when the database is on a network FS"},
           {"--seeds", "N", "passed on to `shardbench run`"},
           {"--only", "NAME,...", "passed on to `shardbench run`"},
           {"--timeout", "SECONDS", "passed on to `shardbench run`"},
           {"--submit", "", "submit with sbatch (the merge job depends on the array: afterany)"},
           {"--wait", "", "with --submit: wait until the last job has ended (sbatch --wait)"},
           {"--dry-run", "", "print the scripts, write nothing"}},
          1,
          1};
}

int cmd_slurm(const Args& args) {
  const std::string config_path = args.positional().at(0);
  const ExperimentConfig config = load_config(config_path);
  const std::string stem = fs::path(config_path).stem().string();

  SlurmJobSpec spec;
  spec.sbatch = config.slurm;
  SlurmDefaults& s = spec.sbatch;
  spec.mode = args.value_or("--mode", s.mode.empty() ? "mpi" : s.mode);
  if (spec.mode != "mpi" && spec.mode != "array") throw InputError("option --mode = '{}' must be mpi or array", spec.mode);
  spec.launcher = args.value_or("--launcher", s.launcher.empty() ? "srun" : s.launcher);
  if (spec.launcher != "srun" && spec.launcher != "mpirun") {
    throw InputError("option --launcher = '{}' must be srun or mpirun", spec.launcher);
  }
  s.nodes = count_option(args, "--nodes", s.nodes);
  s.ntasks = count_option(args, "--ntasks", s.ntasks);
  s.cpus_per_task = count_option(args, "--cpus-per-task", s.cpus_per_task);
  s.shards = count_option(args, "--shards", s.shards);
  s.time = args.value_or("--time", s.time);
  s.partition = args.value_or("--partition", s.partition);
  s.account = args.value_or("--account", s.account);
  spec.name = args.value_or("--name", "sb-" + stem);
  for (const auto& [what, value] : {std::pair<std::string, std::string>{"--partition", s.partition},
                                    {"--account", s.account},
                                    {"--name", spec.name}}) {
    if (value.empty()) continue;
    if (auto bad = check_slurm_word("option " + what, value); !bad.empty()) throw InputError("{}", bad);
  }
  if (!s.time.empty()) {
    if (auto bad = check_slurm_time(s.time); !bad.empty()) throw InputError("option --time: {}", bad);
  }
  if (spec.mode == "mpi" && s.ntasks == 0) {
    throw InputError("mpi mode needs the number of MPI ranks: --ntasks N (or ntasks = N in the config's [slurm] table)");
  }
  if (spec.mode == "array" && s.shards == 0) {
    throw InputError("array mode needs the number of shards: --shards N (or shards = N in the config's [slurm] table)");
  }

  spec.shardbench = fs::read_symlink("/proc/self/exe").string();
  spec.config = absolute_path(config_path);
  spec.db = absolute_path(args.value_or("--db", kDefaultDb));
  spec.workdir = fs::current_path().string();
  spec.script_dir = absolute_path(args.value_or("--dir", "slurm-" + stem));
  if (spec.script_dir.find_first_of("\"\n") != std::string::npos) {
    throw InputError("option --dir = '{}': a directory name with a double quote or newline cannot go into an "
                     "#SBATCH line",
                     spec.script_dir);
  }
  for (const char* option : {"--seeds", "--only", "--timeout"}) {
    if (auto v = args.value(option)) {
      spec.run_options.push_back(option);
      spec.run_options.push_back(*v);
    }
  }
  const std::string stage = args.value_or("--stage", "auto");
  if (stage != "auto" && stage != "always" && stage != "never") {
    throw InputError("option --stage = '{}' must be auto, always or never", stage);
  }
  const auto network = network_filesystem_name(filesystem_magic(spec.db, process_env()));
  spec.stage = stage == "always" || (stage == "auto" && network);
  spec.stage_reason = network ? fmt::format("The database is on a network file system ({})", *network)
                              : std::string("Node-local storage (--stage always)");

  const auto scripts = slurm_job_scripts(spec);
  if (args.flag("--dry-run")) {
    for (const auto& script : scripts) fmt::print("==> {}/{} <==\n{}\n", spec.script_dir, script.file_name, script.text);
    return 0;
  }
  fs::create_directories(spec.script_dir);
  std::vector<std::string> paths;
  for (const auto& script : scripts) {
    paths.push_back(spec.script_dir + "/" + script.file_name);
    write_file_atomically(paths.back(), script.text);
    fs::permissions(paths.back(), fs::perms::owner_exec | fs::perms::group_exec, fs::perm_options::add);
    fmt::print("wrote {}\n", paths.back());
  }
  const bool wait = args.flag("--wait");
  if (!args.flag("--submit")) {
    if (spec.mode == "mpi") {
      fmt::print("submit with: sbatch {}\n", shell_quote(paths[0]));
    } else {
      fmt::print("submit with: jid=$(sbatch --parsable {}) && sbatch --dependency=afterany:$jid {}\n",
                 shell_quote(paths[0]), shell_quote(paths[1]));
    }
    return 0;
  }
  const std::string wait_flag = wait ? " --wait" : "";
  if (spec.mode == "mpi") {
    const std::string id = job_id_of(run_shell("sbatch --parsable" + wait_flag + " " + shell_quote(paths[0])));
    fmt::print("submitted job {}; its log: {}/{}-{}.out\n", id, spec.script_dir, spec.name, id);
  } else {
    const std::string array = job_id_of(run_shell("sbatch --parsable " + shell_quote(paths[0])));
    fmt::print("submitted job array {} ({} shards)\n", array, s.shards);
    std::fflush(stdout);
    const std::string merge = job_id_of(run_shell("sbatch --parsable" + wait_flag + " --dependency=afterany:" + array +
                                                  " " + shell_quote(paths[1])));
    fmt::print("submitted merge job {} (runs when the array has ended); its log: {}/{}-merge-{}.out\n", merge,
               spec.script_dir, spec.name, merge);
  }
  if (wait) fmt::print("jobs ended; results in {} (shardbench status --db {})\n", spec.db, shell_quote(spec.db));
  return 0;
}

}  // namespace sb
