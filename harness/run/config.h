// Experiment configs (TOML): one suite, its datasets and methods with
// parameter grids, and the seeds. Everything is validated against the
// registries before any cell runs; errors name file, line, key and value.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "harness/core/external.h"
#include "harness/core/params.h"
#include "harness/run/slurm_defaults.h"

namespace sb {

// One [[datasets]] or [[methods]] entry: a name and, per parameter, the list
// of values to expand (a scalar in the file is a one-value list).
struct GridEntry {
  std::string name;
  // `label = "..."`: shown (and recorded) instead of the name, with the
  // parameters after it as usual ("KNN[k=5]"); empty = the name.
  std::string label;
  std::vector<std::pair<std::string, std::vector<ParamValue>>> axes;  // file order
  std::vector<int> axis_lines;  // line of each axis's key
  int line = 0;
  // A [[methods]] entry with `command = [...]`: an external method, whose
  // axes come from its `params` table (docs/EXTERNAL.md).
  std::shared_ptr<const ExternalMethod> external;
  // Its `files = [...]`: files it reads (relative to the config's folder),
  // whose content enters its cells' keys.
  std::vector<std::string> input_files;
  // `name = "*"` in [[methods]]: every registered method of the suite that
  // runs on all the config's datasets, those carrying every tag of `tags`,
  // minus the names in `exclude` and those the config names itself.
  bool wildcard() const { return name == "*"; }
  std::vector<std::string> tags, exclude;
  bool from_wildcard = false;  // made by expanding a "*" entry (config_edits.h)
  // Where each axis came from when not from the file (a `-s` option's text,
  // for messages); empty or "" = the file, at axis_lines.
  std::vector<std::string> axis_origins;
};

// The most retries of a failed cell `max_retries` / --max-retries allow.
inline constexpr int kMaxRetriesLimit = 100;

struct ExperimentConfig {
  std::string path;  // as given (for messages and provenance)
  std::string text;  // the file's content (stored in the run's provenance)
  std::string suite;
  std::string description;
  std::vector<std::uint64_t> seeds;
  double timeout_seconds = 0;  // `timeout = SECONDS` (per cell; 0 = not set)
  int max_retries = -1;        // `max_retries = N` (failed cells run again; -1 = not set)
  std::vector<GridEntry> datasets;
  std::vector<GridEntry> methods;
  SlurmDefaults slurm;  // the optional [slurm] table (`shardbench slurm`)
};

// Parses TOML `text` (read from `path`). Throws InputError listing every
// problem found ("path:line: key: what is wrong").
ExperimentConfig parse_config(const std::string& path, const std::string& text);

// Reads and parses a file; a missing or unreadable file is an InputError.
ExperimentConfig load_config(const std::string& path);

std::string read_text_file(const std::string& path);

}  // namespace sb
