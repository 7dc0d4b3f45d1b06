// The example suite's own test, built as test_benchmarks_coin because its folder is
// named after the suite (tests/benchmarks/<suite>/, tests/estimators/<suite>/).
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>

#include "benchmarks/coin/coin.h"
#include "harness/core/suite.h"
#include "results/view/suite_view.h"

namespace sb::coin {
namespace {

TEST(Coin, CellGradesTheEstimate) {
  const auto* suite = SuiteRegistry::instance().find("coin");
  ASSERT_NE(suite, nullptr);
  CellSpec cell;
  cell.suite = "coin";
  cell.dataset = "bernoulli";
  std::map<std::string, ParamValue> given;
  given["p"] = 0.25;
  cell.dataset_params = resolve_params(Registry<CoinDataset>::instance().find("bernoulli")->info.params,
                                       given, "dataset 'bernoulli'");
  cell.method = "share-of-heads";
  CellCache cache;
  const CellOutput out = suite->make(ParamSet{})->run(cell, cache);
  ASSERT_EQ(out.metrics.size(), 1u);
  EXPECT_EQ(out.metrics[0].first, "abs_err");
  EXPECT_LT(out.metrics[0].second, 0.2);  // 100 flips: |share - 0.25| is small
}

TEST(Coin, ViewRegistersItsAggregate) {
  ASSERT_NE(SuiteViewRegistry::instance().find("coin"), nullptr);
  EXPECT_EQ(aggregate_names("coin"), (std::vector<std::string>{"mean", "worst_abs_err"}));
}

}  // namespace
}  // namespace sb::coin
