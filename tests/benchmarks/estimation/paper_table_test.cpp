#include "results/render/paper_table.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "harness/core/errors.h"
#include "results/render/table.h"
#include "tests/results/fixtures.h"

namespace sb {
namespace {

using testing::make_cell;

const char* kSpec = R"(title = "Toy (2007), Table 2"
config = "../configs/toy.toml"
suite = "estimation"
aggregate = "rmse"
digits = 2
tolerance = 0.05

[[rows]]
method = "ols"
display = "OLS"

[[rows]]
method = "aipw[trim=0.01]"
display = "AIPW"

[[columns]]
dataset = "ks[n=200]"
display = "n=200"

[[columns]]
dataset = "ks[n=1000]"
display = "n=1000"

[[published]]
method = "ols"
dataset = "ks[n=200]"
value = 0.15

[[published]]
method = "aipw[trim=0.01]"
dataset = "ks[n=200]"
value = 0.5
tolerance = 0.01

[[published]]
method = "ols"
dataset = "ks[n=1000]"
value = 0.07
)";

// ols on n=200: errors -0.2, 0.1, 0.1, -0.1 -> RMSE sqrt(0.07/4) = 0.1323.
// aipw on n=200: errors 0.1, -0.1, 0, 0 -> RMSE sqrt(0.02/4) = 0.0707.
// Nothing on n=1000 for ols; aipw there has only failed cells.
std::vector<CellRecord> estimation_records() {
  std::vector<CellRecord> out;
  const double ols[] = {-0.2, 0.1, 0.1, -0.1};
  const double aipw[] = {0.1, -0.1, 0.0, 0.0};
  for (int s = 0; s < 4; ++s) {
    for (auto [label, e] : {std::pair{"ols", ols[s]}, std::pair{"aipw[trim=0.01]", aipw[s]}}) {
      out.push_back(make_cell("estimation", "ks[n=200]", label, s,
                              {{"error", e}, {"abs_error", std::abs(e)}, {"sq_error", e * e},
                               {"covered", s == 0 ? 0.0 : 1.0}}));
    }
  }
  out.push_back(make_cell("estimation", "ks[n=1000]", "aipw[trim=0.01]", 0, {}, "error"));
  return out;
}

TEST(PaperSpec, ParsesAndResolvesConfigRelativeToSpec) {
  const auto spec = parse_paper_spec(kSpec, "/repo/benchmarks/papers/toy.toml");
  EXPECT_EQ(spec.title, "Toy (2007), Table 2");
  EXPECT_EQ(spec.config_path, "/repo/benchmarks/configs/toy.toml");
  EXPECT_EQ(spec.aggregate_name, "rmse");
  EXPECT_EQ(spec.digits, 2);
  ASSERT_EQ(spec.rows.size(), 2u);
  EXPECT_EQ(spec.rows[1].display, "AIPW");
  ASSERT_EQ(spec.published.size(), 3u);
  EXPECT_DOUBLE_EQ(spec.published[0].tolerance, 0.05);  // top-level default
  EXPECT_DOUBLE_EQ(spec.published[1].tolerance, 0.01);
}

using testing::paper_spec_error;

TEST(PaperSpec, ErrorsNameFileLineKeyAndValue) {
  const std::string base = "title = \"t\"\nsuite = \"estimation\"\naggregate = \"rmse\"\n"
                           "[[rows]]\nmethod = \"m\"\n[[columns]]\ndataset = \"d\"\n";
  EXPECT_EQ(paper_spec_error(base), "");
  EXPECT_NE(paper_spec_error(base + "colour = 1\n").find("unknown key 'colour'"), std::string::npos);
  EXPECT_NE(paper_spec_error("title = \"t\"\nsuite = \"s\"\naggregate = \"median\"\n").find("spec.toml:3"),
            std::string::npos);
  EXPECT_NE(paper_spec_error("title = \"t\"\nsuite = \"s\"\naggregate = \"median\"\n").find("'median'"),
            std::string::npos);
  // The suite's view registers the aggregates; the error lists them.
  EXPECT_NE(paper_spec_error("title = \"t\"\nsuite = \"estimation\"\naggregate = \"median\"\n")
                .find("(valid: mean, bias, rmse, mae, coverage, mean_ci_width, median_abs_error, variance_ratio, "
                      "variance_cv)"),
            std::string::npos);
  EXPECT_NE(paper_spec_error("title = \"t\"\nsuite = \"s\"\naggregate = \"rmse\"\n").find("(valid: mean)"),
            std::string::npos);
  EXPECT_NE(paper_spec_error("suite = \"s\"\n").find("missing key 'title'"), std::string::npos);
  EXPECT_NE(paper_spec_error("title = 3\nsuite = \"s\"\n").find("spec.toml:1: key 'title'"), std::string::npos);
  EXPECT_NE(paper_spec_error("title = \"t\nsuite").find("spec.toml:1"), std::string::npos);  // TOML syntax
  EXPECT_NE(paper_spec_error("title = \"t\"\nsuite = \"s\"\n[[rows]]\nmethod = \"m\"\n[[columns]]\ndataset = \"d\"\n")
                .find("needs key 'metric'"),
            std::string::npos);
  const std::string pub = base + "[[published]]\nmethod = \"m\"\ndataset = \"d\"\nvalue = 1\n";
  EXPECT_NE(paper_spec_error(pub).find("no 'tolerance'"), std::string::npos);
  EXPECT_EQ(paper_spec_error(pub + "tolerance = 0.1\n"), "");
  const std::string bad_row = base + "[[published]]\nmethod = \"x\"\ndataset = \"d\"\nvalue = 1\ntolerance = 1\n";
  EXPECT_NE(paper_spec_error(bad_row).find("method 'x' is not a [[rows]] method"), std::string::npos);
  EXPECT_NE(paper_spec_error(base + "digits = 2.5\n").find("'digits'"), std::string::npos);
  EXPECT_THROW(load_paper_spec("/nonexistent/spec.toml"), InputError);
}

TEST(PaperTable, ValuesFromRecordsByHand) {
  const auto spec = parse_paper_spec(kSpec, "toy.toml");
  const auto records = estimation_records();
  const auto v = paper_value(spec, "ols", "ks[n=200]", records);
  EXPECT_NEAR(v.value, std::sqrt(0.07 / 4), 1e-12);
  EXPECT_EQ(v.n, 4u);
  const auto a = paper_value(spec, "aipw[trim=0.01]", "ks[n=200]", records);
  EXPECT_NEAR(a.value, std::sqrt(0.02 / 4), 1e-12);
  const auto failed = paper_value(spec, "aipw[trim=0.01]", "ks[n=1000]", records);
  EXPECT_TRUE(std::isnan(failed.value));
  EXPECT_EQ(failed.n_failed, 1u);
  // A plain method name resolves when unique.
  EXPECT_NEAR(paper_value(spec, "aipw", "ks[n=200]", records).value, a.value, 1e-15);
  // ...and is an error when it names several labels.
  auto two = records;
  two.push_back(make_cell("estimation", "ks[n=200]", "aipw[trim=0.1]", 0, {{"error", 0.0}}));
  EXPECT_THROW(paper_value(spec, "aipw", "ks[n=200]", two), InputError);

  PaperSpec coverage = spec;
  coverage.aggregate_name = "coverage";
  const auto c = paper_value(coverage, "ols", "ks[n=200]", records);
  EXPECT_DOUBLE_EQ(c.value, 0.75);
  EXPECT_DOUBLE_EQ(c.low, stats::wilson_ci(3, 4).low);

  PaperSpec mean = spec;
  mean.aggregate_name = "mean";
  mean.metric = "abs_error";
  EXPECT_NEAR(paper_value(mean, "ols", "ks[n=200]", records).value, 0.125, 1e-12);
}

// best = "lower" bolds the smaller RMSE of each column and underlines the
// next; the Average column is the mean of a row (n/a with a missing value);
// latex_math keeps $...$ in display names as math, escaping everything else.
TEST(PaperTable, BestAverageAndLatexMath) {
  std::string text = kSpec;
  text.replace(text.find("digits = 2"), 10, "digits = 2\nbest = \"lower\"\naverage = true\nlatex_math = true");
  text.replace(text.find("display = \"AIPW\""), 16, "display = \"AIPW ($\\\\hat\\\\tau$), 50% & more\"");
  auto records = estimation_records();
  for (int s = 0; s < 4; ++s) {  // ols on n=1000 too: RMSE 0.3; aipw there failed
    records.push_back(make_cell("estimation", "ks[n=1000]", "ols", s,
                                {{"error", 0.3}, {"abs_error", 0.3}, {"sq_error", 0.09}, {"covered", 1.0}}));
  }
  const auto spec = parse_paper_spec(text, "toy.toml");
  EXPECT_EQ(spec.best, "lower");
  EXPECT_TRUE(spec.average_column);
  const Table t = paper_table(spec, records);
  ASSERT_EQ(t.columns.size(), 4u);
  EXPECT_EQ(t.columns[3].name, "Average");
  // n=200: aipw 0.0707 best, ols 0.1323 second. n=1000: only ols, best.
  EXPECT_EQ(t.rows[1][1].mark, Mark::kBest);
  EXPECT_EQ(t.rows[0][1].mark, Mark::kSecond);
  EXPECT_EQ(t.rows[0][2].mark, Mark::kBest);
  EXPECT_NEAR(t.rows[0][3].value, (std::sqrt(0.07 / 4) + 0.3) / 2, 1e-12);
  EXPECT_TRUE(std::isnan(t.rows[1][3].value));  // aipw has no n=1000 value
  const std::string latex = render_table(t, TableFormat::kLatex);
  EXPECT_NE(latex.find("AIPW ($\\hat\\tau$), 50\\% \\& more"), std::string::npos) << latex;
  EXPECT_NE(latex.find("\\mathbf{0.07}"), std::string::npos) << latex;
  Table escaped = t;
  escaped.latex_math = false;
  EXPECT_NE(render_table(escaped, TableFormat::kLatex).find("AIPW (\\$\\textbackslash{}hat"), std::string::npos);
  const std::string html = render_table(t, TableFormat::kHtml);
  EXPECT_NE(html.find("<strong>0.07</strong>"), std::string::npos) << html;

  std::string bad = kSpec;
  bad.replace(bad.find("digits = 2"), 10, "digits = 2\nbest = \"up\"");
  EXPECT_THROW(parse_paper_spec(bad, "toy.toml"), InputError);
  bad = kSpec;
  bad.replace(bad.find("digits = 2"), 10, "digits = 2\naverage = 1");
  EXPECT_THROW(parse_paper_spec(bad, "toy.toml"), InputError);
}

TEST(PaperTable, DiffFlagsOutsideAndMissing) {
  const auto spec = parse_paper_spec(kSpec, "toy.toml");
  const auto diff = diff_paper(spec, estimation_records());
  ASSERT_EQ(diff.entries.size(), 3u);
  // |0.1323 - 0.15| = 0.018 <= 0.05.
  EXPECT_EQ(diff.entries[0].check.status, DiffStatus::kWithin);
  EXPECT_NEAR(diff.entries[0].check.difference, std::sqrt(0.07 / 4) - 0.15, 1e-12);
  // |0.0707 - 0.5| > 0.01.
  EXPECT_EQ(diff.entries[1].check.status, DiffStatus::kOutside);
  EXPECT_EQ(diff.entries[2].check.status, DiffStatus::kMissing);
  EXPECT_EQ(diff.n_within, 1u);
  EXPECT_EQ(diff.n_outside, 1u);
  EXPECT_EQ(diff.n_missing, 1u);
  EXPECT_FALSE(diff.ok());
}

void expect_golden(const std::string& name, const std::string& actual) {
  const std::string path = std::string(SB_SOURCE_DIR) + "/tests/benchmarks/estimation/golden/" + name;
  if (std::getenv("SB_UPDATE_GOLDEN") != nullptr) std::ofstream(path, std::ios::binary) << actual;
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in.good()) << "missing golden file " << path;
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(actual, expected.str()) << path;
}

