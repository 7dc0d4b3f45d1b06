// Two sets of results side by side, arm by arm (suite x dataset x method),
// paired over seeds: the mean difference, a Wilcoxon signed-rank test and a
// paired t test per arm and metric, in the spirit of Google Benchmark's
// tools/compare.py. The two sides are two runs of one database or two
// databases (before/after a change to a method, a build, a machine).
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "results/aggregate/leaderboard.h"
#include "results/aggregate/statistics.h"
#include "results/records.h"

namespace sb {

enum class CompareVerdict {
  kBetter,       // B differs from A (Wilcoxon p < alpha) in the metric's good direction
  kWorse,        // ... in its bad direction
  kDiffers,      // significant, but the metric has no direction
  kNotSignificant,
  kNotAvailable  // fewer than 2 pairs
};
const char* verdict_name(CompareVerdict v);

struct ArmComparison {
  std::string suite;
  std::string dataset_label;
  std::string method_label;
  std::string metric;
  MetricDirection direction = MetricDirection::kUnknown;
  // Over the seeds where both sides have an ok cell with a finite value
  // (the pairs); values of unpaired seeds are left out and counted.
  std::size_t n_pairs = 0;
  std::size_t n_unpaired = 0;
  double mean_a = 0;
  double mean_b = 0;
  double difference = 0;  // mean_b - mean_a
  double relative = 0;    // difference / |mean_a| (NaN when mean_a == 0 or no pairs)
  stats::WilcoxonResult wilcoxon;  // of b - a
  stats::PairedTResult t;          // of b - a
  CompareVerdict verdict = CompareVerdict::kNotAvailable;
};

struct ArmId {
  std::string suite;
  std::string dataset_label;
  std::string method_label;
  auto operator<=>(const ArmId&) const = default;
};

struct Comparison {
  double alpha = 0.05;
  std::vector<ArmComparison> arms;  // by suite, dataset, method, then metric order
  std::vector<ArmId> only_in_a;     // arms with ok cells on one side only
  std::vector<ArmId> only_in_b;
};

struct CompareOptions {
  // Metrics to compare; empty = per suite, its primary metric (the first
  // declared metric with a direction).
  std::vector<std::string> metrics;
  double alpha = 0.05;  // for the verdict, on the Wilcoxon p (unadjusted, as compare.py)
};

// Records are matched by (suite, dataset label, method label, seed); when a
// side holds several ok cells for one of them (two method versions in a
// merged database), the one finished last counts. `infos` gives each
// suite's declared metrics. Throws InputError when nothing can be paired
// or a requested metric appears on neither side.
Comparison compare_results(const std::vector<CellRecord>& a, const std::vector<CellRecord>& b,
                           const std::map<std::string, std::vector<MetricInfo>>& infos,
                           const CompareOptions& options = {});

// Replaces the labels of the arms by short labels (results/aggregate/labels.h)
// computed per suite over both sides' arms.
void shorten_labels(Comparison& comparison);

}  // namespace sb
