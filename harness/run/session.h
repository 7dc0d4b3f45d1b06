// A run session: what `shardbench run` does on every rank, as a library.
// Rank 0 plans (config, plan, database, resume and shard filtering), tells
// the other ranks how to proceed in one typed message, coordinates the farm
// and records; the other ranks plan without keys and compute. The CLI only
// parses options into a RunRequest and maps the result to an exit code.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "harness/run/plan.h"

namespace sb {

class Comm;

// Options of a run, shared by `run` and `reproduce`.
struct RunRequest {
  std::string config_path;
  std::string db_path = "results.sqlite";
  std::int64_t seeds = 0;  // 0: the config's seeds
  std::vector<std::string> only;      // --only / --method: method names or globs
  std::string only_option = "--only";  // the option that gave `only`, for messages
  std::vector<std::string> datasets;  // --dataset: dataset names or globs
  std::vector<std::string> overrides; // -s kind.param=v1,v2
  double timeout_seconds = 0;  // 0: the config's `timeout`, else kDefaultCellTimeoutSeconds
  double memory_limit_mb = 0;  // 0: none
  // A failed cell is run again (same seed) up to this many more times in the
  // run; -1: the config's `max_retries`, else 0.
  int max_retries = -1;
  bool force = false;             // rerun cells recorded ok (references are reused)
  bool force_references = false;  // recompute the references the cells need, too
  int shard_index = 0, shard_count = 1;
  bool dry_run = false;
  // Exit 0 when the run completed with failed cells (still recorded, run
  // status `failed-cells`): mpirun reports any non-zero exit as an aborted job.
  bool exit_zero_on_failed_cells = false;
  std::string command_line;  // for provenance; empty: this process's own
  std::uint64_t max_cells = kDefaultMaxCells;
};

// The jobs of a run: the cells selected, and before them the references
// those cells need that are not recorded ok (all of them with
// `force_references`); `recorded` gets the outputs of the others, read from
// `db` (may be null: a dry run without a database).
struct JobSelection {
  std::vector<std::uint32_t> jobs;  // reference jobs first, then the cells, each in plan order
  std::size_t cells = 0;            // of which cells
  std::size_t references_reused = 0;
};

// The cells of `plan` this run computes: those in shard `shard_index` of
// `shard_count` (shard_of_cell: by dataset replication) whose key is not in `done` (all of them with
// `force`), in plan order.
struct CellSelection {
  std::vector<std::uint32_t> to_run;
  std::size_t in_shard = 0;  // cells of the plan in this shard, done or not
};
CellSelection select_cells(const Plan& plan, const std::unordered_set<std::string>& done, int shard_index,
                           int shard_count, bool force);

// Rank 0's word to every rank once it has planned.
struct RunStart {
  enum class Verdict : std::uint8_t {
    kCompute,  // farm `cells_to_run` cells of the config in `config_text`
    kNothing,  // nothing to compute (all done, or a dry run): exit 0
    kFailed,   // planning failed on rank 0 (its exit code: `exit_code`); the others exit 0
  };
  Verdict verdict = Verdict::kFailed;
  int exit_code = 0;
  std::uint64_t cells_to_run = 0;
  std::string config_text;
};
std::string encode_run_start(const RunStart& start);
RunStart decode_run_start(std::string_view bytes);  // throws InternalError when malformed

// Rank 0's word to every rank when the farm is over: the run's exit code.
std::string encode_run_end(int exit_code);
int decode_run_end(std::string_view bytes);  // throws InternalError when malformed

// Runs the request on this rank (collective: every rank of `comm` calls it)
// and returns the exit code: 0 all cells ok, 1 some failed, 128+N when
// stopped by signal N. Throws InputError / DatabaseError / InternalError on
// rank 0 (the other ranks then return 0 quietly: rank 0 reports, and a
// rank exiting non-zero first could make mpirun kill rank 0 before it has).
int run_session(const RunRequest& request, Comm& comm);

}  // namespace sb