TEST(PaperTable, GoldenTableAndDiff) {
  const auto spec = parse_paper_spec(kSpec, "toy.toml");
  const auto records = estimation_records();
  expect_golden("paper_table.md", render_markdown(paper_table(spec, records)));
  expect_golden("paper_table.tex", render_latex(paper_table(spec, records)));
  expect_golden("paper_diff.txt", render_terminal(paper_diff_table(diff_paper(spec, records), 3)));
  expect_golden("paper_diff.md", render_markdown(paper_diff_table(diff_paper(spec, records), 3)));
  expect_golden("paper_diff.html", render_table(paper_diff_table(diff_paper(spec, records), 3), TableFormat::kHtml));
}

}  // namespace
}  // namespace sb

namespace sb {
namespace {

// Per-column metrics (aggregate "mean"): one dataset, one column per metric
// (the SalUn-style layout); each column's mean by hand; a column metric with
// another aggregate, or a mean column with no metric anywhere, is an error.
TEST(PaperTable, PerColumnMetrics) {
  const std::string text = R"(title = "t"
suite = "estimation"

[[rows]]
method = "ols"

[[columns]]
dataset = "ks[n=200]"
metric = "abs_error"
display = "|e|"

[[columns]]
dataset = "ks[n=200]"
metric = "sq_error"
display = "e^2"
)";
  const auto spec = parse_paper_spec(text, "toy.toml");
  const auto records = estimation_records();
  ASSERT_EQ(spec.columns.size(), 2u);
  // ols errors -0.2, 0.1, 0.1, -0.1: mean |e| 0.125, mean e^2 0.0175.
  EXPECT_NEAR(paper_value(spec, "ols", "ks[n=200]", records, "abs_error").value, 0.125, 1e-12);
  const Table t = paper_table(spec, records);
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_NEAR(t.rows[0][1].value, 0.125, 1e-12);
  EXPECT_NEAR(t.rows[0][2].value, 0.0175, 1e-12);
  std::string no_metric = text;
  for (auto pos = no_metric.find("metric = "); pos != std::string::npos; pos = no_metric.find("metric = "))
    no_metric.erase(pos, no_metric.find('\n', pos) - pos + 1);
  EXPECT_THROW(parse_paper_spec(no_metric, "toy.toml"), InputError);
  EXPECT_THROW(parse_paper_spec("aggregate = \"rmse\"\n" + text, "toy.toml"), InputError);
}

// Published values of a table whose columns are metrics of one dataset name
// their column by `metric`; without it the dataset's first column is meant.
TEST(PaperTable, PublishedValuesPickTheirColumnByMetric) {
  const std::string text = R"(title = "t"
suite = "estimation"
tolerance = 0.001

[[rows]]
method = "ols"

[[columns]]
dataset = "ks[n=200]"
metric = "abs_error"

[[columns]]
dataset = "ks[n=200]"
metric = "sq_error"

[[published]]
method = "ols"
dataset = "ks[n=200]"
metric = "sq_error"
value = 0.0175

[[published]]
method = "ols"
dataset = "ks[n=200]"
value = 0.125
)";
  const auto spec = parse_paper_spec(text, "toy.toml");
  ASSERT_EQ(spec.published.size(), 2u);
  EXPECT_EQ(spec.published[0].metric, "sq_error");
  const PaperDiff diff = diff_paper(spec, estimation_records());
  ASSERT_EQ(diff.entries.size(), 2u);
  EXPECT_NEAR(diff.entries[0].reproduced, 0.0175, 1e-12);  // mean e^2, not mean |e|
  EXPECT_NEAR(diff.entries[1].reproduced, 0.125, 1e-12);
  EXPECT_EQ(diff.n_within, 2u);
  std::string wrong = text;
  wrong.replace(wrong.find("metric = \"sq_error\"\nvalue"), 19, "metric = \"l2_error\"");
  try {
    parse_paper_spec(wrong, "toy.toml");
    ADD_FAILURE() << "a metric no column shows was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("with metric 'l2_error' is not a [[columns]] entry"), std::string::npos)
        << e.what();
  }
}


