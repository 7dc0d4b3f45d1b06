// The plain types a suite hands the harness and the harness hands the
// results layer: a cell's output and the metrics a suite declares. Kept apart
// from suite.h (the Suite interface and its registry) so that results/ can
// read them without depending on how suites are run.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sb {

// How a cell ended, from the executor to the database (stored as its text).
enum class CellStatus : std::uint8_t {
  kOk,       // the method ran and its output passed the checks
  kError,    // the method, the suite or the output checks threw
  kTimeout,  // killed past the per-cell timeout
  kCrashed,  // the cell's process died (signal, exit, memory limit)
};

inline std::string_view to_string(CellStatus status) {
  switch (status) {
    case CellStatus::kOk: return "ok";
    case CellStatus::kError: return "error";
    case CellStatus::kTimeout: return "timeout";
    case CellStatus::kCrashed: return "crashed";
  }
  return "?";
}

// The status spelled `text` in a database, or nullopt.
inline std::optional<CellStatus> parse_cell_status(std::string_view text) {
  for (CellStatus s : {CellStatus::kOk, CellStatus::kError, CellStatus::kTimeout, CellStatus::kCrashed})
    if (to_string(s) == text) return s;
  return std::nullopt;
}

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
  // False for a value that is not a score (an estimate, a CI end, a signed
  // error): it is shown but never ranked, bolded or plotted as a ranking;
  // higher_is_better is then ignored.
  bool has_direction = true;
};

// A metric without a preferred direction (see MetricInfo::has_direction).
inline MetricInfo undirected_metric(std::string name, std::string doc) {
  MetricInfo m;
  m.name = std::move(name);
  m.doc = std::move(doc);
  m.has_direction = false;
  return m;
}

// A suite's primary metric: its first declared metric with a direction (the
// default of rankings, CD diagrams and `compare`); "" when none has one.
inline std::string primary_metric(const std::vector<MetricInfo>& infos) {
  for (const auto& info : infos)
    if (info.has_direction) return info.name;
  return "";
}

// A cell's output as bytes (method seconds, metrics, artifacts): how a
// reference's output travels between ranks and is kept in the database.
void encode_cell_output(const CellOutput& output, std::string& out);
// Throws InternalError when `bytes` is not exactly one encoded output.
CellOutput decode_cell_output(std::string_view bytes);

// The declaration that governs `metric`: its own if declared, else that of
// the part before the first '/' (a sub-metric "acc/x" follows "acc");
// nullptr when neither is declared.
inline const MetricInfo* find_metric_info(const std::string& metric, const std::vector<MetricInfo>& infos) {
  const std::string head = metric.substr(0, metric.find('/'));
  const MetricInfo* by_head = nullptr;
  for (const auto& info : infos) {
    if (info.name == metric) return &info;
    if (info.name == head) by_head = &info;
  }
  return by_head;
}

}  // namespace sb
