// Regression tables in the selection suite: the ridge utility (validation
// R^2) against the augmented normal equations solved independently, target
// noise, the planning checks, and diabetes end to end.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <numeric>
#include <random>

#include "benchmarks/selection/ground_truth.h"
#include "benchmarks/selection/protocol.h"
#include "benchmarks/selection/semivalue.h"
#include "datasets/corruption.h"
#include "harness/core/errors.h"
#include "harness/core/suite.h"

namespace sb::selection {
namespace {

// y = x . beta + noise on n rows of d Gaussian features (a regression table).
data::Table linear_table(Eigen::Index n, Eigen::Index d, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> z;
  data::Table t;
  t.x.resize(n, d);
  t.target.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    double y = 0.5;
    for (Eigen::Index j = 0; j < d; ++j) {
      t.x(i, j) = z(rng);
      y += (j + 1.0) * t.x(i, j);
    }
    t.target(i) = y + 0.3 * z(rng);
  }
  return t;
}

// The same ridge solved another way: the augmented design A = [X 1] and
// (A^T A / m + diag(l2, ..., l2, 0)) theta = A^T y / m, then R^2 on `eval`.
double augmented_ridge_r2(const data::Table& train, const std::vector<Eigen::Index>& rows, const data::Table& eval,
                          double l2) {
  const auto m = static_cast<Eigen::Index>(rows.size());
  const Eigen::Index d = train.x.cols();
  Eigen::MatrixXd a(m, d + 1);
  Eigen::VectorXd y(m);
  for (Eigen::Index r = 0; r < m; ++r) {
    a.row(r) << train.x.row(rows[static_cast<size_t>(r)]), 1.0;
    y(r) = train.target(rows[static_cast<size_t>(r)]);
  }
  Eigen::MatrixXd lhs = a.transpose() * a / static_cast<double>(m);
  lhs.diagonal().head(d).array() += l2;
  const Eigen::VectorXd theta = lhs.fullPivLu().solve(a.transpose() * y / static_cast<double>(m));
  double sse = 0, sst = 0;
  const double mean = eval.target.mean();
  for (Eigen::Index i = 0; i < eval.rows(); ++i) {
    const double prediction = eval.x.row(i).dot(theta.head(d)) + theta(d);
    sse += (eval.target(i) - prediction) * (eval.target(i) - prediction);
    sst += (eval.target(i) - mean) * (eval.target(i) - mean);
  }
  return 1.0 - sse / sst;
}

SelectionData regression_data(Eigen::Index n_train, const std::string& corruption = "none") {
  CommonParams c;
  c.n_train = n_train, c.n_valid = 30, c.n_test = 30, c.corruption = corruption, c.rate = 0.25, c.noise_scale = 3;
  return make_selection_data(linear_table(200, 3, 7), c, 7);
}

TEST(RegressionUtility, IsTheValidationR2OfRidgeSolvedByTheAugmentedNormalEquations) {
  const SelectionData data = regression_data(12);
  ASSERT_TRUE(data.regression());
  UtilityOptions o;
  o.l2 = 0.3;
  const Utility utility(data, o);
  const std::vector<Eigen::Index> subsets[] = {{0, 1, 2, 3, 4}, {11, 3, 7}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}};
  for (const auto& rows : subsets) {
    EXPECT_NEAR(utility(rows), augmented_ridge_r2(data.train, rows, data.valid, o.l2), 1e-12);
    EXPECT_NEAR(utility.test_accuracy(rows), augmented_ridge_r2(data.train, rows, data.test, o.l2), 1e-12);
  }
  EXPECT_EQ(utility({}), 0.0);  // R^2 of the validation mean
  // The targets are standardised by the training split, and a clean linear
  // signal is learned: the full fit explains most of the validation variance.
  EXPECT_NEAR(data.train.target.mean(), 0.0, 1e-12);
  EXPECT_GT(utility(subsets[2]), 0.8);
}

TEST(RegressionUtility, ClassifierCallsRefuseAndLooIsTheRefitDifference) {
  const SelectionData data = regression_data(8);
  const Utility utility(data, {});
  EXPECT_THROW(utility.fit({0, 1, 2}), MethodError);
  const auto loo = exact_loo_values(data, {});
  const auto u = subset_utilities(data, {});
  const unsigned full = (1u << 8) - 1;
  for (int i = 0; i < 8; ++i) EXPECT_DOUBLE_EQ(loo[static_cast<size_t>(i)], u[full] - u[full & ~(1u << i)]);
}

// R^2 on `eval` of the ridge utility's objective with row `i` weighted 1 - eps
// (weighted normal equations, solved independently of models::RidgeSystem).
double weighted_ridge_r2(const data::Table& train, Eigen::Index i, double eps, const data::Table& eval, double l2) {
  const Eigen::Index n = train.rows(), d = train.x.cols();
  Eigen::MatrixXd a(n, d + 1);
  a << train.x, Eigen::VectorXd::Ones(n);
  Eigen::VectorXd w = Eigen::VectorXd::Ones(n);
  w(i) = 1 - eps;
  Eigen::MatrixXd lhs = a.transpose() * w.asDiagonal() * a / static_cast<double>(n);
  lhs.diagonal().head(d).array() += l2;
  const Eigen::VectorXd theta =
      lhs.fullPivLu().solve(a.transpose() * w.asDiagonal() * train.target / static_cast<double>(n));
  const Eigen::VectorXd residual = eval.target - eval.x * theta.head(d) - Eigen::VectorXd::Constant(eval.rows(), theta(d));
  return 1.0 - residual.squaredNorm() / (eval.target.array() - eval.target.mean()).square().sum();
}

