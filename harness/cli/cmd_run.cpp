// `shardbench run`: plan on rank 0, farm the cells over all ranks, record.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <thread>

#include "harness/cli/commands.h"
#include "harness/core/errors.h"
#include "harness/core/memory.h"
#include "harness/run/build_info.h"
#include "harness/run/comm.h"
#include "harness/run/config.h"
#include "harness/run/farm.h"
#include "harness/run/plan.h"
#include "harness/run/progress.h"
#include "harness/run/recorder.h"
#include "harness/run/signals.h"
#include "results/store/database.h"

namespace sb {

namespace {

bool g_quiet_rank = false;

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

// The whole command line as typed (for provenance), from /proc.
std::string own_command_line() {
  std::ifstream f("/proc/self/cmdline", std::ios::binary);
  std::string raw((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  for (char& c : raw)
    if (c == '\0') c = ' ';
  while (!raw.empty() && raw.back() == ' ') raw.pop_back();
  return raw;
}

std::string hostname() {
  char buf[256] = {};
  gethostname(buf, sizeof buf - 1);
  return buf;
}

void print_dry_run(const Plan& plan, const std::vector<std::uint32_t>& to_run, std::size_t in_shard) {
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> per_method;  // label -> (total, to run)
  std::vector<char> runs(plan.cells.size(), 0);
  for (auto i : to_run) runs[i] = 1;
  for (std::size_t i = 0; i < plan.cells.size(); ++i) {
    auto& e = per_method[plan.arm_of(plan.cells[i]).method_label];
    ++e.first;
    e.second += runs[i];
  }
  fmt::print("plan for suite '{}': {} cells total, {} in this shard, {} already done, {} to run\n", plan.suite,
             plan.cells.size(), in_shard, in_shard - to_run.size(), to_run.size());
  for (const auto& [label, counts] : per_method) {
    fmt::print("  {:<50} {:>8} cells {:>8} to run\n", label, counts.first, counts.second);
  }
}

// Per-cell bounds, and what executor children rebuild the plan from. The
// timeout: --timeout, else the config's `timeout`, else the default (so a
// hanging method can never hold an allocation forever).
ExecutorOptions executor_options(const RunRequest& request, const ExperimentConfig& config,
                                 const PlanOptions& plan_options) {
  ExecutorOptions o;
  o.timeout_seconds = request.timeout_seconds > 0   ? request.timeout_seconds
                      : config.timeout_seconds > 0 ? config.timeout_seconds
                                                   : kDefaultCellTimeoutSeconds;
  o.memory_limit_bytes = static_cast<std::uint64_t>(request.memory_limit_mb * 1024 * 1024);
  o.config_path = config.path;
  o.config_text = config.text;
  o.only_methods = plan_options.only_methods;
  o.seeds_override = plan_options.seeds_override;
  return o;
}

}  // namespace

static_assert(kDefaultMaxCells == 100'000'000, "keep RunRequest::max_cells and --help in step");

bool is_quiet_rank() { return g_quiet_rank; }

static int coordinate_run(const RunRequest& request, const Comm& comm, const Plan& plan,
                          const std::vector<std::uint32_t>& to_run, std::size_t in_shard, Database& db,
                          const std::string& config_text, const std::vector<std::string>& hosts,
                          Executor& executor);

CommandSpec run_spec() {
  return {"run",
          "CONFIG.toml [options]",
          "Runs every cell of the experiment that is not yet in the database with status ok.\n"
          "Under mpirun/srun all ranks compute; rank 0 also coordinates and is the only writer.\n"
          "Exit code: 0 all cells ok, 1 some cells failed, 2 bad input (nothing run),\n"
          "3 internal or database error, 128+N when stopped by signal N (rerun to resume).\n"
          "Cells run in one executor process per rank; a method's stdout/stderr are captured: a failed\n"
          "cell's error keeps the first 4 KiB of its message and the last 64 KiB of its output.",
          {db_option(),
           {"--seeds", "N", "use seeds 0..N-1 instead of the config's seeds"},
           {"--only", "NAME,...", "run only these methods of the config"},
           {"--timeout", "SECONDS", "kill a cell running longer, record `timeout` (default: config's `timeout`, else 3600)"},
           {"--memory-limit", "MIB", "cap each executor's address space (RLIMIT_AS); a cell over it fails (\"memory limit\")"},
           {"--force", "", "rerun cells already recorded as ok"},
           {"--shard", "I/N", "run only shard I of N (0-based), for scheduler job arrays"},
           {"--dry-run", "", "print the plan (total, done, to run) and exit"},
           {"--max-cells", "N", "refuse a grid of more than N cells (default: 100000000)"}},
          1,
          1};
}

int cmd_run(const Args& args) {
  RunRequest r;
  r.config_path = args.positional().at(0);
  r.db_path = args.value_or("--db", kDefaultDb);
  r.seeds = static_cast<std::int64_t>(args.number_or("--seeds", 0, 1, 1e8));
  if (args.value("--seeds") && r.seeds != args.number_or("--seeds", 0, 1, 1e8)) {
    throw InputError("option --seeds = '{}' must be a whole number", *args.value("--seeds"));
  }
  if (auto only = args.value("--only")) {
    r.only = split_list(*only);
    if (r.only.empty()) throw InputError("option --only needs at least one method name");
  }
  r.timeout_seconds = args.number_or("--timeout", 0, 1e-3, 1e9);
  if (auto max_cells = args.value("--max-cells")) {
    const double n = args.number_or("--max-cells", 0, 1, 1e18);
    if (n != std::floor(n)) throw InputError("option --max-cells = '{}' must be a whole number", *max_cells);
    r.max_cells = static_cast<std::uint64_t>(n);
  }
  r.memory_limit_mb = args.number_or("--memory-limit", 0, 1, 1e9);
  r.force = args.flag("--force");
  r.dry_run = args.flag("--dry-run");
  if (auto shard = args.value("--shard")) {
    int i = -1, n = -1;
    char extra;
    if (std::sscanf(shard->c_str(), "%d/%d%c", &i, &n, &extra) != 2 || n < 1 || i < 0 || i >= n) {
      throw InputError("option --shard = '{}' must be I/N with 0 <= I < N (e.g. 3/16)", *shard);
    }
    r.shard_index = i;
    r.shard_count = n;
  }
  return execute_run(r);
}

int execute_run(const RunRequest& request) {
  keep_freed_memory();
  Comm comm;
  g_quiet_rank = comm.rank() != 0;
  install_stop_handlers();

  // Rank 0 validates everything and opens the database before any rank
  // starts; the others learn the outcome (and the config text) by broadcast.
  std::string go;  // "" on failure, else the config text
  Plan plan;
  std::vector<std::uint32_t> to_run;
  std::unique_ptr<Database> db;
  std::size_t in_shard = 0;
  PlanOptions plan_options{request.only, request.seeds};
  plan_options.max_cells = request.max_cells;
  // This rank's executor. Its child starts before the rank plans: both build
  // the plan at once, and the child's start-up (exec) overlaps.
  std::unique_ptr<Executor> executor;
  if (comm.rank() == 0) {
    try {
      ExperimentConfig config = load_config(request.config_path);
      if (!request.dry_run) {
        executor = std::make_unique<Executor>(plan, executor_options(request, config, plan_options), 0);
        executor->prestart();
      }
      plan_options.validate_datasets = true;  // rank 0 only: user data files checked once per run
      plan = make_plan(config, plan_options);
      std::unordered_set<std::string> done;
      if (request.dry_run) {
        if (access(request.db_path.c_str(), F_OK) == 0) done = Database(request.db_path, Database::Mode::kReadOnly).ok_keys();
      } else {
        db = std::make_unique<Database>(request.db_path, Database::Mode::kReadWrite);
        for (std::int64_t id : db->mark_stale_runs()) {
          fmt::print(stderr,
                     "[shardbench] run {} was still recorded as running, but its process is gone "
                     "(killed, out of disk space, or the machine restarted): marked interrupted\n",
                     id);
        }
        done = db->ok_keys();
      }
      for (std::uint32_t i = 0; i < plan.cells.size(); ++i) {
        if (request.shard_count > 1 && shard_of(plan.cells[i].key, request.shard_count) != request.shard_index) continue;
        ++in_shard;
        if (request.force || !done.count(plan.cells[i].key)) to_run.push_back(i);
      }
      go = config.text;
    } catch (const std::exception& e) {
      // Tell the other ranks to stop quietly with the same exit code.
      std::string empty, code = dynamic_cast<const InputError*>(&e) ? "2" : "3";
      comm.broadcast(empty);
      comm.broadcast(code);
      throw;
    }
    std::string count = std::to_string(request.dry_run ? 0 : to_run.size());
    comm.broadcast(go);
    comm.broadcast(count);
  } else {
    comm.broadcast(go);
    std::string count;
    comm.broadcast(count);
    if (go.empty()) return std::stoi(count);  // rank 0 reports the error
    if (count == "0") return 0;
    plan_options.compute_keys = false;  // only rank 0 reads and writes keys
    ExperimentConfig config = parse_config(request.config_path, go);
    executor = std::make_unique<Executor>(plan, executor_options(request, config, plan_options), comm.rank());
    executor->prestart();
    plan = make_plan(config, plan_options);
    auto hosts = comm.gather(hostname());
    FarmOptions options;
    run_worker(plan, options, comm, *executor);
    executor.reset();  // the idle child exits; grandchildren are killed
    std::string code;
    comm.broadcast(code);
    return std::stoi(code);
  }

  if (request.dry_run) {
    print_dry_run(plan, to_run, in_shard);
    return 0;
  }
  if (to_run.empty()) {
    fmt::print("nothing to run: all {} cells of {} are already in {} with status ok\n", in_shard,
               request.config_path, request.db_path);
    return 0;
  }
  auto hosts = comm.gather(hostname());
  try {
    const int code = coordinate_run(request, comm, plan, to_run, in_shard, *db, go, hosts, *executor);
    executor.reset();
    // Closing the database checkpoints its WAL into the file (~35 ms for the
    // Kang-Schafer study): done on another thread while MPI finalises, as
    // the other ranks wait for rank 0 in MPI_Finalize.
    std::thread closer([&db] { db.reset(); });
    comm.finalize();
    closer.join();
    return code;
  } catch (const std::exception& e) {
    // The workers are mid-protocol: they cannot be finalised cleanly.
    if (comm.using_mpi()) {
      executor.reset();  // its process group dies with it
      fmt::print(stderr, "shardbench: error: {}\n", e.what());
      comm.abort(3);
    }
    throw;
  }
}

static int coordinate_run(const RunRequest& request, const Comm& comm, const Plan& plan,
                   const std::vector<std::uint32_t>& to_run, std::size_t in_shard, Database& db_ref,
                   const std::string& config_text, const std::vector<std::string>& hosts,
                   Executor& executor) {
  Database* db = &db_ref;
  const std::string& go = config_text;
  RunInfo info;
  const auto& build = build_info();
  info.tool_version = build.version;
  info.git_commit = build.git_commit;
  info.build_type = build.build_type;
  info.compiler = build.compiler;
  auto sorted_hosts = hosts;
  std::sort(sorted_hosts.begin(), sorted_hosts.end());
  sorted_hosts.erase(std::unique(sorted_hosts.begin(), sorted_hosts.end()), sorted_hosts.end());
  for (const auto& h : sorted_hosts) info.hosts += (info.hosts.empty() ? "" : ",") + h;
  info.mpi_size = comm.size();
  info.started_at = utc_now();
  info.status = "running";
  info.config_path = request.config_path;
  info.config_text = go;
  info.command_line = request.command_line.empty() ? own_command_line() : request.command_line;
  const std::int64_t run_id = db->begin_run(info);

  fmt::print(stderr, "[shardbench] run {}: {} cells to run ({} done before) on {} rank{}, database {}\n", run_id,
             to_run.size(), in_shard - to_run.size(), comm.size(), comm.size() > 1 ? "s" : "", request.db_path);
  Recorder recorder(*db, plan, run_id, hosts);
  Progress progress(static_cast<std::int64_t>(to_run.size()), isatty(STDERR_FILENO) != 0, 10.0);
  FarmOptions options;
  FarmSummary summary = run_coordinator(plan, to_run, options, comm, executor,
                                        [&](std::vector<CellOutcome>& outcomes, const FarmSummary& so_far) {
                                          recorder.add(outcomes);
                                          progress.update(so_far.finished, so_far.failed);
                                        });
  recorder.flush(true);
  progress.finish(summary.finished, summary.failed);

  int code = 0;
  std::string status = "ok";
  if (summary.stop_signal) {
    code = 128 + summary.stop_signal;
    status = "interrupted";
  } else if (summary.failed > 0) {
    code = 1;
    status = "failed-cells";
  }
  db->finish_run(run_id, status, utc_now());
  std::string code_text = std::to_string(code);
  comm.broadcast(code_text);

  if (summary.stop_signal) {
    fmt::print(stderr,
               "[shardbench] stopped by signal {} ({}): {} cells recorded, {} not run; run the same command "
               "to resume\n",
               summary.stop_signal, strsignal(summary.stop_signal), summary.finished,
               static_cast<std::int64_t>(to_run.size()) - summary.finished);
  } else {
    fmt::print(stderr, "[shardbench] run {} finished: {} cells, {} ok, {} failed; results in {}\n", run_id,
               summary.finished, summary.finished - summary.failed, summary.failed, request.db_path);
  }
  for (const auto& f : recorder.failure_samples()) fmt::print(stderr, "  failed: {}\n", f);
  if (summary.failed > static_cast<std::int64_t>(recorder.failure_samples().size())) {
    fmt::print(stderr, "  ... see `shardbench status --db {}`\n", request.db_path);
  }
  return code;
}

}  // namespace sb
