// Plain records exchanged between the farm, the store and the renderers.
// Results code sees these, never methods or suite types.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/core/cell_output.h"

namespace sb {

// A user file (or folder) whose content entered the keys of a run's cells
// (docs/EXTERNAL.md, "Content-hashed inputs"): its path when the run read it,
// its content hash (the one the keys hold) and its size in bytes (a folder:
// of its regular files).
struct RunInput {
  std::int64_t run_id = 0;
  std::string path;  // absolute
  std::string hash;  // 32 hex digits
  std::int64_t size_bytes = 0;
};

// Provenance of one invocation of `shardbench run`.
struct RunInfo {
  std::int64_t run_id = 0;  // assigned by the store
  std::string tool_version;
  std::string git_commit;
  std::string build_type;
  std::string compiler;
  std::string hosts;        // comma-separated, sorted
  int mpi_size = 1;
  std::string started_at;   // ISO 8601 UTC
  std::string finished_at;  // empty while running
  std::string status;       // "running", "ok", "failed-cells", "interrupted"
  std::string config_path;
  std::string config_text;
  std::string command_line;
  // The machine: (name, value) pairs, e.g. ("mpi_library", "Open MPI v4.1.4")
  // (harness/run/provenance.h; runs.environment, docs/DATABASE.md).
  std::vector<std::pair<std::string, std::string>> environment;
  // The user files whose content entered its cell keys, by path (table
  // run_inputs): written with the run's row, read by Database::runs().
  std::vector<RunInput> inputs;
};

// Everything recorded about one finished cell.
struct CellRecord {
  std::string key;  // hex hash, see cell_key in harness/run/plan.h
  std::string suite;
  std::string suite_version;
  std::string dataset;
  std::string dataset_params;  // canonical JSON
  std::string dataset_label;   // "name[k=v,...]"
  std::string method;
  std::string method_params;   // canonical JSON
  std::string method_label;    // "name[k=v,...]"
  std::string method_version;
  std::int64_t seed = 0;
  CellStatus status = CellStatus::kOk;
  std::string error;           // empty when ok
  double wall_seconds = 0;     // whole cell (data + method + metrics)
  double cpu_seconds = 0;
  double method_seconds = 0;   // the method's own work only (CellOutput)
  std::int64_t peak_rss_kb = 0;
  int rank = 0;
  std::string host;
  std::int64_t run_id = 0;
  std::string finished_at;     // ISO 8601 UTC
  // Times the cell was run in its run to reach this outcome: 1, more when
  // it failed and `--max-retries` ran it again (0: not run, a reference it
  // needs failed). Databases before schema version 4 read as 1.
  int attempts = 1;
  std::vector<std::pair<std::string, double>> metrics;
  std::vector<Artifact> artifacts;

  // The value of metric `name`, NaN when the cell did not record it.
  double metric(std::string_view name) const {
    for (const auto& [n, v] : metrics) {
      if (n == name) return v;
    }
    return std::numeric_limits<double>::quiet_NaN();
  }
};


// Everything recorded about one reference computation (docs/ARCHITECTURE.md,
// "References"): its identity, how it ended, its cost and its output.
struct ReferenceRecord {
  std::string key;  // hex hash, see reference_key in harness/run/plan.h
  std::string suite;
  std::string suite_version;
  std::string name;
  std::string version;
  std::string params;  // canonical JSON
  std::string label;   // "name[k=v,...]"
  std::int64_t seed = 0;
  CellStatus status = CellStatus::kOk;
  std::string error;
  double wall_seconds = 0;
  double cpu_seconds = 0;
  std::int64_t peak_rss_kb = 0;
  int rank = 0;
  std::string host;
  std::int64_t run_id = 0;
  std::string finished_at;
  CellOutput output;  // what the cells that depend on it receive
};

}  // namespace sb
