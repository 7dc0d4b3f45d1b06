// Regression unlearning on diabetes (real-valued targets) against
// independent computations: the ridge oracle by a QR solve of the augmented
// least-squares system, SISA's shards refitted here, kNN regression by hand,
// the MLP's squared-loss gradient by finite differences, the Blindspot
// network and the Gaussian targets recomputed here; and the suite's planning
// checks for regression tables.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "benchmarks/unlearning/metrics.h"
#include "benchmarks/unlearning/protocol.h"
#include "datasets/random.h"
#include "estimators/models/knn_votes.h"
#include "estimators/models/linear.h"
#include "estimators/models/sgd_mlp_regression.h"
#include "estimators/unlearning/gaussian_finetune.h"
#include "estimators/unlearning/impl/mlp_descent.h"
#include "estimators/unlearning/sisa.h"
#include "harness/core/errors.h"
#include "harness/core/suite.h"
#include "tests/benchmarks/unlearning/test_util.h"

namespace sb::unlearning {
namespace {

using test_util::Given;
using test_util::run_method;

ParamSet diabetes_params(const Given& given) { return test_util::dataset_params("diabetes", given); }

Given diabetes_given(const std::string& model, const std::string& forget = "random", double fraction = 0.1) {
  return {{"n_train", std::int64_t{300}}, {"n_test", std::int64_t{71}}, {"n_heldout", std::int64_t{71}},
          {"forget", forget},             {"fraction", fraction},       {"model", model},
          {"l2", 1e-3},                   {"requests", std::int64_t{3}}, {"mlp_hidden", std::int64_t{8}},
          {"mlp_epochs", std::int64_t{20}}, {"mlp_batch_size", std::int64_t{16}},
          {"mlp_learning_rate", 0.02},    {"noise_seeds", std::int64_t{0}}};
}

std::shared_ptr<const Prepared> diabetes(const std::string& model, const std::string& forget = "random",
                                         double fraction = 0.1) {
  return prepare("diabetes", diabetes_params(diabetes_given(model, forget, fraction)), 3);
}

// argmin (1/2)||Z theta - t||^2 + (lambda/2)||theta||^2 as the least-squares
// solution of [Z; sqrt(lambda) I] theta = [t; 0] by Householder QR (not the
// normal equations the suite solves).
Eigen::VectorXd ridge_by_qr(const Eigen::MatrixXd& z, const Eigen::VectorXd& t, double lambda) {
  const Eigen::Index n = z.rows(), p = z.cols();
  Eigen::MatrixXd a(n + p, p);
  a << z, std::sqrt(lambda) * Eigen::MatrixXd::Identity(p, p);
  Eigen::VectorXd b = Eigen::VectorXd::Zero(n + p);
  b.head(n) = t;
  return a.householderQr().solve(b);
}

double max_abs(const Eigen::MatrixXd& m) { return m.cwiseAbs().maxCoeff(); }

std::map<std::string, double> as_map(const std::vector<std::pair<std::string, double>>& v) {
  return {v.begin(), v.end()};
}

TEST(RegressionData, TargetsAreStandardisedAndLabelsAreRefused) {
  const auto p = diabetes("ridge");
  const UnlearningData& d = p->data;
  ASSERT_TRUE(d.regression());
  EXPECT_NEAR(d.train.target.mean(), 0.0, 1e-12);
  EXPECT_NEAR(std::sqrt((d.train.target.array() - d.train.target.mean()).square().mean()), 1.0, 1e-12);
  ASSERT_EQ(d.forget.size(), 30u);
  for (size_t i = 0; i < d.forget.size(); ++i)
    EXPECT_EQ(d.forget_t(static_cast<Eigen::Index>(i)), d.train.target(d.forget[i]));
  EXPECT_EQ(d.retain_t.size() + d.forget_t.size(), d.train.target.size());
  EXPECT_EQ(d.retain_y.maxCoeff(), -1);  // no class to read: a classification loss throws
  EXPECT_THROW(models::linear_objective(p->model, d.retain_z, d.retain_y, p->oracle, nullptr), InputError);
}

TEST(RegressionOracle, IsRidgeOnTheRetainTargets) {
  const auto p = diabetes("ridge");
  const Eigen::VectorXd oracle = ridge_by_qr(p->data.retain_z, p->data.retain_t, p->model.lambda);
  ASSERT_EQ(p->oracle.cols(), 1);
  EXPECT_LT(max_abs(p->oracle.col(0) - oracle), 1e-10);
  EXPECT_LT(max_abs(p->original.col(0) - ridge_by_qr(p->data.train_z, p->data.train.target, p->model.lambda)), 1e-10);
  EXPECT_GT(max_abs(p->original - p->oracle), 1e-3);
}

TEST(RegressionExact, ClosedFormAndNewtonRemovalEqualRetrainingTo1e10) {
  const auto p = diabetes("ridge");
  for (const char* method : {"retrain", "ridge-exact", "newton-removal"}) {
    SCOPED_TRACE(method);
    EXPECT_LT(max_abs(run_method(*p, method).thetas.at(0) - p->oracle), 1e-10);
  }
  // One influence step uses the full-data Hessian: first-order accurate, not exact.
  const double influence = max_abs(run_method(*p, "influence-unlearning").thetas.at(0) - p->oracle);
  EXPECT_GT(influence, 1e-8);
  EXPECT_LT(influence, 0.2 * max_abs(p->original - p->oracle));
}

TEST(RegressionExact, SuccessiveRequestsStayOnEachRequestsOracle) {
  const auto p = diabetes("ridge", "sequential");
  ASSERT_EQ(p->data.requests.size(), 3u);
  for (const char* method : {"ridge-exact", "newton-removal", "retrain"}) {
    SCOPED_TRACE(method);
    const auto metrics = as_map(run_unlearner(*p, method, resolve_params(UnlearnerRegistry::instance().find(method)
                                                                             ->info.params, {}, method), 5)
                                    .metrics);
    for (int j = 1; j <= 3; ++j) {
      EXPECT_LT(metrics.at(fmt::format("param_rel_l2/request_{}", j)), 1e-9) << j;
      EXPECT_LT(metrics.at(fmt::format("gap_test/request_{}", j)), 1e-9) << j;
    }
  }
}

TEST(RegressionSisa, RetrainsTheAffectedShardsOnTheirTargets) {
  const auto p = diabetes("ridge", "random", 0.01);
  const auto out = run_method(*p, "sisa", {{"shards", std::int64_t{4}}});
  const auto shards = sisa_shards(300, 4, 11);
  ASSERT_EQ(out.thetas.size(), 4u);
  for (size_t s = 0; s < shards.size(); ++s) {
    std::vector<Eigen::Index> kept;
    for (auto i : shards[s])
      if (!std::binary_search(p->data.forget.begin(), p->data.forget.end(), i)) kept.push_back(i);
    const double lambda = p->model.lambda * static_cast<double>(shards[s].size()) / 300.0;
    const Eigen::VectorXd expected =
        ridge_by_qr(models::select_rows(p->data.train_z, kept), models::select_rows(p->data.train.target, kept), lambda);
    EXPECT_LT(max_abs(out.thetas[s].col(0) - expected), 1e-10) << s;
  }
}

TEST(RegressionKnn, PredictsTheNeighboursMeanTargetAndDeletionIsRetraining) {
  Eigen::MatrixXd points(4, 1), queries(2, 1);
  points << 0, 1, 3, 10;
  queries << 0.9, 9;
  const Eigen::VectorXd targets = (Eigen::VectorXd(4) << 2, 4, 8, 100).finished();
  // k = 2: query 0.9 -> rows 1 (0.1) and 0 (0.9): (4 + 2) / 2; query 9 -> rows 3, 2: (100 + 8) / 2.
  const Eigen::VectorXd predicted = models::knn_mean_targets(points, targets, {0, 1, 2, 3}, queries, 2);
  EXPECT_DOUBLE_EQ(predicted(0), 3.0);
  EXPECT_DOUBLE_EQ(predicted(1), 54.0);
  EXPECT_DOUBLE_EQ(models::knn_mean_targets(points, targets, {0, 2, 3}, queries, 2)(0), 5.0);  // row 1 deleted

  const auto p = diabetes("knn");
  const auto metrics = as_map(grade(*p, run_method(*p, "knn-deletion")));
  for (const char* name : {"gap_forget", "gap_retain", "gap_test", "gap_mia", "kl_test"}) EXPECT_EQ(metrics.at(name), 0.0);
}

TEST(RegressionGrade, MeanSquaredErrorsAndTheirGapsToTheOracle) {
  EXPECT_DOUBLE_EQ(mean_squared_error((Eigen::VectorXd(3) << 1, 2, 4).finished(),
                                      (Eigen::VectorXd(3) << 1, 0, 1).finished()),
                   13.0 / 3.0);  // (0 + 4 + 9) / 3
  EXPECT_TRUE(std::isnan(mean_squared_error(Eigen::VectorXd(0), Eigen::VectorXd(0))));
  const auto p = diabetes("ridge");
  const auto oracle = as_map(grade(*p, {{p->oracle}, {}}));
  const auto original = as_map(grade(*p, {{p->original}, {}}));
  EXPECT_EQ(oracle.count("acc_test"), 0u);
  EXPECT_EQ(oracle.count("mia_efficacy"), 0u);  // entropies of class distributions: none here
  const Eigen::VectorXd test_error = p->data.test_z * p->oracle.col(0) - p->data.test.target;
  EXPECT_NEAR(oracle.at("mse_test"), test_error.squaredNorm() / 71.0, 1e-12);
  for (const char* name : {"gap_forget", "gap_retain", "gap_test", "gap_mia", "avg_gap", "param_rel_l2", "kl_test"})
    EXPECT_EQ(oracle.at(name), 0.0) << name;
  EXPECT_LT(oracle.at("grad_residual"), 1e-8);
  EXPECT_NEAR(original.at("gap_forget"), std::abs(original.at("mse_forget") - oracle.at("mse_forget")), 1e-15);
  EXPECT_LT(original.at("mse_forget"), oracle.at("mse_forget"));  // the original fitted the forget rows
}

TEST(RegressionMlp, SquaredLossGradientMatchesFiniteDifferencesAndTrainingFits) {
  const models::SgdMlpShape shape{3, 4, 2, 1};
  std::mt19937_64 rng(5);
  Eigen::MatrixXd x(6, 3);
  Eigen::VectorXd t(6);
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = data::standard_normal(rng);
  for (Eigen::Index i = 0; i < t.size(); ++i) t(i) = data::standard_normal(rng);
  const Eigen::VectorXd theta = models::sgd_mlp_init(shape, 2);
  Eigen::VectorXd g;
  models::sgd_mlp_squared_objective(shape, theta, x, t, 0.1, &g);
  auto f = [&](const Eigen::VectorXd& th) {  // by hand: the outputs' mean half squared error + penalty
    return 0.5 * (models::sgd_mlp_outputs(shape, th, x) - t).squaredNorm() / 6.0 + 0.05 * th.squaredNorm();
  };
  for (Eigen::Index i = 0; i < theta.size(); ++i) {
    Eigen::VectorXd up = theta, down = theta;
    up(i) += 1e-6, down(i) -= 1e-6;
    EXPECT_NEAR(g(i), (f(up) - f(down)) / 2e-6, 1e-7) << i;
  }
  Eigen::VectorXd unpenalised;
  models::sgd_mlp_squared_objective(shape, theta, x, t, 0.0, &unpenalised);
  EXPECT_LT(max_abs(mlp_squared_error_gradient(shape, theta, x, t) - unpenalised), 1e-15);

  const auto p = diabetes("mlp");
  const Eigen::MatrixXd xt = mlp_inputs(p->data.train_z);
  const double fitted = models::sgd_mlp_squared_objective(p->base.mlp_shape, p->original.col(0), xt,
                                                          p->data.train.target, 0.0, nullptr);
  const double initial = models::sgd_mlp_squared_objective(p->base.mlp_shape, models::sgd_mlp_init(p->base.mlp_shape,
                                                                                                   mlp_seed(3)),
                                                           xt, p->data.train.target, 0.0, nullptr);
  EXPECT_LT(fitted, 0.5 * initial);
  EXPECT_LT(fitted, 0.5 * 0.7);  // training MSE below 0.7 of the target variance (diabetes: R^2 about 0.5)
}

// `steps` full-batch gradient steps on the retain rows' mean half squared error from the original.
Eigen::VectorXd retain_gradient_descent(const Prepared& p, int steps, double lr) {
  Eigen::VectorXd theta = p.original.col(0);
  for (int s = 0; s < steps; ++s) theta -= lr * mlp_squared_error_gradient(p.base.mlp_shape, theta,
                                                                            mlp_inputs(p.data.retain_z), p.data.retain_t);
  return theta;
}

TEST(RegressionMlp, BlindspotAndGaussianFinetuneAreRetainDescentPlusTheirForgetTerms) {
  const auto p = diabetes("mlp");
  const Given full_batch = {{"epochs", std::int64_t{3}}, {"batch_size", std::int64_t{100000}},
                            {"learning_rate", 0.05}};
  const Eigen::VectorXd expected = retain_gradient_descent(*p, 3, 0.05);
  ASSERT_GT((expected - p->original.col(0)).norm(), 1e-6);
  Given blind = full_batch, gauss = full_batch;
  blind["forget_weight"] = 0.0, blind["activation_weight"] = 0.0, gauss["forget_weight"] = 0.0;
  EXPECT_LT(max_abs(run_method(*p, "blindspot", blind).thetas.at(0).col(0) - expected), 1e-10);
  EXPECT_LT(max_abs(run_method(*p, "gaussian-finetune", gauss).thetas.at(0).col(0) - expected), 1e-10);

  // Their forget terms pull the forget outputs to what the paper names: the
  // blindspot network's outputs (refitted here) and the drawn Gaussian outputs (redrawn here).
  const auto& shape = p->base.mlp_shape;
  const Eigen::MatrixXd xr = mlp_inputs(p->data.retain_z), xf = mlp_inputs(p->data.forget_z);
  models::SgdMlpOptions o = p->base.mlp_options;
  o.epochs = 2;
  const Eigen::VectorXd blind_net =
      models::sgd_mlp_train_regression(shape, xr, p->data.retain_t, o, derive_seed(11, "blindspot"));
  const Eigen::VectorXd blind_outputs = models::sgd_mlp_outputs(shape, blind_net, xf);
  std::mt19937_64 rng(derive_seed(11, "gaussian-targets"));
  const Eigen::VectorXd drawn =
      gaussian_logit_targets(models::sgd_mlp_forward(shape, p->original.col(0), xr).logits, xf.rows(), rng).col(0);
  auto distance = [&](const UnlearnedModel& m, const Eigen::VectorXd& target) {
    return (models::sgd_mlp_outputs(shape, m.thetas.at(0).col(0), xf) - target).norm();
  };
  const UnlearnedModel original{{p->original}, {}};
  const Given strong = {{"epochs", std::int64_t{30}}, {"forget_weight", 5.0}, {"learning_rate", 0.01}};
  Given strong_blind = strong;
  strong_blind["activation_weight"] = 0.0;
  EXPECT_LT(distance(run_method(*p, "blindspot", strong_blind), blind_outputs),
            0.5 * distance(original, blind_outputs));
  EXPECT_LT(distance(run_method(*p, "gaussian-finetune", strong), drawn), 0.5 * distance(original, drawn));

  // Neither reads the forget targets: hidden (NaN) targets change nothing.
  const UnlearningData hidden = without_forget_labels(p->data);
  ASSERT_TRUE(std::isnan(hidden.forget_t(0)));
  for (const char* method : {"blindspot", "gaussian-finetune"})
    EXPECT_EQ(run_method(*p, method, {}, &hidden).thetas.at(0), run_method(*p, method).thetas.at(0)) << method;
}

TEST(RegressionSuite, PlanningRefusesClassificationSettingsAndMethods) {
  const auto suite = SuiteRegistry::instance().find("unlearning")->make(ParamSet{});
  auto given = diabetes_given("ridge");
  EXPECT_NO_THROW(suite->validate_dataset("diabetes", diabetes_params(given)));
  given["model"] = std::string("logistic");
  EXPECT_THROW(suite->validate_dataset("diabetes", diabetes_params(given)), InputError);
  given = diabetes_given("ridge", "class");
  EXPECT_THROW(suite->validate_dataset("diabetes", diabetes_params(given)), InputError);
  EXPECT_THROW(prepare("diabetes", diabetes_params(given), 1), InputError);

  const auto params = diabetes_params(diabetes_given("ridge"));
  int regression_methods = 0;
  for (const auto& info : UnlearnerRegistry::instance().infos()) {
    const auto method = UnlearnerRegistry::instance().find(info.name)->make(resolve_params(info.params, {}, info.name));
    CellSpec cell{"unlearning", "diabetes", params, info.name, resolve_params(info.params, {}, info.name), 1, {}};
    const std::string why = suite->incompatibility(cell);
    if (!method->regression()) {
      EXPECT_NE(why.find("regression table"), std::string::npos) << info.name;
      continue;
    }
    ++regression_methods;
    if (!why.empty()) continue;  // another base (knn-deletion, the MLP methods)
    // Every regression method on the ridge base runs and reports the regression metrics.
    const auto metrics = as_map(run_unlearner(*diabetes("ridge"), info.name, cell.method_params, 1).metrics);
    EXPECT_TRUE(metrics.count("mse_test") && std::isfinite(metrics.at("avg_gap"))) << info.name;
  }
  EXPECT_GE(regression_methods, 11);
}

}  // namespace
}  // namespace sb::unlearning
