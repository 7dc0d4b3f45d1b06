// The plain types a suite hands the harness and the harness hands the
// results layer: a cell's output and the metrics a suite declares. Kept apart
// from suite.h (the Suite interface and its registry) so that results/ can
// read them without depending on how suites are run.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace sb {

// Per-example output kept so metrics can be recomputed without rerunning
// (OOD scores, per-point values, per-replication estimates...).
struct Artifact {
  std::string name;
  std::vector<double> values;
};

// What one cell produced. Metrics are in long form (name, value).
struct CellOutput {
  std::vector<std::pair<std::string, double>> metrics;
  std::vector<Artifact> artifacts;
  // Seconds spent in the method's own work (fit + predict/estimate/score),
  // excluding data generation and grading. Kept apart from `metrics` so that
  // metrics stay bitwise reproducible.
  double method_seconds = 0;
};

struct MetricInfo {
  std::string name;
  bool higher_is_better = true;
  std::string doc;
  // False (the default): a NaN or infinite value of this metric (or of its
  // sub-metrics "name/...") makes the cell an `error`. True where a
  // non-finite value is a legitimate outcome; it is then stored and counted
  // in the leaderboard's "non-finite" column.
  bool may_be_nonfinite = false;
};

}  // namespace sb
