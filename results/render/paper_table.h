// Paper table specs (benchmarks/papers/*.toml): which cells make a table,
// its layout, and the published numbers with tolerances. Rendering uses the
// Table renderers; diff_paper puts published beside reproduced values.
// (Lives in results/render/ until results/CMakeLists.txt globs papers/.)
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "results/records.h"
#include "results/render/table.h"

namespace sb {

struct PaperRow {
  std::string method;   // method_label (exact) or method name when unique
  std::string display;  // text in the table (defaults to `method`)
};

struct PaperColumn {
  std::string dataset;  // dataset_label (exact) or dataset name when unique
  std::string display;
  std::string metric;   // aggregate "mean": this column's metric ("" = the spec's `metric`)
};

struct PublishedValue {
  std::string method;   // as in a [[rows]] entry
  std::string dataset;  // as in a [[columns]] entry
  double value = 0;
  double tolerance = 0;
};

struct PaperSpec {
  std::string path;         // the spec file ("" when parsed from text)
  std::string title;
  std::string description;
  std::string config_path;  // resolved relative to the spec file's folder
  std::string suite;
  // How the cells of one (method, dataset) become one number: the built-in
  // "mean" (of `metric` over seeds, with its t interval) or an aggregate the
  // suite's view registers (results/view/suite_view.h).
  std::string aggregate_name = "mean";
  std::string metric;  // per-cell metric, required for "mean"
  int digits = 3;
  // Presentation: bold the best value of each column ("higher" or "lower";
  // "" = none) and underline the second; an "Average" column (the mean of a
  // row's values; n/a when one is missing); LaTeX display names and the
  // title pass $...$ through as math instead of escaping it.
  std::string best;
  bool average_column = false;
  bool latex_math = false;
  std::vector<PaperRow> rows;
  std::vector<PaperColumn> columns;
  std::vector<PublishedValue> published;
};

// Reads and validates a spec. Throws InputError naming the file, line, key
// and value (unknown keys, missing keys, wrong types, an aggregate the
// suite does not register (listing the valid ones), published entries
// naming no row/column, no tolerance).
PaperSpec load_paper_spec(const std::string& path);
// The same from text; `path` is used in messages and to resolve `config`.
PaperSpec parse_paper_spec(const std::string& toml_text, const std::string& path);

// One reproduced number: value, its interval (t half width, or [low, high]
// when the aggregate gives one), the values used and the failed cells.
struct PaperValue {
  double value = 0;
  double ci_half_width = 0;  // NaN when not applicable
  double low = 0, high = 0;  // NaN unless the aggregate gives an interval
  std::size_t n = 0;
  std::size_t n_failed = 0;
  std::string method_label;   // resolved label ("" when no cell matched)
  std::string dataset_label;
};
// Throws InputError when a row/column name matches several labels or the
// aggregate is not one of the suite's.
// `metric`: the per-cell metric of "mean" ("" = spec.metric).
PaperValue paper_value(const PaperSpec& spec, const std::string& method,
                       const std::string& dataset, const std::vector<CellRecord>& records,
                       const std::string& metric = "");

// Rows x columns of the spec; "n/a" where no cell exists. Notes give the
// aggregate, the failures and the missing cells.
Table paper_table(const PaperSpec& spec, const std::vector<CellRecord>& records);

enum class DiffStatus { kWithin, kOutside, kMissing };

struct PaperDiffEntry {
  PublishedValue published;
  std::string method_display;
  std::string dataset_display;
  double reproduced = 0;  // NaN when missing
  double difference = 0;  // reproduced - published (NaN when missing)
  std::size_t n = 0;
  DiffStatus status = DiffStatus::kMissing;
};

struct PaperDiff {
  std::string title;
  std::vector<PaperDiffEntry> entries;  // in the spec's [[published]] order
  std::size_t n_within = 0, n_outside = 0, n_missing = 0;
  bool ok() const { return n_outside == 0 && n_missing == 0; }
};

// Within tolerance means |reproduced - published| <= tolerance.
PaperDiff diff_paper(const PaperSpec& spec, const std::vector<CellRecord>& records);
// Columns: method, dataset, published, reproduced, difference, tolerance,
// n, status ("ok", "OUTSIDE", "MISSING"); render it with any renderer.
Table paper_diff_table(const PaperDiff& diff, int digits = 3);

}  // namespace sb
