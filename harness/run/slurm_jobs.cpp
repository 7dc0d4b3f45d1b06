#include "harness/run/slurm_jobs.h"

#include <fmt/format.h>

namespace sb {

std::string shell_quote(const std::string& text) {
  if (!text.empty() && text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./:=,+-@%") ==
                           std::string::npos) {
    return text;
  }
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string shard_database(const SlurmJobSpec& spec, const std::string& index) {
  return fmt::format("{}/{}-shard-{}-of-{}.sqlite", shell_quote(spec.script_dir), spec.name, index,
                     spec.sbatch.shards);
}

namespace {

// A path in an #SBATCH line: sbatch splits those at blanks unless quoted.
std::string sbatch_path(const std::string& path) {
  return path.find_first_of(" \t") == std::string::npos ? path : "\"" + path + "\"";
}

// The #SBATCH lines every job of the spec shares, then its own.
std::string header(const SlurmJobSpec& spec, const std::string& what, const std::string& job_name,
                   const std::vector<std::string>& own, bool mpi_resources) {
  const SlurmDefaults& s = spec.sbatch;
  std::string out = "#!/bin/bash\n";
  out += fmt::format("# {}\n", what);
  out += fmt::format("# Written by `shardbench slurm` for {}; edit freely. Resubmitting the same job\n"
                     "# resumes: cells already recorded ok in the database are not run again.\n",
                     spec.config);
  out += fmt::format("#SBATCH --job-name={}\n", job_name);
  for (const auto& line : own) out += "#SBATCH " + line + "\n";
  if (mpi_resources && s.nodes) out += fmt::format("#SBATCH --nodes={}\n", s.nodes);
  if (mpi_resources && s.ntasks) out += fmt::format("#SBATCH --ntasks={}\n", s.ntasks);
  if (s.cpus_per_task) out += fmt::format("#SBATCH --cpus-per-task={}\n", s.cpus_per_task);
  if (!s.time.empty()) out += fmt::format("#SBATCH --time={}\n", s.time);
  if (!s.mem.empty()) out += fmt::format("#SBATCH --mem={}\n", s.mem);
  if (!s.partition.empty()) out += fmt::format("#SBATCH --partition={}\n", s.partition);
  if (!s.account.empty()) out += fmt::format("#SBATCH --account={}\n", s.account);
  if (!s.qos.empty()) out += fmt::format("#SBATCH --qos={}\n", s.qos);
  for (const auto& extra : s.sbatch) out += "#SBATCH " + extra + "\n";
  out += "\nset -uo pipefail\n";
  out += fmt::format("cd {} || exit 1\n", shell_quote(spec.workdir));
  for (const auto& line : s.setup) out += line + "\n";
  out += fmt::format("SHARDBENCH={}\nCONFIG={}\n", shell_quote(spec.shardbench), shell_quote(spec.config));
  return out;
}

std::string run_options(const SlurmJobSpec& spec) {
  std::string out;
  for (const auto& o : spec.run_options) {
    out += ' ';
    out += shell_quote(o);
  }
  return out;
}

// A pre-emption or time limit sends SIGTERM to the script and the run: the
// run records what finished and exits; the script goes on to keep it.
constexpr const char* kTrap =
    "# SIGTERM (time limit, scancel): the run stops and records what finished;\n"
    "# this script goes on to keep it. Resubmit to resume.\n"
    "trap 'echo \"shardbench job: stop signal received, keeping what finished\" >&2' TERM INT\n";

// `command` runs against $RUN_DB; returns the lines that set RUN_DB, run it
// and keep its result in the database named by shell variable `variable`.
std::string run_and_keep(const SlurmJobSpec& spec, const std::string& variable, const std::string& command) {
  const std::string target = "\"$" + variable + "\"";
  if (!spec.stage) {
    return fmt::format("RUN_DB={}\n{}\nrc=$?\n", target, command);
  }
  // In and out through `merge`: it reads a database whatever state its WAL
  // is in, and writes a fresh file that is complete once merge exits; the
  // copy is renamed into place (the old -wal/-shm were read by the merge in).
  return fmt::format(
      "# {}: SQLite's WAL needs one host,\n"
      "# so the run writes a database on this node's local disk (rank 0 runs on the\n"
      "# job's first node, here), put in place when the run ends.\n"
      "LOCAL_DIR=${{SLURM_TMPDIR:-${{TMPDIR:-/tmp}}}}/shardbench-$SLURM_JOB_ID\n"
      "rm -rf \"$LOCAL_DIR\" && mkdir -p \"$LOCAL_DIR\" || exit 3\n"
      "RUN_DB=$LOCAL_DIR/run.sqlite\n"
      "# Earlier results: a resubmitted job resumes from them.\n"
      "if [ -f {t} ]; then \"$SHARDBENCH\" merge \"$RUN_DB\" {t} || exit 3; fi\n"
      "{}\n"
      "rc=$?\n"
      "if \"$SHARDBENCH\" merge \"$LOCAL_DIR/done.sqlite\" \"$RUN_DB\" && cp \"$LOCAL_DIR/done.sqlite\" {t}.part &&\n"
      "   rm -f {t}-wal {t}-shm && mv {t}.part {t}; then\n"
      "  rm -rf \"$LOCAL_DIR\"\n"
      "else\n"
      "  echo \"shardbench job: could not put $RUN_DB in place of ${v}; it is kept on $(hostname)\" >&2\n"
      "  rc=3\n"
      "fi\n",
      spec.stage_reason, command, fmt::arg("t", target), fmt::arg("v", variable));
}

}  // namespace

std::vector<JobScript> slurm_job_scripts(const SlurmJobSpec& spec) {
  const std::string db = shell_quote(spec.db);
  if (spec.mode == "mpi") {
    const std::string launch = spec.launcher == "mpirun" ? "mpirun" : "srun --mpi=pmix";
    std::string text = header(spec,
                              fmt::format("One MPI job: every task computes, rank 0 also coordinates and writes "
                                          "({}).",
                                          launch),
                              spec.name, {fmt::format("--output={}", sbatch_path(spec.script_dir + "/" + spec.name + "-%j.out"))}, true);
    text += fmt::format("DB={}\n\n{}\n", db, kTrap);
    text += run_and_keep(spec, "DB",
                         fmt::format("{} \"$SHARDBENCH\" run \"$CONFIG\" --db \"$RUN_DB\"{}", launch, run_options(spec)));
    text += "\"$SHARDBENCH\" status --db \"$DB\"\nexit $rc\n";
    return {{spec.name + ".sbatch", text}};
  }
  const int n = spec.sbatch.shards;
  std::string shards = header(spec,
                              fmt::format("A job array of {} single-process shards (--shard I/{}), each writing its "
                                          "own database;\n# {}-merge.sbatch merges them when all have ended.",
                                          n, n, spec.name),
                              spec.name,
                              {fmt::format("--array=0-{}", n - 1), "--ntasks=1",
                               fmt::format("--output={}", sbatch_path(spec.script_dir + "/" + spec.name + "-shard-%A_%a.out"))},
                              false);
  shards += fmt::format("SHARD=$SLURM_ARRAY_TASK_ID\nSHARD_DB={}\n\n{}\n", shard_database(spec, "${SHARD}"), kTrap);
  shards += run_and_keep(spec, "SHARD_DB",
                         fmt::format("\"$SHARDBENCH\" run \"$CONFIG\" --shard \"$SHARD/{}\" --db \"$RUN_DB\"{}", n,
                                     run_options(spec)));
  shards += "exit $rc\n";

  SlurmJobSpec merge_spec = spec;
  merge_spec.sbatch.cpus_per_task = 0;
  std::string merge = header(merge_spec,
                             fmt::format("Merges the {} shard databases of {}-shards.sbatch into the database, then "
                                         "prints its status\n# (submitted with --dependency=afterany on the array).",
                                         n, spec.name),
                             spec.name + "-merge",
                             {"--ntasks=1", fmt::format("--output={}", sbatch_path(spec.script_dir + "/" + spec.name + "-merge-%j.out"))},
                             false);
  merge += fmt::format("DB={}\n\n", db);
  merge += "shopt -s nullglob\n";
  merge += fmt::format("SHARD_DBS=({})\n", shard_database(spec, "*"));
  merge += fmt::format(
      "if [ ${{#SHARD_DBS[@]}} -lt {} ]; then\n"
      "  echo \"shardbench merge job: ${{#SHARD_DBS[@]}} of {} shard databases exist; merging those\" >&2\n"
      "fi\n",
      n, n);
  merge += "if [ ${#SHARD_DBS[@]} -eq 0 ]; then exit 1; fi\n";
  merge += run_and_keep(spec, "DB", "\"$SHARDBENCH\" merge \"$RUN_DB\" \"${SHARD_DBS[@]}\"");
  merge += "\"$SHARDBENCH\" status --db \"$DB\"\nexit $rc\n";
  return {{spec.name + "-shards.sbatch", shards}, {spec.name + "-merge.sbatch", merge}};
}

}  // namespace sb
