// The suite-view extension point with a view registered here for the
// fixtures' suite "toy": paper specs accept its aggregates (and list them
// when given another), paper values use them, the report shows its section.
#include "results/view/suite_view.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "harness/core/errors.h"
#include "results/render/html_report.h"
#include "results/render/paper_table.h"
#include "tests/results/fixtures.h"

namespace sb {
namespace {

// Largest "acc" over the ok cells, with [min, max] as its interval.
AggregateValue best_acc(const std::vector<CellRecord>& cells, double) {
  AggregateValue v;
  double lo = 1e300, hi = -1e300;
  for (const auto& c : cells) {
    if (c.status != CellStatus::kOk) {
      ++v.n_failed;
      continue;
    }
    for (const auto& [name, x] : c.metrics) {
      if (name == "acc") lo = std::min(lo, x), hi = std::max(hi, x), ++v.n;
    }
  }
  if (v.n > 0) v.value = hi, v.low = lo, v.high = hi;
  return v;
}

class ToyView : public SuiteView {
 public:
  std::vector<Table> summary(const std::vector<CellRecord>& cells, const SummaryOptions&) const override {
    Table t;
    t.title = "Toy view";
    t.columns = {{"cells"}};
    t.rows.push_back({TableCell::count(cells.size())});
    return {t};
  }
  std::vector<NamedAggregate> aggregates() const override {
    return {{"best_acc", "largest acc over seeds", best_acc}};
  }
};
SB_REGISTER_SUITE_VIEW(ToyView, "toy");

using testing::paper_spec_error;

const std::string kRowsCols = "[[rows]]\nmethod = \"A\"\n[[columns]]\ndataset = \"d1[n=10]\"\n";

TEST(SuiteView, RegistryFindsTheViewAndListsAggregates) {
  ASSERT_NE(SuiteViewRegistry::instance().find("toy"), nullptr);
  EXPECT_EQ(SuiteViewRegistry::instance().find("no-such-suite"), nullptr);
  EXPECT_EQ(aggregate_names("toy"), (std::vector<std::string>{"mean", "best_acc"}));
  EXPECT_EQ(aggregate_names("no-such-suite"), (std::vector<std::string>{"mean"}));
  EXPECT_TRUE(find_aggregate("toy", "best_acc").has_value());
  EXPECT_FALSE(find_aggregate("toy", "mean").has_value());
}

TEST(SuiteView, PaperSpecAggregatesAreTheSuites) {
  EXPECT_EQ(paper_spec_error("title = \"t\"\nsuite = \"toy\"\naggregate = \"best_acc\"\n" + kRowsCols), "");
  const std::string bad = paper_spec_error("title = \"t\"\nsuite = \"toy\"\naggregate = \"worst\"\n" + kRowsCols);
  EXPECT_NE(bad.find("spec.toml:3: key 'aggregate' has unknown value 'worst' for suite 'toy' "
                     "(valid: mean, best_acc)"),
            std::string::npos)
      << bad;
  // Another suite's aggregate is not valid here.
  EXPECT_NE(paper_spec_error("title = \"t\"\nsuite = \"other\"\naggregate = \"best_acc\"\n" + kRowsCols)
                .find("(valid: mean)"),
            std::string::npos);
}

TEST(SuiteView, PaperValueUsesTheViewsAggregate) {
  const auto spec =
      parse_paper_spec("title = \"t\"\nsuite = \"toy\"\naggregate = \"best_acc\"\n" + kRowsCols, "spec.toml");
  const auto v = paper_value(spec, "A", "d1[n=10]", testing::toy_records());
  EXPECT_DOUBLE_EQ(v.value, 0.95);
  EXPECT_DOUBLE_EQ(v.low, 0.85);
  EXPECT_EQ(v.n, 3u);
  const auto failed = paper_value(spec, "B[k=2]", "d1[n=10]", testing::toy_records());
  EXPECT_EQ(failed.n_failed, 1u);
  const Table t = paper_table(spec, testing::toy_records());
  EXPECT_EQ(t.notes.front(), "best_acc over replications");
}

TEST(SuiteView, ReportAddsTheDefaultSectionOfTheView) {
  const std::string html = render_html_report({}, testing::toy_records(), {{"toy", testing::toy_infos()}});
  EXPECT_NE(html.find("<h3>Toy view</h3>"), std::string::npos);
}

TEST(Report, ShowsReferencesAndTheirCostApartFromTheMethods) {
  const auto records = testing::toy_records();
  const auto infos = std::map<std::string, std::vector<MetricInfo>>{{"toy", testing::toy_infos()}};
  EXPECT_EQ(render_html_report({}, records, infos).find("References</h3>"), std::string::npos);
  auto reference = [](const std::string& name, CellStatus status, double wall) {
    ReferenceRecord r;
    r.suite = "toy";
    r.name = name;
    r.status = status;
    r.wall_seconds = wall;
    r.cpu_seconds = wall / 2;
    r.peak_rss_kb = 2048;
    return r;
  };
  const std::string html = render_html_report(
      {}, records, infos,
      {reference("model", CellStatus::kOk, 1.5), reference("model", CellStatus::kError, 0.25),
       reference("part/0", CellStatus::kOk, 2), reference("part/1", CellStatus::kOk, 3)});
  // On the Runs page, before the suites' pages.
  const auto section = html.find("<h3>References</h3>");
  ASSERT_NE(section, std::string::npos);
  EXPECT_LT(html.find("<section class=\"page\" id=\"runs\">"), section);
  EXPECT_LT(section, html.find("<section class=\"page\" id=\"suite-toy\">\n<h2>Suite: toy</h2>"));
  // model: 2 computed, 1 ok, 1 failed, 1.75 s wall, 0.88 s CPU (0.875 rounded), 2 MiB.
  for (const char* cell : {"<td>model</td>", "<td>1.75</td>", "<td>0.88</td>", "<td>parts of split cells</td>",
                           "<td>5.00</td>", "<td>2.50</td>"}) {
    EXPECT_NE(html.find(cell, section), std::string::npos) << cell;
  }
}

}  // namespace
}  // namespace sb
