// The selection suite end to end: registry sweep (every method on a tiny
// problem), grading of hand-made value vectors, validation, determinism.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "benchmarks/selection/metrics.h"
#include "benchmarks/selection/protocol.h"
#include "harness/core/errors.h"
#include "harness/core/suite.h"

namespace sb::selection {
namespace {

std::unique_ptr<Suite> selection_suite() {
  const auto* entry = SuiteRegistry::instance().find("selection");
  if (!entry) throw InternalError("suite 'selection' not registered");
  return entry->make(ParamSet{});
}

ParamSet dataset_params(const std::string& name, std::map<std::string, ParamValue> given) {
  for (auto& info : selection_suite()->datasets()) {
    if (info.name == name) return resolve_params(info.params, given, "dataset " + name);
  }
  throw InternalError("no dataset {}", name);
}

ParamSet method_params(const std::string& name, std::map<std::string, ParamValue> given) {
  return resolve_params(ValuerRegistry::instance().find(name)->info.params, given, "method " + name);
}

std::map<std::string, double> as_map(const std::vector<std::pair<std::string, double>>& m) {
  return {m.begin(), m.end()};
}

// Small budgets so that the sweep stays fast.
std::map<std::string, ParamValue> tiny_budget(const ComponentInfo& info) {
  std::map<std::string, ParamValue> out;
  for (const auto& spec : info.params) {
    if (spec.name == "max_permutations") out[spec.name] = std::int64_t{20};
    if (spec.name == "min_permutations") out[spec.name] = std::int64_t{5};
    if (spec.name == "subsets" || spec.name == "bootstraps") out[spec.name] = std::int64_t{30};
    if (spec.name == "k") out[spec.name] = std::int64_t{3};
  }
  return out;
}

TEST(SelectionSuite, GroundTruthReferenceGivesTheSameReplicationAsComputingItInPlace) {
  const auto params = dataset_params("planted", {{"n_train", std::int64_t{8}}, {"n_valid", std::int64_t{20}},
                                                 {"n_test", std::int64_t{20}}, {"rate", 0.25}});
  const auto in_place = prepare("planted", params, 5);
  const CellOutput truth = compute_ground_truth("planted", params, 5);
  const auto shipped = prepare("planted", params, 5, &truth);
  ASSERT_TRUE(in_place->loo && shipped->loo && in_place->shapley && shipped->shapley);
  EXPECT_EQ(*shipped->loo, *in_place->loo);  // bit for bit: the same computation, moved
  EXPECT_EQ(*shipped->shapley, *in_place->shapley);
  EXPECT_EQ(*shipped->banzhaf, *in_place->banzhaf);
  EXPECT_EQ(shipped->knn_shapley, in_place->knn_shapley);
  EXPECT_EQ(shipped->random_selection, in_place->random_selection);
  EXPECT_EQ(grade(*shipped, *in_place->loo), grade(*in_place, *in_place->loo));
}

TEST(SelectionSuite, RegistrySweepRunsEveryMethodOnPlanted) {
  const auto suite = selection_suite();
  const auto params = dataset_params("planted", {{"n_train", std::int64_t{10}}, {"n_valid", std::int64_t{30}},
                                                 {"n_test", std::int64_t{30}}, {"rate", 0.2}});
  const auto prepared = prepare("planted", params, 3);
  ASSERT_TRUE(prepared->loo && prepared->shapley && prepared->banzhaf);
  std::set<std::string> declared;
  for (const auto& m : suite->metrics()) declared.insert(m.name);
  const auto methods = suite->methods();
  ASSERT_GE(methods.size(), 8u);
  for (const auto& info : methods) {
    SCOPED_TRACE(info.name);
    EXPECT_FALSE(info.paper.empty());
    const auto p = method_params(info.name, tiny_budget(info));
    const CellOutput out = run_valuer(*prepared, info.name, p, 3);
    const auto metrics = as_map(out.metrics);
    for (const char* name : {"noisy_f1", "precision_at_rate", "noisy_auroc", "remove_low_auc", "remove_high_auc",
                             "wad", "select_10", "select_20", "select_50", "shapley_rel_l2", "banzhaf_rel_l2",
                             "knn_shapley_rel_l2", "model_fits"}) {
      ASSERT_TRUE(metrics.count(name)) << name;
      EXPECT_TRUE(std::isfinite(metrics.at(name))) << name;
    }
    for (const auto& [name, v] : metrics) EXPECT_TRUE(declared.count(name)) << name << " is not declared";
    ASSERT_EQ(out.artifacts.size(), 2u);
    EXPECT_EQ(out.artifacts[0].values.size(), 10u);
    // Same seed, same values; another seed changes the random ones.
    EXPECT_EQ(run_valuer(*prepared, info.name, p, 3).artifacts[0].values, out.artifacts[0].values);
  }
}

TEST(SelectionSuite, GradesAPerfectAndAnInvertedDetector) {
  const auto params = dataset_params("breast-cancer", {{"n_train", std::int64_t{60}}, {"n_valid", std::int64_t{60}},
                                                       {"n_test", std::int64_t{100}}, {"rate", 0.2}});
  const auto prepared = prepare("breast-cancer", params, 1);
  const auto& corrupted = prepared->data.corrupted;
  EXPECT_EQ(std::count(corrupted.begin(), corrupted.end(), 1), 12);
  std::vector<double> perfect(corrupted.size()), inverted(corrupted.size());
  for (size_t i = 0; i < corrupted.size(); ++i) perfect[i] = corrupted[i] ? -1.0 : 1.0, inverted[i] = -perfect[i];
  const auto good = as_map(grade(*prepared, perfect)), bad = as_map(grade(*prepared, inverted));
  EXPECT_DOUBLE_EQ(good.at("noisy_f1"), 1.0);
  EXPECT_DOUBLE_EQ(good.at("precision_at_rate"), 1.0);
  EXPECT_DOUBLE_EQ(good.at("noisy_auroc"), 1.0);
  EXPECT_DOUBLE_EQ(bad.at("noisy_auroc"), 0.0);
  EXPECT_DOUBLE_EQ(bad.at("precision_at_rate"), 0.0);
  // Removing the flipped rows first keeps accuracy; removing clean rows first loses it.
  EXPECT_GT(good.at("remove_low_auc"), bad.at("remove_low_auc"));
  EXPECT_FALSE(good.count("shapley_spearman"));  // 60 rows: no enumeration
  // Budgeted selection: the top 10% (6 rows) by value against the random draws, recomputed here.
  const auto again = random_selection_accuracy(prepared->data, prepared->utility, kRandomSelections,
                                               derive_seed(1, "selection/random-budget"));
  EXPECT_EQ(again, prepared->random_selection);
  const Utility utility(prepared->data, prepared->utility);
  const auto order = value_order(perfect, false);
  EXPECT_EQ(budget_rows(10, 60), 6);
  EXPECT_DOUBLE_EQ(good.at("select_10"),
                   utility.test_accuracy({order.begin(), order.begin() + 6}) - prepared->random_selection[0]);
  EXPECT_EQ(budget_rows(10, 3), 1);
  EXPECT_TRUE(good.count("loo_rel_l2"));
}

TEST(SelectionSuite, KnnShapleyWithTheTruthsKIsTheKnnShapleyGroundTruth) {
  const auto params = dataset_params("wine", {{"n_train", std::int64_t{60}}, {"n_valid", std::int64_t{40}},
                                              {"n_test", std::int64_t{40}}, {"truth_k", std::int64_t{4}}});
  const auto prepared = prepare("wine", params, 2);
  const auto same = as_map(run_valuer(*prepared, "knn-shapley", method_params("knn-shapley", {{"k", std::int64_t{4}}}), 2).metrics);
  EXPECT_DOUBLE_EQ(same.at("knn_shapley_spearman"), 1.0);
  EXPECT_DOUBLE_EQ(same.at("knn_shapley_rel_l2"), 0.0);
  const auto other = as_map(run_valuer(*prepared, "knn-shapley", method_params("knn-shapley", {{"k", std::int64_t{9}}}), 2).metrics);
  EXPECT_LT(other.at("knn_shapley_spearman"), 1.0);
  EXPECT_GT(other.at("knn_shapley_rel_l2"), 0.0);
}

TEST(SelectionSuite, ValidationRejectsTooManyRowsAndLargePlanted) {
  const auto suite = selection_suite();
  EXPECT_THROW(suite->validate_dataset("iris", dataset_params("iris", {{"n_train", std::int64_t{100}}})), InputError);
  EXPECT_NO_THROW(suite->validate_dataset(
      "iris", dataset_params("iris", {{"n_train", std::int64_t{50}}, {"n_valid", std::int64_t{50}}, {"n_test", std::int64_t{50}}})));
  EXPECT_THROW(suite->validate_dataset("planted", dataset_params("planted", {{"n_train", std::int64_t{17}}})),
               InputError);
  EXPECT_THROW(suite->validate_dataset("iris", dataset_params("iris", {{"data_dir", std::string("/nonexistent")}})),
               InputError);
}

TEST(SelectionSuite, RunThroughTheCellCacheIsDeterministic) {
  const auto suite = selection_suite();
  CellSpec cell;
  cell.suite = "selection";
  cell.dataset = "gaussian-classifier";
  cell.dataset_params = dataset_params("gaussian-classifier", {{"n", std::int64_t{300}}, {"n_train", std::int64_t{40}},
                                                               {"n_valid", std::int64_t{40}}, {"n_test", std::int64_t{40}}});
  cell.method = "knn-shapley";
  cell.method_params = method_params("knn-shapley", {});
  cell.seed = 4;
  CellCache cache;
  const auto a = run_cell_in_process(*suite, cell, cache);
  CellCache fresh;
  const auto b = run_cell_in_process(*suite, cell, fresh);
  EXPECT_EQ(a.metrics, b.metrics);
  EXPECT_EQ(a.artifacts[0].values, b.artifacts[0].values);
}

}  // namespace
}  // namespace sb::selection