// What check_spec_labels throws for `arms`, "" when it accepts them.
std::string label_check_error(const PaperSpec& spec, const std::string& suite, const std::vector<CellRecord>& arms) {
  try {
    check_spec_labels(spec, suite, arms);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(PaperSpec, RowsAndColumnsMustBeCellsTheConfigPlans) {
  const auto spec = parse_paper_spec(kSpec, "/repo/benchmarks/papers/toy.toml");
  // One record per planned arm, as `reproduce` builds them from the plan.
  std::vector<CellRecord> arms;
  for (const char* dataset : {"ks[n=200]", "ks[n=1000]"}) {
    for (const char* method : {"ols", "aipw[trim=0.01]", "aipw[trim=0.05]"}) {
      arms.push_back(make_cell("estimation", dataset, method, 0, {}));
    }
  }
  EXPECT_EQ(label_check_error(spec, "estimation", arms), "");

  // A config that lacks a column's dataset (a label from before a scenario
  // gained a parameter, say): named, with the labels the config does plan.
  std::vector<CellRecord> renamed = arms;
  for (auto& r : renamed) {
    if (r.dataset_label == "ks[n=1000]") r.dataset_label = "ks[n=1000,noise=normal]";
  }
  const std::string column_error = label_check_error(spec, "estimation", renamed);
  EXPECT_NE(column_error.find("/repo/benchmarks/papers/toy.toml:20: [[columns]] dataset 'ks[n=1000]' is not planned by "
                              "its config /repo/benchmarks/configs/toy.toml"),
            std::string::npos)
      << column_error;
  EXPECT_NE(column_error.find("ks[n=1000,noise=normal], ks[n=200]"), std::string::npos) << column_error;

  // A row the config has no method for.
  std::vector<CellRecord> no_ols;
  for (const auto& r : arms) {
    if (r.method != "ols") no_ols.push_back(r);
  }
  EXPECT_NE(label_check_error(spec, "estimation", no_ols).find("toy.toml:8: [[rows]] method 'ols' is not planned"),
            std::string::npos);

  // "aipw" alone would stand for two planned labels: ambiguous, not a match.
  PaperSpec plain = spec;
  plain.rows[1].method = "aipw";
  EXPECT_NE(label_check_error(plain, "estimation", arms).find("matches several labels"), std::string::npos);
  // ... and for one it is that label.
  std::vector<CellRecord> one_aipw;
  for (const auto& r : arms) {
    if (r.method_label != "aipw[trim=0.05]") one_aipw.push_back(r);
  }
  EXPECT_EQ(label_check_error(plain, "estimation", one_aipw), "");

  EXPECT_NE(label_check_error(spec, "ood", arms).find("key 'suite' is 'estimation' but its config"),
            std::string::npos);
}


TEST(PaperSpec, MeanColumnsMustReadMetricsTheSuiteRecords) {
  const std::string base = "title = \"t\"\nsuite = \"estimation\"\nmetric = \"sq_error\"\n"
                           "[[rows]]\nmethod = \"m\"\n[[columns]]\ndataset = \"d\"\n";
  const std::vector<std::string> recorded = {"error", "sq_error", "acc"};
  EXPECT_NO_THROW(check_spec_metrics(parse_paper_spec(base, "s.toml"), recorded));
  EXPECT_NO_THROW(check_spec_metrics(parse_paper_spec(base + "metric = \"acc/near\"\n", "s.toml"), recorded));
  try {
    check_spec_metrics(parse_paper_spec(base + "metric = \"sq_eror\"\n", "s.toml"), recorded);
    ADD_FAILURE() << "a metric the suite does not record was accepted";
  } catch (const InputError& e) {  // the line of its [[columns]] table
    EXPECT_STREQ(e.what(),
                 "s.toml:6: metric 'sq_eror' (of [[columns]] dataset 'd') is not one suite 'estimation' "
                 "records (valid: error, sq_error, acc)");
  }
  try {  // the spec's own key
    std::string top = base;
    top.replace(top.find("sq_error"), 8, "sq_eror");
    check_spec_metrics(parse_paper_spec(top, "s.toml"), recorded);
    ADD_FAILURE() << "a metric the suite does not record was accepted";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(),
                 "s.toml: key 'metric' = 'sq_eror' is not a metric suite 'estimation' records (valid: error, "
                 "sq_error, acc)");
  }
  // A named aggregate reads its own metrics: nothing to check.
  EXPECT_NO_THROW(check_spec_metrics(
      parse_paper_spec("title = \"t\"\nsuite = \"estimation\"\naggregate = \"rmse\"\n[[rows]]\nmethod = \"m\"\n"
                       "[[columns]]\ndataset = \"d\"\n",
                       "s.toml"),
      {}));
}

}  // namespace
}  // namespace sb
