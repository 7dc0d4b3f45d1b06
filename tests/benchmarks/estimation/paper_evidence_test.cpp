// Monte Carlo errors of the estimation aggregates (benchmarks/estimation/
// summary.cpp, view.cpp), the spec keys that ask for Monte Carlo tolerances
// and reproduce's evidence (results/render/paper_table.cpp, paper_diff.cpp):
// every number by hand, the median's error also against a simulation.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "benchmarks/estimation/summary.h"
#include "harness/core/errors.h"
#include "results/aggregate/statistics.h"
#include "results/render/paper_table.h"
#include "results/view/suite_view.h"
#include "tests/results/fixtures.h"

namespace sb {
namespace {

using testing::make_cell;

TEST(MonteCarloError, SmallVectorsByHand) {
  // {1, 2, 3, 4}: sd = sqrt(5/3), SE = sd / 2.
  EXPECT_NEAR(mc::se_of_mean({1, 2, 3, 4}), std::sqrt(5.0 / 3) / 2, 1e-15);
  EXPECT_TRUE(std::isnan(mc::se_of_mean({1})));
  // Squared errors 0.04, 0.01, 0.01, 0.01: mean 0.0175, sd 0.015 (deviations
  // 0.0225 and 3 x -0.0075: 0.000675 / 3 = 0.000225), RMSE sqrt(0.0175):
  // SE = 0.015 / (2 sqrt(0.0175) * 2).
  EXPECT_NEAR(mc::se_of_rmse({0.04, 0.01, 0.01, 0.01}), 0.015 / (4 * std::sqrt(0.0175)), 1e-15);
  EXPECT_TRUE(std::isnan(mc::se_of_rmse({0, 0, 0})));  // RMSE 0: the delta method divides by it
  EXPECT_TRUE(std::isnan(mc::se_of_rmse({0.5})));
  EXPECT_NEAR(mc::se_of_proportion(0.75, 4), std::sqrt(0.75 * 0.25 / 4), 1e-15);
  EXPECT_DOUBLE_EQ(mc::se_of_proportion(1.0, 10), 0.0);
  EXPECT_TRUE(std::isnan(mc::se_of_proportion(0.5, 0)));
}

TEST(MonteCarloError, QuantilesAndMedianByHand) {
  EXPECT_DOUBLE_EQ(mc::quantile({3, 1, 2, 4}, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(mc::quantile({3, 1, 2}, 0.5), 2);
  EXPECT_DOUBLE_EQ(mc::quantile({5}, 0.5), 5);
  EXPECT_TRUE(std::isnan(mc::quantile({}, 0.5)));
  // 1..8 (type 7: x at rank 1 + 7p): Q(0.25) = 2.75, Q(0.75) = 6.25.
  const std::vector<double> x = {8, 7, 6, 5, 4, 3, 2, 1};
  EXPECT_DOUBLE_EQ(mc::quantile(x, 0.25), 2.75);
  EXPECT_DOUBLE_EQ(mc::quantile(x, 0.75), 6.25);
  // n = 8: h = 8^(-1/3) / 2 = 0.25, SE = (6.25 - 2.75) / (4 * 0.25 * sqrt(8)).
  EXPECT_NEAR(mc::se_of_median(x), 3.5 / std::sqrt(8.0), 1e-12);
  EXPECT_TRUE(std::isnan(mc::se_of_median({1})));
  // The summary sorts once and uses the _of_sorted forms: the same numbers.
  const std::vector<double> sorted = {1, 2, 3, 4, 5, 6, 7, 8};
  EXPECT_DOUBLE_EQ(mc::quantile_of_sorted(sorted, 0.25), 2.75);
  EXPECT_DOUBLE_EQ(mc::quantile_of_sorted(sorted, 0.5), mc::quantile(x, 0.5));
  EXPECT_DOUBLE_EQ(mc::se_of_median_of_sorted(sorted), mc::se_of_median(x));
  EXPECT_TRUE(std::isnan(mc::quantile_of_sorted({}, 0.5)));
}

// The median's SE estimate against the spread of medians over simulated
// studies and against the closed form 1 / (2 f(m) sqrt(n)) for |N(0, 1)|:
// m = Phi^-1(3/4), f(m) = 2 phi(m).
TEST(MonteCarloError, MedianSeMatchesSimulationAndClosedForm) {
  const std::size_t n = 400, studies = 2000;
  const double m = stats::normal_quantile(0.75);
  const double f = 2 * std::exp(-m * m / 2) / std::sqrt(2 * M_PI);
  const double closed_form = 1 / (2 * f * std::sqrt(static_cast<double>(n)));
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal;
  std::vector<double> medians, ses;
  for (std::size_t s = 0; s < studies; ++s) {
    std::vector<double> abs_error(n);
    for (auto& v : abs_error) v = std::abs(normal(rng));
    medians.push_back(mc::quantile(abs_error, 0.5));
    ses.push_back(mc::se_of_median(abs_error));
  }
  EXPECT_NEAR(stats::mean(medians), m, 0.005);
  EXPECT_NEAR(stats::sample_sd(medians) / closed_form, 1.0, 0.06);
  EXPECT_NEAR(stats::mean(ses) / closed_form, 1.0, 0.06);
}

// ols errors -0.2, 0.1, 0.1, -0.1 over 4 seeds, covered in 3.
std::vector<CellRecord> ols_cells() {
  std::vector<CellRecord> out;
  const double errors[] = {-0.2, 0.1, 0.1, -0.1};
  const double widths[] = {0.3, 0.5, 0.4, 0.4};
  for (int s = 0; s < 4; ++s) {
    const double e = errors[s];
    out.push_back(make_cell("estimation", "ks[n=200]", "ols", s,
                            {{"error", e}, {"abs_error", std::abs(e)}, {"sq_error", e * e},
                             {"covered", s == 0 ? 0.0 : 1.0}, {"ci_width", widths[s]}}));
  }
  return out;
}

TEST(MonteCarloError, EveryEstimationAggregateCarriesItsError) {
  const auto cells = ols_cells();
  auto get = [&](const std::string& name) {
    const auto a = find_aggregate("estimation", name);
    EXPECT_TRUE(a.has_value()) << name;
    return a->compute(cells, 0.95);
  };
  // bias: mean -0.025; sd of errors: deviations -0.175, 0.125, 0.125, -0.075
  // -> (0.030625 + 0.015625 * 2 + 0.005625) / 3 = 0.0225, sd 0.15; SE 0.075.
  EXPECT_NEAR(get("bias").value, -0.025, 1e-15);
  EXPECT_NEAR(get("bias").mc_se, 0.075, 1e-12);
  EXPECT_NEAR(get("rmse").mc_se, 0.015 / (4 * std::sqrt(0.0175)), 1e-12);
  // |e| = 0.2, 0.1, 0.1, 0.1: mean 0.125, sd sqrt(0.0075 / 3) = 0.05, SE 0.025.
  EXPECT_NEAR(get("mae").mc_se, 0.025, 1e-12);
  EXPECT_NEAR(get("coverage").mc_se, std::sqrt(0.75 * 0.25 / 4), 1e-12);
  // widths mean 0.4, sd sqrt(0.02 / 3), SE / 2.
  EXPECT_NEAR(get("mean_ci_width").value, 0.4, 1e-12);
  EXPECT_NEAR(get("mean_ci_width").mc_se, std::sqrt(0.02 / 3) / 2, 1e-12);
  // median |e| of sorted 0.1, 0.1, 0.1, 0.2 = 0.1. n = 4: h = 4^(-1/3) / 2;
  // Q(1/2 + h) sits at 0-based rank 3 (1/2 + h) = 2.445, between 0.1 and
  // 0.2; Q(1/2 - h) at rank 0.555, between 0.1 and 0.1.
  const auto mad = get("median_abs_error");
  EXPECT_NEAR(mad.value, 0.1, 1e-15);
  const double h = 0.5 * std::cbrt(0.25);
  const double upper = 0.1 + (3 * (0.5 + h) - 2) * 0.1;
  EXPECT_NEAR(mad.mc_se, (upper - 0.1) / (4 * h * 2), 1e-12);
  EXPECT_EQ(mad.n, 4u);
  // Five values 0.3, 0.1, 0.5, 0.2, 0.4: the median is the middle one.
  std::vector<CellRecord> odd;
  for (int s = 0; s < 5; ++s) {
    const double a = std::vector<double>{0.3, 0.1, 0.5, 0.2, 0.4}[s];
    odd.push_back(make_cell("estimation", "d", "m", s, {{"error", -a}, {"abs_error", a}, {"sq_error", a * a}}));
  }
  EXPECT_NEAR(find_aggregate("estimation", "median_abs_error")->compute(odd, 0.95).value, 0.3, 1e-15);
}

const std::string kBase = "title = \"t\"\nsuite = \"estimation\"\naggregate = \"rmse\"\n"
                          "[[rows]]\nmethod = \"ols\"\n[[columns]]\ndataset = \"ks[n=200]\"\n";
const std::string kEntry = "[[published]]\nmethod = \"ols\"\ndataset = \"ks[n=200]\"\nvalue = 0.1\n";

using testing::paper_spec_error;

TEST(PaperSpecMc, ParsesToleranceMcZAndReplications) {
  // Top-level defaults, one entry overriding every one of them.
  const auto spec = parse_paper_spec("tolerance = \"mc\"\ntolerance_z = 2.5\nreplications = 1000\n" + kBase +
                                         kEntry + kEntry + "tolerance_z = 4\nreplications = 200\n" + kEntry +
                                         "tolerance = 0.02\n",
                                     "spec.toml");
  ASSERT_EQ(spec.published.size(), 3u);
  EXPECT_TRUE(spec.published[0].mc_tolerance);
  EXPECT_DOUBLE_EQ(spec.published[0].tolerance_z, 2.5);
  EXPECT_EQ(spec.published[0].replications, 1000u);
  EXPECT_DOUBLE_EQ(spec.published[1].tolerance_z, 4);
  EXPECT_EQ(spec.published[1].replications, 200u);
  EXPECT_FALSE(spec.published[2].mc_tolerance);
  EXPECT_DOUBLE_EQ(spec.published[2].tolerance, 0.02);
  // Defaults: z = 3, no R (an exact published value).
  const auto plain = parse_paper_spec(kBase + kEntry + "tolerance = \"mc\"\n", "spec.toml");
  EXPECT_TRUE(plain.published[0].mc_tolerance);
  EXPECT_DOUBLE_EQ(plain.published[0].tolerance_z, 3);
  EXPECT_EQ(plain.published[0].replications, 0u);
}

TEST(PaperSpecMc, BadValuesNameFileLineKeyAndValue) {
  // kBase + kEntry is 11 lines; the entry's own keys follow on line 12.
  auto expect_error = [](const std::string& text, const std::vector<std::string>& parts) {
    const std::string e = paper_spec_error(text);
    for (const auto& p : parts) EXPECT_NE(e.find(p), std::string::npos) << "'" << p << "' not in: " << e;
  };
  expect_error(kBase + kEntry + "tolerance = \"approx\"\n", {"spec.toml:12", "'tolerance'", "'approx'", "\"mc\""});
  expect_error(kBase + kEntry + "tolerance = -0.5\n", {"spec.toml:12", "'tolerance'", "-0.5"});
  expect_error(kBase + kEntry + "tolerance = true\n", {"spec.toml:12", "'tolerance'"});
  expect_error(kBase + kEntry + "tolerance = \"mc\"\ntolerance_z = 0\n", {"spec.toml:13", "'tolerance_z'", "> 0, got 0"});
  expect_error(kBase + kEntry + "tolerance = \"mc\"\nreplications = 0\n",
               {"spec.toml:13", "'replications'", "integer >= 1, got 0"});
  expect_error(kBase + kEntry + "tolerance = \"mc\"\nreplications = 2.5\n", {"spec.toml:13", "'replications'", "2.5"});
  expect_error(kBase + kEntry + "tolerance = \"mc\"\nreplications = \"many\"\n",
               {"spec.toml:13", "'replications'", "many"});
  expect_error("replications = -3\n" + kBase, {"spec.toml:1", "'replications'", "-3", "the paper spec"});
  // tolerance_z with a fixed tolerance: in an entry, and at the top with no "mc" entry.
  expect_error(kBase + kEntry + "tolerance = 0.1\ntolerance_z = 2\n",
               {"spec.toml:13", "'tolerance_z'", "needs tolerance = \"mc\""});
  expect_error("tolerance_z = 2\ntolerance = 0.1\n" + kBase + kEntry, {"spec.toml:1", "'tolerance_z'", "no [[published]]"});
  expect_error("tolerance_z = 2\n" + kBase, {"spec.toml:1", "'tolerance_z'"});
  expect_error(kBase + kEntry + "tolerance = \"mc\"\ntolerance_sigma = 2\n", {"unknown key 'tolerance_sigma'"});
  EXPECT_EQ(paper_spec_error(kBase + kEntry + "tolerance = \"mc\"\ntolerance_z = 2\nreplications = 500\n"),
            "");
}

TEST(PaperSpecMc, SourcesDefaultAtTheTopAndAreListedUnderTheEvidence) {
  const auto spec = parse_paper_spec("tolerance = \"mc\"\nsource = \"A & B (2012), Table 1\"\n" + kBase + kEntry +
                                         kEntry + "source = \"C (2009), Table 2, p. 7\"\n" + kEntry,
                                     "spec.toml");
  ASSERT_EQ(spec.published.size(), 3u);
  EXPECT_EQ(spec.published[0].source, "A & B (2012), Table 1");
  EXPECT_EQ(spec.published[1].source, "C (2009), Table 2, p. 7");
  EXPECT_EQ(spec.published[2].source, "A & B (2012), Table 1");
  EXPECT_EQ(parse_paper_spec(kBase + kEntry + "tolerance = 0.1\n", "spec.toml").published[0].source, "");
  EXPECT_NE(paper_spec_error(kBase + kEntry + "tolerance = 0.1\nsource = 3\n").find("'source'"),
            std::string::npos);
  // Each distinct source once, in the spec's order, before the summary line.
  const auto diff = diff_paper(spec, ols_cells());
  const Table t = paper_diff_table(diff, 3);
  ASSERT_GE(t.notes.size(), 3u);
  EXPECT_EQ(t.notes[t.notes.size() - 3], "published: A & B (2012), Table 1");
  EXPECT_EQ(t.notes[t.notes.size() - 2], "published: C (2009), Table 2, p. 7");
  EXPECT_EQ(t.notes.back(), paper_diff_summary(diff));
}

TEST(PaperEvidence, ToleranceAndDifferenceInSes) {
  PublishedValue p;
  p.value = 1.0;
  p.mc_tolerance = true;
  p.tolerance_z = 3;
  p.replications = 400;
  // Ours 1.3 with SE 0.1 over n = 100: se_pub = 0.1 * sqrt(100 / 400) = 0.05,
  // combined sqrt(0.01 + 0.0025) = 0.111803, z = 0.3 / 0.111803 = 2.6833,
  // tolerance 3 * 0.111803 = 0.335410: within.
  auto c = check_tolerance(p, 1.3, 0.1, 100);
  EXPECT_NEAR(c.difference, 0.3, 1e-12);
  EXPECT_NEAR(c.se_published, 0.05, 1e-15);
  EXPECT_NEAR(c.se_combined, std::sqrt(0.0125), 1e-15);
  EXPECT_NEAR(c.z_score, 0.3 / std::sqrt(0.0125), 1e-12);
  EXPECT_NEAR(c.tolerance, 3 * std::sqrt(0.0125), 1e-12);
  EXPECT_EQ(c.status, DiffStatus::kWithin);
  p.tolerance_z = 2;  // tolerance 0.2236 < 0.3
  EXPECT_EQ(check_tolerance(p, 1.3, 0.1, 100).status, DiffStatus::kOutside);
  // No R: the published value is exact; combined SE = ours.
  p.replications = 0;
  c = check_tolerance(p, 0.75, 0.1, 100);
  EXPECT_DOUBLE_EQ(c.se_published, 0);
  EXPECT_NEAR(c.z_score, -2.5, 1e-12);
  EXPECT_NEAR(c.tolerance, 0.2, 1e-15);
  EXPECT_EQ(c.status, DiffStatus::kOutside);
  // No Monte Carlo error: no verdict with "mc"; a fixed tolerance still judges.
  EXPECT_EQ(check_tolerance(p, 1.0, NAN, 1).status, DiffStatus::kNoMcError);
  p.mc_tolerance = false;
  p.tolerance = 0.3;
  c = check_tolerance(p, 0.75, NAN, 1);
  EXPECT_EQ(c.status, DiffStatus::kWithin);
  EXPECT_TRUE(std::isnan(c.z_score));
  EXPECT_DOUBLE_EQ(c.tolerance, 0.3);
  EXPECT_EQ(check_tolerance(p, NAN, 0.1, 0).status, DiffStatus::kMissing);
}

TEST(PaperEvidence, DiffTableShowsIntervalSesToleranceAndSummary) {
  // RMSE of ols = sqrt(0.0175) = 0.13229, SE s = 0.015 / (4 sqrt(0.0175)) = 0.028347.
  const double rmse = std::sqrt(0.0175), se = 0.015 / (4 * rmse);
  const std::string spec_text = "tolerance = \"mc\"\n" + kBase +
                                "[[published]]\nmethod = \"ols\"\ndataset = \"ks[n=200]\"\nvalue = 0.13\n" +
                                "[[published]]\nmethod = \"ols\"\ndataset = \"ks[n=200]\"\nvalue = " +
                                std::to_string(rmse + 10 * se) + "\n";
  const auto spec = parse_paper_spec(spec_text, "spec.toml");
  const auto diff = diff_paper(spec, ols_cells());
  ASSERT_EQ(diff.entries.size(), 2u);
  EXPECT_NEAR(diff.entries[0].check.se_ours, se, 1e-12);
  EXPECT_NEAR(diff.entries[0].check.z_score, (rmse - 0.13) / se, 1e-9);
  EXPECT_EQ(diff.entries[0].check.status, DiffStatus::kWithin);
  EXPECT_NEAR(diff.entries[1].check.z_score, -10, 1e-4);
  EXPECT_EQ(diff.entries[1].check.status, DiffStatus::kOutside);
  EXPECT_FALSE(diff.ok());
  EXPECT_EQ(paper_diff_summary(diff), "1 of 2 published values within tolerance (1 outside, 0 missing)");
  const Table t = paper_diff_table(diff, 3);
  ASSERT_EQ(t.columns.size(), 10u);
  EXPECT_NEAR(t.rows[0][3].low, rmse - 1.959963984540054 * se, 1e-12);
  EXPECT_NEAR(t.rows[0][3].high, rmse + 1.959963984540054 * se, 1e-12);
  EXPECT_NEAR(t.rows[1][6].value, 3 * se, 1e-12);
  EXPECT_EQ(t.rows[1][7].text, "3 SE, exact");
  EXPECT_EQ(t.rows[1][9].text, "OUTSIDE");
  EXPECT_EQ(t.notes.back(), paper_diff_summary(diff));
  const std::string md = render_markdown(t);
  EXPECT_NE(md.find("| ols "), std::string::npos) << md;
  EXPECT_NE(md.find("-10.00"), std::string::npos) << md;
  const std::string html = render_table(t, TableFormat::kHtml);
  EXPECT_NE(html.find("<table"), std::string::npos) << html;
  EXPECT_NE(html.find("1 of 2 published values within tolerance"), std::string::npos) << html;
}

// The built-in "mean" carries the standard error of the mean over seeds.
TEST(PaperEvidence, MeanAggregateCarriesItsStandardError) {
  auto spec = parse_paper_spec(kBase, "spec.toml");
  spec.aggregate_name = "mean";
  spec.metric = "abs_error";
  const auto v = paper_value(spec, "ols", "ks[n=200]", ols_cells());
  EXPECT_NEAR(v.value, 0.125, 1e-15);
  EXPECT_NEAR(v.mc_se, 0.025, 1e-12);
}

}  // namespace
}  // namespace sb
