// The selection view: one table per metric, rows = methods, columns = the
// dataset configurations with only their varying parameters.
#include <gtest/gtest.h>

#include "results/view/suite_view.h"

namespace sb {
namespace {

CellRecord cell(const std::string& dataset, const std::string& method, double f1, const std::string& status = "ok") {
  CellRecord c;
  c.suite = "selection";
  c.dataset_label = dataset;
  c.method_label = method;
  c.status = *parse_cell_status(status);
  c.metrics = {{"noisy_f1", f1}, {"remove_high_auc", 0.5}};
  return c;
}

TEST(SelectionView, TablesPerMetricWithShortDatasetTitles) {
  const SuiteView* view = SuiteViewRegistry::instance().find("selection");
  ASSERT_NE(view, nullptr);
  const std::vector<CellRecord> cells = {
      cell("iris[n_train=50,rate=0.1,data_dir=a,b]", "loo", 0.4), cell("iris[n_train=50,rate=0.1,data_dir=a,b]", "loo", 0.6),
      cell("iris[n_train=50,rate=0.2,data_dir=a,b]", "loo", 0.2), cell("planted[n=3]", "random", 0.1),
      cell("planted[n=3]", "loo", 0.9, "error")};
  const auto tables = view->summary(cells, SummaryOptions{});
  ASSERT_EQ(tables.size(), 2u);  // noisy_f1 and remove_high_auc; no other metric recorded
  const Table& f1 = tables[0];
  ASSERT_EQ(f1.columns.size(), 4u);
  EXPECT_EQ(f1.columns[1].name, "iris[rate=0.1]");
  EXPECT_EQ(f1.columns[2].name, "iris[rate=0.2]");
  EXPECT_EQ(f1.columns[3].name, "planted");
  ASSERT_EQ(f1.rows.size(), 2u);
  EXPECT_EQ(f1.rows[0][0].text, "loo");
  EXPECT_DOUBLE_EQ(f1.rows[0][1].value, 0.5);  // mean of 0.4 and 0.6
  EXPECT_DOUBLE_EQ(f1.rows[0][2].value, 0.2);
  EXPECT_TRUE(std::isnan(f1.rows[0][3].value));  // the failed cell is not averaged
  EXPECT_DOUBLE_EQ(f1.rows[1][3].value, 0.1);
}

}  // namespace
}  // namespace sb
