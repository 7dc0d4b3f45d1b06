// Suite views: what results code needs of a suite, registered by the suite
// from its own folder (benchmarks/<suite>/view.cpp), as Google Benchmark's
// reporters plug into its runner. The harness and the renderers look a view
// up by the suite name found in the records or a paper spec, so that
// harness/ and results/ never name a suite or its metrics.
//
//   class CoinView : public sb::SuiteView { ... };
//   SB_REGISTER_SUITE_VIEW(CoinView, "coin");
//
// A suite without a view gets the generic leaderboard, the generic report
// section and the built-in paper aggregate `mean`.
#pragma once

#include <cstddef>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/core/registry.h"
#include "results/records.h"
#include "results/render/table.h"

namespace sb {

struct SummaryOptions {
  double confidence = 0.95;  // level of every interval
  int digits = 3;            // decimals of the tables
};

// One number made from the cells (ok and failed) of one (dataset, method).
// `n` counts the values it rests on (0 makes the value "missing"); `low` and
// `high` are an asymmetric interval, `ci_half_width` a symmetric one;
// `mc_se` the value's Monte Carlo standard error over the n replications
// (NaN when unknown), which `reproduce` uses for tolerance = "mc".
struct AggregateValue {
  double value = std::numeric_limits<double>::quiet_NaN();
  double ci_half_width = std::numeric_limits<double>::quiet_NaN();
  double low = std::numeric_limits<double>::quiet_NaN();
  double high = std::numeric_limits<double>::quiet_NaN();
  std::size_t n = 0;
  std::size_t n_failed = 0;
  double mc_se = std::numeric_limits<double>::quiet_NaN();
};

// A named aggregate a paper spec may ask for (`aggregate = "<name>"`).
struct NamedAggregate {
  std::string name;
  std::string doc;
  std::function<AggregateValue(const std::vector<CellRecord>& cells, double confidence)> compute;
};

// A metric a view shows as a column (or a table): its name, title and direction.
struct ShownMetric {
  const char* metric;
  const char* title;
  MetricDirection direction;
};

// The mean of `values` ± its Student-t CI half-width at `confidence`, as a
// table cell; no values: a missing cell (n/a).
TableCell mean_ci_cell(const std::vector<double>& values, double confidence);

class SuiteView {
 public:
  virtual ~SuiteView() = default;

  // The tables `leaderboard` prints by default (no --metric, --by dataset)
  // for the suite's cells. Empty: the generic leaderboard.
  virtual std::vector<Table> summary(const std::vector<CellRecord>& cells,
                                     const SummaryOptions& options) const;

  // The aggregates paper specs may name besides the built-in `mean`.
  virtual std::vector<NamedAggregate> aggregates() const { return {}; }

  // HTML added to the suite's section of the report, after the generic
  // leaderboard and plots. Default: each summary table under its title.
  virtual std::string html_section(const std::vector<CellRecord>& cells,
                                   const SummaryOptions& options) const;
};

class SuiteViewRegistry {
 public:
  using Factory = std::function<std::unique_ptr<SuiteView>()>;
  static SuiteViewRegistry& instance();

  // A second view for `suite` is reported as a registry problem (checked by
  // `shardbench` at start-up) and ignored.
  void add(const std::string& suite, Factory factory);
  // nullptr when the suite registered no view.
  const SuiteView* find(const std::string& suite) const;
  std::vector<std::string> suites() const;

 private:
  struct Entry {
    std::string suite;
    std::unique_ptr<SuiteView> view;
  };
  std::vector<Entry> entries_;
};

struct SuiteViewRegistrar {
  SuiteViewRegistrar(const std::string& suite, SuiteViewRegistry::Factory factory) {
    SuiteViewRegistry::instance().add(suite, std::move(factory));
  }
};

// The names `aggregate` accepts for `suite`: "mean" then the view's own.
std::vector<std::string> aggregate_names(const std::string& suite);
// The view's aggregate `name` of `suite`; nullopt for "mean" or unknown.
std::optional<NamedAggregate> find_aggregate(const std::string& suite, const std::string& name);

}  // namespace sb

// Registers `Type` (default-constructible SuiteView) as the view of suite `name`.
#define SB_REGISTER_SUITE_VIEW(Type, name)                                              \
  [[maybe_unused]] static const ::sb::SuiteViewRegistrar SB_CONCAT_(sb_suite_view_, __COUNTER__)( \
      name, [] { return std::unique_ptr<::sb::SuiteView>(new Type()); })
