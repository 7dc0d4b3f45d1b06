// The ood suite's results view (benchmarks/ood/view.cpp): OpenOOD-style
// tables per OOD dataset and metric, against a golden file.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "results/render/table.h"
#include "results/view/suite_view.h"
#include "tests/results/fixtures.h"

namespace sb {
namespace {

// 3 detectors x 3 seeds on one dataset with sets recorded in the order
// far-b, near-a, far-c (near-a is near): per-set metrics, then the group and
// overall means as the suite's grade() writes them. One failed cell.
std::vector<CellRecord> ood_records() {
  const std::vector<std::string> sets = {"far-b", "near-a", "far-c"};
  const std::map<std::string, std::vector<double>> base = {  // auroc per set
      {"energy", {0.95, 0.70, 0.90}}, {"knn[k=5]", {0.99, 0.65, 0.97}}, {"msp", {0.90, 0.72, 0.85}}};
  std::vector<CellRecord> out;
  for (const auto& [method, auroc] : base) {
    for (int seed = 0; seed < 3; ++seed) {
      std::vector<std::pair<std::string, double>> metrics;
      double near[4] = {0, 0, 0, 0}, far[4] = {0, 0, 0, 0};
      for (std::size_t i = 0; i < sets.size(); ++i) {
        const double a = auroc[i] + 0.01 * (seed - 1) * static_cast<double>(i + 1);
        const double v[4] = {a, a - 0.05, a - 0.1, 1.2 - a};
        const char* names[4] = {"auroc/", "aupr_in/", "aupr_out/", "fpr95/"};
        for (int m = 0; m < 4; ++m) {
          metrics.emplace_back(names[m] + sets[i], v[m]);
          (sets[i] == "near-a" ? near : far)[m] += v[m];
        }
      }
      const char* bases[4] = {"auroc", "aupr_in", "aupr_out", "fpr95"};
      for (int m = 0; m < 4; ++m) metrics.emplace_back(std::string(bases[m]) + "/far", far[m] / 2);
      for (int m = 0; m < 4; ++m) metrics.emplace_back(std::string(bases[m]) + "/near", near[m]);
      for (int m = 0; m < 4; ++m) metrics.emplace_back(bases[m], (near[m] + far[m]) / 3);
      metrics.emplace_back("id_accuracy", 0.9);
      out.push_back(testing::make_cell("ood", "gauss[n=100]", method, seed, metrics));
    }
  }
  out.push_back(testing::make_cell("ood", "gauss[n=100]", "msp", 3, {}, "crashed"));
  return out;
}

std::string render_all(const std::vector<Table>& tables) {
  std::string out;
  for (const auto& t : tables) out += (out.empty() ? "" : "\n") + render_markdown(t);
  return out;
}

TEST(OodView, GroupsSetsAsTheRecordedMeansShowAndRanksDetectors) {
  const SuiteView* view = SuiteViewRegistry::instance().find("ood");
  ASSERT_NE(view, nullptr);
  const auto tables = view->summary(ood_records(), SummaryOptions{});
  ASSERT_EQ(tables.size(), 4u);  // AUROC, AUPR-In, AUPR-Out, FPR@95
  const auto& auroc = tables[0];
  EXPECT_EQ(auroc.title, "gauss[n=100]: AUROC");
  std::vector<std::string> headers;
  for (const auto& c : auroc.columns) headers.push_back(c.name);
  // near has one set: no "near mean" column (it would repeat near-a).
  EXPECT_EQ(headers, (std::vector<std::string>{"detector", "near-a (near)", "far-b (far)", "far-c (far)",
                                               "far mean", "mean rank", "seeds", "failed"}));
  // AUROC ranks per set: far-b knn 1, energy 2, msp 3; near-a msp 1, energy 2,
  // knn 3; far-c knn 1, energy 2, msp 3 -> energy 2, knn 5/3, msp 7/3.
  ASSERT_EQ(auroc.rows.size(), 3u);
  EXPECT_EQ(auroc.rows[0][0].text, "energy");
  EXPECT_DOUBLE_EQ(auroc.rows[0][5].value, 2.0);
  EXPECT_NEAR(auroc.rows[1][5].value, 5.0 / 3, 1e-12);
  EXPECT_EQ(auroc.rows[1][5].mark, Mark::kBest);
  EXPECT_EQ(auroc.rows[2][7].value, 1.0);  // msp's crashed cell
  // FPR@95 = 1.2 - AUROC here and lower is better: the same ranks.
  EXPECT_NEAR(tables[3].rows[1][5].value, 5.0 / 3, 1e-12);
  EXPECT_EQ(tables[3].rows[1][5].mark, Mark::kBest);

  const std::string path = std::string(SB_SOURCE_DIR) + "/tests/benchmarks/ood/golden/ood_summary.md";
  const std::string actual = render_all(tables);
  if (std::getenv("SB_UPDATE_GOLDEN") != nullptr) std::ofstream(path, std::ios::binary) << actual;
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in.good()) << "missing golden file " << path;
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(actual, expected.str()) << path;
}

TEST(OodView, SeveralIdDatasetsAddAMeanAcrossThemFirstOnTheHtmlPage) {
  // The same study on a second ID dataset whose AUROC is 0.1 lower for every
  // detector (FPR 0.1 higher): per detector the mean of its two dataset means.
  std::vector<CellRecord> cells = ood_records();
  const std::size_t n = cells.size();
  for (std::size_t i = 0; i < n; ++i) {
    CellRecord copy = cells[i];
    copy.dataset_label = "other[n=50]";
    for (auto& [name, value] : copy.metrics)
      value += name.rfind("auroc", 0) == 0 ? -0.1 : name.rfind("fpr95", 0) == 0 ? 0.1 : 0.0;
    cells.push_back(copy);
  }
  const SuiteView* view = SuiteViewRegistry::instance().find("ood");
  const auto tables = view->summary(cells, SummaryOptions{});
  ASSERT_EQ(tables.size(), 9u);  // 4 per dataset, then the one across them
  const Table& across = tables.back();
  EXPECT_EQ(across.title, "Across the 2 ID datasets: AUROC and FPR@95");
  ASSERT_EQ(across.rows.size(), 3u);
  // energy's overall AUROC per seed is the mean over its 3 sets; over seeds
  // the +-0.01 steps cancel: (0.95 + 0.70 + 0.90) / 3 = 0.85 on the first
  // dataset, 0.75 on the second -> 0.80.
  EXPECT_EQ(across.rows[0][0].text, "energy");
  EXPECT_NEAR(across.rows[0][1].value, 0.80, 1e-12);
  EXPECT_NEAR(across.rows[0][2].value, 1.2 - 0.85 + 0.05, 1e-12);  // (0.35 + 0.45) / 2
  EXPECT_EQ(across.rows[0][4].value, 2.0);                          // datasets
  // Ranks on each dataset's overall AUROC: knn (0.87) 1, energy (0.85) 2, msp (0.823) 3, on both.
  EXPECT_DOUBLE_EQ(across.rows[1][3].value, 1.0);
  const std::string html = view->html_section(cells, SummaryOptions{});
  EXPECT_LT(html.find("<h3>Across the 2 ID datasets"), html.find("<h3>gauss[n=100]: AUROC</h3>"));
  // One dataset: no such table.
  EXPECT_EQ(view->summary(ood_records(), SummaryOptions{}).size(), 4u);
}

// AUROC and FPR@95 first, in the open; AUPR-In and AUPR-Out folded after them.
TEST(OodView, HtmlSectionShowsAurocAndFprAndFoldsAupr) {
  const SuiteView* view = SuiteViewRegistry::instance().find("ood");
  ASSERT_NE(view, nullptr);
  const std::string html = view->html_section(ood_records(), SummaryOptions{});
  std::size_t n = 0;
  for (auto pos = html.find("<table class=\"sb\">"); pos != std::string::npos; pos = html.find("<table class=\"sb\">", pos + 1)) ++n;
  EXPECT_EQ(n, 4u);
  const auto auroc = html.find("<h3>gauss[n=100]: AUROC</h3>"), fpr = html.find("<h3>gauss[n=100]: FPR@95</h3>");
  const auto fold = html.find("<details><summary>AUPR-In and AUPR-Out</summary>");
  const auto aupr_in = html.find("<h3>gauss[n=100]: AUPR-In</h3>"), aupr_out = html.find("<h3>gauss[n=100]: AUPR-Out</h3>");
  ASSERT_NE(fold, std::string::npos);
  EXPECT_LT(auroc, fpr);
  EXPECT_LT(fpr, fold);
  EXPECT_LT(fold, aupr_in);
  EXPECT_LT(aupr_in, aupr_out);
  EXPECT_NE(aupr_out, std::string::npos);
  EXPECT_LT(aupr_out, html.find("</details>"));
}

}  // namespace
}  // namespace sb
