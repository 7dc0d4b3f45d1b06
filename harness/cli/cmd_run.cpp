// `shardbench run`: options into a RunRequest, then the run session
// (harness/run/session.h) on every rank.
#include <fmt/format.h>

#include <cmath>
#include <sstream>

#include "harness/cli/commands.h"
#include "harness/core/errors.h"
#include "harness/core/memory.h"
#include "harness/run/comm.h"
#include "harness/run/launch_checks.h"
#include "harness/run/session.h"
#include "harness/run/signals.h"

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

}  // namespace

static_assert(kDefaultMaxCells == 100'000'000, "keep --help in step");

bool is_quiet_rank() { return g_quiet_rank; }

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
           {"--only", "NAME,...", "run only these methods of the config (names or globs, e.g. 'knn*')"},
           {"--method", "NAME|GLOB,...", "the same as --only"},
           {"--dataset", "NAME|GLOB,...", "run only these datasets of the config (names or globs)"},
           {"-s", "KIND.PARAM=V,...", "set (or add) a grid: -s method.trim=0.1,0.2 -s dataset.n=100 (repeatable)"},
           {"--timeout", "SECONDS", "kill a cell running longer, record `timeout` (default: config's `timeout`, else 3600)"},
           {"--max-retries", "N",
            "run a failed cell (error, timeout, crashed) again, same seed, up to N more times in this run "
            "(default: config's `max_retries`, else 0); `status` shows the attempts"},
           {"--memory-limit", "MIB", "cap each executor's address space (RLIMIT_AS); a cell over it fails (\"memory limit\")"},
           {"--force", "", "rerun cells already recorded as ok (the references they need are reused)"},
           {"--force-references", "", "recompute the references the cells to run need (trained models, oracles)"},
           {"--shard", "I/N", "run only shard I of N (0-based; whole dataset replications), for job arrays"},
           {"--dry-run", "", "print the plan (total, done, to run) and exit"},
           {"--exit-zero-on-failed-cells", "", "exit 0 if the run completes with failed cells (still recorded; for mpirun)"},
           {"--max-cells", "N", "refuse a grid of more than N cells and parts of split cells (default: 100000000)"}},
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
  for (const char* option : {"--only", "--method"}) {
    if (auto only = args.value(option)) {
      const auto names = split_list(*only);
      if (names.empty()) throw InputError("option {} needs at least one method name", option);
      r.only.insert(r.only.end(), names.begin(), names.end());
      r.only_option = option;
    }
  }
  if (auto datasets = args.value("--dataset")) {
    r.datasets = split_list(*datasets);
    if (r.datasets.empty()) throw InputError("option --dataset needs at least one dataset name");
  }
  r.overrides = args.values("-s");
  r.timeout_seconds = args.number_or("--timeout", 0, 1e-3, 1e9);
  if (auto max_cells = args.value("--max-cells")) {
    const double n = args.number_or("--max-cells", 0, 1, 1e18);
    if (n != std::floor(n)) throw InputError("option --max-cells = '{}' must be a whole number", *max_cells);
    r.max_cells = static_cast<std::uint64_t>(n);
  }
  r.memory_limit_mb = args.number_or("--memory-limit", 0, 1, 1e9);
  if (auto retries = args.value("--max-retries")) {
    const double n = args.number_or("--max-retries", 0, 0, kMaxRetriesLimit);
    if (n != std::floor(n)) throw InputError("option --max-retries = '{}' must be a whole number", *retries);
    r.max_retries = static_cast<int>(n);
  }
  r.force = args.flag("--force");
  r.force_references = args.flag("--force-references");
  r.dry_run = args.flag("--dry-run");
  r.exit_zero_on_failed_cells = args.flag("--exit-zero-on-failed-cells");
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
  // Before anything is read or written: tasks of one job step that did not
  // join one MPI world would each run the whole grid.
  check_launcher(process_env(), comm.size());
  g_quiet_rank = comm.rank() != 0;
  install_stop_handlers();
  return run_session(request, comm);
}

}  // namespace sb
