// Checks one cell's output before it leaves the executor, so that what a
// method returns can fail that cell but never the run: a name the database
// would reject (duplicate, empty, outside the alphabet), a non-finite metric
// the suite does not allow, or an artifact too large to store.
#pragma once

#include <cstddef>
#include <vector>

#include "harness/core/suite.h"

namespace sb {

struct OutputLimits {
  std::size_t max_name_length = 200;
  std::size_t max_metrics = 100000;
  // Doubles over all artifacts of one cell (64 MiB).
  std::size_t max_artifact_values = std::size_t{8} << 20;
};

// Metric and artifact names: 1..max_name_length characters of
// [A-Za-z0-9_.:/+@=-] (what SQL users can quote and renderers print as is).
bool is_valid_output_name(const std::string& name, const OutputLimits& limits = {});

// Throws MethodError naming the first offending metric or artifact.
// `declared` are the suite's metrics: a metric "a/b" falls under the
// declaration of "a/b" if there is one, else of "a".
void check_cell_output(const CellOutput& output, const std::vector<MetricInfo>& declared,
                       const OutputLimits& limits = {});

}  // namespace sb
