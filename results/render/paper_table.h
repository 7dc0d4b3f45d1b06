// Paper table specs (benchmarks/papers/*.toml): which cells make a table,
// its layout, and the published numbers with tolerances. Rendering uses the
// Table renderers; diff_paper puts published beside reproduced values.
// (Lives in results/render/ until results/CMakeLists.txt globs papers/.)
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "results/records.h"
#include "results/render/table.h"

namespace sb {

struct PaperRow {
  std::string method;   // method_label (exact) or method name when unique
  std::string display;  // text in the table (defaults to `method`)
  int line = 0;         // of its [[rows]] table in the spec, for messages (0: unknown)
};

struct PaperColumn {
  std::string dataset;  // dataset_label (exact) or dataset name when unique
  std::string display;
  std::string metric;   // aggregate "mean": this column's metric ("" = the spec's `metric`)
  int line = 0;         // of its [[columns]] table in the spec, for messages (0: unknown)
};

// A published number and how close ours must come. A fixed tolerance
// (`tolerance = 0.03`), or a Monte Carlo one (`tolerance = "mc"`):
// tolerance_z * sqrt(se_pub^2 + se_ours^2), se_ours our aggregate's Monte
// Carlo standard error over our n replications and se_pub = se_ours *
// sqrt(n / replications) the published study's (the same sampling
// distribution under the null that we reproduce its design); replications
// 0 (not given) means the published value is exact (a closed form), se_pub 0.
struct PublishedValue {
  std::string method;   // as in a [[rows]] entry
  std::string dataset;  // as in a [[columns]] entry
  // The column's own metric when several [[columns]] show metrics of this
  // dataset ("": the first column of the dataset).
  std::string metric;
  double value = 0;
  double tolerance = 0;       // fixed tolerance (unused when mc_tolerance)
  bool mc_tolerance = false;  // tolerance = "mc"
  double tolerance_z = 3;     // z of the Monte Carlo tolerance
  std::size_t replications = 0;  // the published study's R (0: not given)
  // Where the number is printed ("Author (year), Journal, Table 1, p. 7");
  // listed under the evidence table.
  std::string source;
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
  double mc_se = 0;          // Monte Carlo standard error of `value` (NaN: unknown)
  std::size_t n = 0;
  std::size_t n_failed = 0;
  std::string method_label;   // resolved label ("" when no cell matched)
  std::string dataset_label;
};
// Checks, before anything runs, that the spec's rows and columns are cells
// its config plans: `config_suite` is the config's suite and `arms` holds one
// record per planned (dataset, method) combination (suite, names and labels
// set). Throws InputError naming the spec file, the [[rows]] or [[columns]]
// value and the labels the config does plan (a typo, or a label that lacks a
// parameter the scenario has since gained), or a name matching several.
void check_spec_labels(const PaperSpec& spec, const std::string& config_suite, const std::vector<CellRecord>& arms);
// With the built-in aggregate "mean": every column's metric (its own, else
// the spec's) must be one the suite records (`suite_metrics`), or a
// sub-metric "name/..." of one. Throws InputError naming the spec, the
// metric and the suite's metrics. Other aggregates read fixed metrics.
void check_spec_metrics(const PaperSpec& spec, const std::vector<std::string>& suite_metrics);

// A spec's reproduced values over one set of records, indexed once (the
// labels, and the cells of each (method, dataset) label pair), so that a
// table or evidence of many values does not rescan the records per value.
// Holds references to `spec`, which must outlive it.
class PaperValues {
 public:
  PaperValues(const PaperSpec& spec, const std::vector<CellRecord>& records);
  ~PaperValues();
  PaperValues(const PaperValues&) = delete;
  PaperValues& operator=(const PaperValues&) = delete;
  // Throws InputError when a row/column name matches several labels or the
  // aggregate is not one of the suite's.
  // `metric`: the per-cell metric of "mean" ("" = spec.metric).
  PaperValue get(const std::string& method, const std::string& dataset, const std::string& metric = "") const;

 private:
  struct Index;
  const PaperSpec& spec_;
  std::unique_ptr<const Index> index_;
};

// One value: PaperValues(spec, records).get(method, dataset, metric).
PaperValue paper_value(const PaperSpec& spec, const std::string& method,
                       const std::string& dataset, const std::vector<CellRecord>& records,
                       const std::string& metric = "");

// The column a published value belongs to: the first of its dataset (with
// its metric, when the entry names one); nullptr when there is none.
const PaperColumn* published_column(const PaperSpec& spec, const PublishedValue& published);

// Rows x columns of the spec; "n/a" where no cell exists. Notes give the
// aggregate, the failures and the missing cells.
Table paper_table(const PaperSpec& spec, const std::vector<CellRecord>& records);

// kNoMcError: tolerance = "mc" but the aggregate gives no Monte Carlo
// error here (fewer than 2 replications, or none declared), so no verdict.
enum class DiffStatus { kWithin, kOutside, kMissing, kNoMcError };

// The evidence for one published value against our reproduction.
struct ToleranceCheck {
  double difference = 0;   // reproduced - published
  double se_ours = 0;      // our Monte Carlo SE (NaN: unknown)
  double se_published = 0; // se_ours * sqrt(n / R); 0 without R
  double se_combined = 0;  // sqrt(se_ours^2 + se_published^2)
  double z_score = 0;      // difference / se_combined (NaN when se_combined is 0 or unknown)
  double tolerance = 0;    // the fixed tolerance, or tolerance_z * se_combined
  DiffStatus status = DiffStatus::kMissing;
};
// `reproduced` NaN: missing. Within means |difference| <= tolerance.
ToleranceCheck check_tolerance(const PublishedValue& published, double reproduced, double mc_se,
                               std::size_t n);

struct PaperDiffEntry {
  PublishedValue published;
  std::string method_display;
  std::string dataset_display;
  double reproduced = 0;  // NaN when missing
  std::size_t n = 0;
  // The difference (NaN when missing), Monte Carlo errors, difference in
  // SEs, tolerance used and the verdict.
  ToleranceCheck check;
};

struct PaperDiff {
  std::string title;
  std::vector<PaperDiffEntry> entries;  // in the spec's [[published]] order
  std::size_t n_within = 0, n_outside = 0, n_missing = 0, n_no_mc_error = 0;
  bool ok() const { return n_outside == 0 && n_missing == 0 && n_no_mc_error == 0; }
};

PaperDiff diff_paper(const PaperSpec& spec, const std::vector<CellRecord>& records);
// "k of n published values within tolerance (a outside, b missing[, c without a Monte Carlo error])".
std::string paper_diff_summary(const PaperDiff& diff);
// The evidence table. Columns: method, dataset, published, reproduced [95%
// CI] (± 1.96 MC SE), difference, diff / SE (in combined MC SEs),
// tolerance (the one used), rule ("3 SE", "3 SE, R=1000", "fixed"), n,
// status ("ok", "OUTSIDE", "MISSING", "NO MC SE"); notes: how the columns
// are computed and the summary line. Render it with any renderer.
Table paper_diff_table(const PaperDiff& diff, int digits = 3);

}  // namespace sb
