// The unlearning view: one SalUn-style table per dataset configuration,
// titled by the parameters that vary, failed cells left out of the means.
#include <gtest/gtest.h>

#include <cmath>

#include "results/view/suite_view.h"

namespace sb {
namespace {

CellRecord cell(const std::string& dataset, const std::string& method, double gap, const std::string& status = "ok") {
  CellRecord c;
  c.suite = "unlearning";
  c.dataset_label = dataset;
  c.method_label = method;
  c.status = *parse_cell_status(status);
  c.metrics = {{"acc_forget", 0.9}, {"avg_gap", gap}};
  return c;
}

TEST(UnlearningView, OneTablePerDatasetWithMethodsAsRows) {
  const SuiteView* view = SuiteViewRegistry::instance().find("unlearning");
  ASSERT_NE(view, nullptr);
  const std::vector<CellRecord> cells = {
      cell("wine[forget=class,model=ridge]", "retrain", 0.0), cell("wine[forget=class,model=ridge]", "finetune", 0.1),
      cell("wine[forget=class,model=ridge]", "finetune", 0.3), cell("wine[forget=random,model=ridge]", "fisher", 0.2),
      cell("wine[forget=random,model=ridge]", "finetune", 9.0, "error"), cell("digits[forget=class,model=ridge]", "fisher", 0.5)};
  auto tables = view->summary(cells, SummaryOptions{});
  ASSERT_EQ(tables.size(), 3u);
  EXPECT_EQ(tables[0].title, "Unlearning: digits");  // one configuration: no parameter varies
  tables.erase(tables.begin());
  EXPECT_EQ(tables[0].title, "Unlearning: wine[forget=class]");
  EXPECT_EQ(tables[1].title, "Unlearning: wine[forget=random]");
  ASSERT_EQ(tables[0].columns.size(), 9u);
  EXPECT_EQ(tables[0].columns[5].name, "avg gap");
  ASSERT_EQ(tables[0].rows.size(), 2u);
  EXPECT_EQ(tables[0].rows[0][0].text, "finetune");
  EXPECT_DOUBLE_EQ(tables[0].rows[0][5].value, 0.2);  // mean of 0.1 and 0.3
  EXPECT_DOUBLE_EQ(tables[0].rows[0][1].value, 0.9);
  EXPECT_TRUE(std::isnan(tables[0].rows[0][8].value));  // speedup not recorded
  ASSERT_EQ(tables[1].rows.size(), 1u);  // the failed finetune cell is left out
  EXPECT_EQ(tables[1].rows[0][0].text, "fisher");
}

TEST(UnlearningView, RegressionTablesShowMeanSquaredErrorsInTheAccuraciesPlaces) {
  const SuiteView* view = SuiteViewRegistry::instance().find("unlearning");
  CellRecord regression = cell("diabetes[model=ridge]", "retrain", 0.0);
  regression.metrics = {{"mse_forget", 0.7}, {"mse_test", 0.6}, {"avg_gap", 0.0}};
  const auto tables = view->summary({regression, cell("wine", "retrain", 0.0)}, SummaryOptions{});
  ASSERT_EQ(tables.size(), 2u);
  ASSERT_EQ(tables[0].title, "Unlearning: diabetes");
  EXPECT_EQ(tables[0].columns[1].name, "MSE forget");
  EXPECT_EQ(tables[0].columns[3].name, "MSE test");
  EXPECT_DOUBLE_EQ(tables[0].rows[0][1].value, 0.7);
  EXPECT_DOUBLE_EQ(tables[0].rows[0][3].value, 0.6);
  EXPECT_EQ(tables[1].columns[1].name, "acc forget");  // a classification table keeps its accuracies
  EXPECT_DOUBLE_EQ(tables[1].rows[0][1].value, 0.9);
}

}  // namespace
}  // namespace sb
