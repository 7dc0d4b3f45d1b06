// The study a results command looks at: `--run ID|latest`, `--config FILE`,
// `--dataset GLOB`, `--method GLOB` and `--where SQL`, applied to the cells
// read from the database (all given filters must hold).
#pragma once

#include <vector>

#include "harness/cli/commands.h"
#include "results/records.h"
#include "results/store/database.h"

namespace sb {

// The options, for a command's spec.
std::vector<OptionSpec> record_filter_options();

// How --dataset and --method match: the glob against the registry name or
// the full label.
bool glob_matches(const std::string& pattern, const std::string& name, const std::string& label);

// Keeps the records the filters of `args` select. Throws InputError for a
// bad value (an unknown run, a config of another suite, SQL that fails).
// Labels the kept cells share with cells of another method or dataset are
// made distinct (separate_shared_labels), so no row pools them.
// `separate_labels` false: labels stay as recorded (paper specs name rows by
// their recorded labels).
void filter_records(const Args& args, const Database& db, std::vector<CellRecord>& records,
                    bool separate_labels = true);

}  // namespace sb
