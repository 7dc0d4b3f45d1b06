// Selection split cells: a fixed-budget TMC / Beta Shapley cell run as parts
// (run_cell_in_process computes them here, as a run would anywhere) equals
// the method run whole, whatever the part size.
#include <gtest/gtest.h>

#include <map>

#include "benchmarks/selection/protocol.h"
#include "harness/core/errors.h"
#include "harness/core/suite.h"

namespace sb::selection {
namespace {

std::unique_ptr<Suite> selection_suite() { return SuiteRegistry::instance().find("selection")->make(ParamSet{}); }

CellSpec permutation_cell(const std::string& method, std::int64_t per_part, double convergence) {
  const auto suite = selection_suite();
  CellSpec cell;
  cell.suite = "selection";
  cell.dataset = "gaussian-classifier";
  for (auto& info : suite->datasets()) {
    if (info.name != cell.dataset) continue;
    cell.dataset_params = resolve_params(info.params,
                                         {{"n", std::int64_t{200}}, {"n_train", std::int64_t{24}},
                                          {"n_valid", std::int64_t{40}}, {"n_test", std::int64_t{40}}},
                                         "dataset");
  }
  cell.method = method;
  cell.method_params = resolve_params(ValuerRegistry::instance().find(method)->info.params,
                                      {{"max_permutations", std::int64_t{13}},
                                       {"permutations_per_part", per_part},
                                       {"convergence", convergence}},
                                      "method");
  cell.seed = 3;
  return cell;
}

std::map<std::string, double> as_map(const CellOutput& out) { return {out.metrics.begin(), out.metrics.end()}; }

TEST(SelectionSplit, OnlyAFixedBudgetSplits) {
  const auto suite = selection_suite();
  const auto split = suite->split_of(permutation_cell("tmc-shapley", 5, 0.0));
  ASSERT_TRUE(split);
  EXPECT_EQ(split->units, 13u);
  EXPECT_EQ(split->units_per_part, 5u);
  EXPECT_TRUE(suite->split_of(permutation_cell("beta-shapley", 4, 0.0)));
  EXPECT_FALSE(suite->split_of(permutation_cell("tmc-shapley", 5, 0.05)));  // the convergence stop is sequential
  CellSpec loo = permutation_cell("tmc-shapley", 5, 0.0);
  loo.method = "loo";
  loo.method_params = ParamSet{};
  EXPECT_FALSE(suite->split_of(loo));
}

TEST(SelectionSplit, PartsReduceToTheWholeRunForAnyPartSize) {
  const auto suite = selection_suite();
  for (const std::string method : {"tmc-shapley", "beta-shapley"}) {
    const CellSpec cell = permutation_cell(method, 5, 0.0);
    CellCache cache;
    const CellOutput split = run_cell_in_process(*suite, cell, cache);
    // The method run whole (Valuer::values: one sum over the 13 permutations).
    const auto whole = run_valuer(*prepare(cell.dataset, cell.dataset_params, cell.seed), method, cell.method_params,
                                  cell.seed);
    const auto& a = split.artifacts.at(0).values;
    const auto& b = whole.artifacts.at(0).values;
    ASSERT_EQ(a.size(), 24u);
    ASSERT_EQ(b.size(), 24u);
    double largest = 0;
    for (size_t i = 0; i < a.size(); ++i) {
      EXPECT_NEAR(a[i], b[i], 1e-12) << method << " row " << i;
      largest = std::max(largest, std::abs(b[i]));
    }
    EXPECT_GT(largest, 0.01) << method;  // not a vacuous comparison of zeros
    EXPECT_EQ(as_map(split).at("model_fits"), as_map(whole).at("model_fits")) << method;  // no truncation: 13 x 24
    EXPECT_EQ(as_map(split).at("model_fits"), 13 * 24) << method;
    CellCache other;
    const CellOutput single = run_cell_in_process(*suite, permutation_cell(method, 1, 0.0), other);
    for (size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(single.artifacts.at(0).values[i], a[i], 1e-12);
  }
}

}  // namespace
}  // namespace sb::selection