TEST(RegressionInfluence, IsTheDerivativeOfValidationR2InTheRowsWeight) {
  // value_i = d/d eps of U(weights with row i at 1 - eps) at eps = 0, the
  // influence of removing the row to first order (Koh & Liang): against a
  // central difference of weighted refits.
  const SelectionData data = regression_data(40, "target_noise");
  UtilityOptions o;
  o.l2 = 0.05;
  const Utility utility(data, o);
  ValuationContext ctx;
  ctx.data = &data;
  ctx.utility = &utility;
  const auto* entry = ValuerRegistry::instance().find("influence");
  ASSERT_NE(entry, nullptr);
  const Eigen::VectorXd values =
      entry->make(resolve_params(entry->info.params, {}, "influence"))->values(ctx);
  ASSERT_EQ(values.size(), 40);
  const double h = 1e-5;
  for (Eigen::Index i = 0; i < 40; ++i) {
    const double derivative = (weighted_ridge_r2(data.train, i, -h, data.valid, o.l2) -
                               weighted_ridge_r2(data.train, i, h, data.valid, o.l2)) / (2 * h);
    EXPECT_NEAR(values(i), derivative, 1e-7 + 1e-6 * std::abs(derivative)) << "row " << i;
  }
}

TEST(TargetNoise, ChangesExactlyTheMarkedTargetsAndNothingElse) {
  data::Table t = linear_table(40, 2, 3);
  const data::Table before = t;
  std::mt19937_64 rng(1);
  const auto mask = data::add_target_noise(t, 0.25, 2.0, rng);
  EXPECT_EQ(std::accumulate(mask.begin(), mask.end(), 0), 10);
  EXPECT_EQ(t.x, before.x);
  for (Eigen::Index i = 0; i < t.rows(); ++i) EXPECT_EQ(mask[static_cast<size_t>(i)] != 0, t.target(i) != before.target(i)) << i;
  data::Table classes;
  classes.x = Eigen::MatrixXd::Zero(4, 1);
  classes.y = Eigen::VectorXi::Zero(4);
  classes.num_classes = 2;
  EXPECT_THROW(data::add_target_noise(classes, 0.25, 1.0, rng), InputError);
}

std::unique_ptr<Suite> selection_suite() { return SuiteRegistry::instance().find("selection")->make(ParamSet{}); }

ParamSet dataset_params(const std::string& name, std::map<std::string, ParamValue> given) {
  for (auto& info : selection_suite()->datasets()) {
    if (info.name == name) return resolve_params(info.params, given, "dataset " + name);
  }
  throw InternalError("no dataset {}", name);
}

TEST(Diabetes, PlanningRefusesClassOptionsAndClassifierMethods) {
  const auto suite = selection_suite();
  EXPECT_THROW(suite->validate_dataset("diabetes", dataset_params("diabetes", {{"corruption", std::string("label_flip")}})),
               InputError);
  EXPECT_THROW(suite->validate_dataset("diabetes", dataset_params("diabetes", {{"corruption", std::string("target_noise")},
                                                                              {"lds_subsets", std::int64_t{10}}})),
               InputError);
  EXPECT_THROW(suite->validate_dataset("breast-cancer",
                                       dataset_params("breast-cancer", {{"corruption", std::string("target_noise")}})),
               InputError);
  EXPECT_NO_THROW(suite->validate_dataset(
      "diabetes", dataset_params("diabetes", {{"corruption", std::string("target_noise")}})));
  CellSpec cell;
  cell.suite = "selection";
  cell.dataset = "diabetes";
  cell.dataset_params = dataset_params("diabetes", {{"corruption", std::string("target_noise")}});
  cell.method = "knn-shapley";
  EXPECT_NE(suite->incompatibility(cell).find("regression"), std::string::npos);
  for (const std::string method : {"random", "loo", "tmc-shapley", "beta-shapley", "banzhaf-msr"}) {
    cell.method = method;
    EXPECT_EQ(suite->incompatibility(cell), "") << method;
  }
  cell.dataset = "breast-cancer";
  cell.dataset_params = dataset_params("breast-cancer", {});
  cell.method = "knn-shapley";
  EXPECT_EQ(suite->incompatibility(cell), "");
}

TEST(Diabetes, LooFindsTheNoisyTargetsAndEqualsItsGroundTruth) {
  const auto params = dataset_params("diabetes", {{"n_train", std::int64_t{80}}, {"n_valid", std::int64_t{150}},
                                                  {"n_test", std::int64_t{150}}, {"corruption", std::string("target_noise")},
                                                  {"rate", 0.1}, {"noise_scale", 10.0}});
  const auto prepared = prepare("diabetes", params, 3);
  ASSERT_TRUE(prepared->data.regression());
  EXPECT_TRUE(prepared->knn_shapley.empty());
  const CellOutput out =
      run_valuer(*prepared, "loo", resolve_params(ValuerRegistry::instance().find("loo")->info.params, {}, "loo"), 3);
  std::map<std::string, double> m(out.metrics.begin(), out.metrics.end());
  EXPECT_DOUBLE_EQ(m.at("loo_spearman"), 1.0);
  EXPECT_EQ(m.count("knn_shapley_spearman"), 0u);
  // Targets moved by 10 sd hurt the validation R^2 of any fit that keeps
  // them: exact LOO ranks them low.
  EXPECT_GT(m.at("noisy_auroc"), 0.9);
}

}  // namespace
}  // namespace sb::selection
