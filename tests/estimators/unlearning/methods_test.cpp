// Each unlearning method against something independent: retraining
// (closed forms, exact refits), Newton's residual bound, finite
// differences, hand-derived special cases.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "benchmarks/unlearning/protocol.h"
#include "estimators/models/linear.h"
#include "estimators/unlearning/amnesiac.h"
#include "estimators/unlearning/fisher.h"
#include "estimators/unlearning/impl/descent.h"
#include "estimators/unlearning/salun.h"
#include "estimators/unlearning/sisa.h"
#include "harness/core/suite.h"
#include "tests/benchmarks/unlearning/test_util.h"

namespace sb::unlearning {
namespace {

using test_util::dataset_params;

std::shared_ptr<const Prepared> replication(const std::string& model, const std::string& forget = "random",
                                            double fraction = 0.05, std::uint64_t seed = 3) {
  return prepare("gaussian-classifier",
                 dataset_params("gaussian-classifier",
                                {{"n", std::int64_t{500}}, {"d", std::int64_t{5}}, {"classes", std::int64_t{3}},
                                 {"n_train", std::int64_t{300}}, {"n_test", std::int64_t{100}},
                                 {"n_heldout", std::int64_t{100}}, {"forget", forget}, {"fraction", fraction},
                                 {"model", model}, {"l2", 1e-2}}),
                 seed);
}

UnlearnedModel run(const Prepared& p, const std::string& method, const test_util::Given& given = {},
                   std::uint64_t seed = 1) {
  return test_util::run_method(p, method, given, nullptr, seed);
}

double max_abs(const Eigen::MatrixXd& m) { return m.cwiseAbs().maxCoeff(); }

TEST(RidgeExact, EqualsRetrainingTo1e10) {
  for (const char* forget : {"random", "class", "mislabeled"}) {
    SCOPED_TRACE(forget);
    const auto p = replication("ridge", forget, 0.1);
    // The oracle by the normal equations of the retain rows, independently of fit_linear.
    Eigen::MatrixXd y = Eigen::MatrixXd::Zero(p->data.retain_z.rows(), 3);
    for (Eigen::Index i = 0; i < y.rows(); ++i) y(i, p->data.retain_y(i)) = 1;
    Eigen::MatrixXd a = p->data.retain_z.transpose() * p->data.retain_z;
    a.diagonal().array() += p->model.lambda;
    const Eigen::MatrixXd oracle = a.ldlt().solve(p->data.retain_z.transpose() * y);
    EXPECT_LT(max_abs(run(*p, "ridge-exact").thetas.at(0) - oracle), 1e-10);
    EXPECT_GT(max_abs(p->original - oracle), 1e-3);  // the removal did something
  }
}

TEST(Sisa, RetrainsExactlyTheAffectedShards) {
  const auto p = replication("logistic", "random", 0.01);  // 3 forget rows: at most 3 of 5 shards
  const auto out = run(*p, "sisa", {{"shards", std::int64_t{5}}}, 9);
  const auto shards = sisa_shards(300, 5, 9);
  ASSERT_EQ(out.thetas.size(), 5u);
  int affected = 0;
  for (size_t s = 0; s < shards.size(); ++s) {
    std::vector<Eigen::Index> kept;
    for (auto i : shards[s])
      if (!std::binary_search(p->data.forget.begin(), p->data.forget.end(), i)) kept.push_back(i);
    affected += kept.size() != shards[s].size();
    models::PenalizedLinear model = p->model;
    model.lambda *= static_cast<double>(shards[s].size()) / 300.0;
    const Eigen::MatrixXd refit = models::fit_linear(model, models::select_rows(p->data.train_z, kept),
                                                     select_labels(p->data.train.y, kept), 3);
    EXPECT_EQ(out.thetas[s], refit) << "shard " << s;  // bit for bit: the same fit of the same rows
  }
  EXPECT_GE(affected, 1);
  EXPECT_EQ(out.diagnostics.at(0).second, affected);
  // One shard: SISA is retraining.
  EXPECT_EQ(run(*p, "sisa", {{"shards", std::int64_t{1}}}).thetas.at(0), p->oracle);
  // The shards partition the rows.
  std::vector<Eigen::Index> all;
  for (const auto& s : shards) all.insert(all.end(), s.begin(), s.end());
  std::sort(all.begin(), all.end());
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i], static_cast<Eigen::Index>(i));
}

TEST(NewtonRemoval, ExactForLeastSquares) {
  const auto p = replication("ridge", "random", 0.1);
  const auto out = run(*p, "newton-removal");
  EXPECT_LT(max_abs(out.thetas.at(0) - p->oracle), 1e-10);
}

TEST(NewtonRemoval, WithinNewtonsResidualBoundForLogistic) {
  const auto p = replication("logistic", "random", 0.05);
  const Eigen::MatrixXd theta = run(*p, "newton-removal").thetas.at(0);
  Eigen::MatrixXd before, after;
  models::linear_objective(p->model, p->data.retain_z, p->data.retain_y, p->original, &before);
  models::linear_objective(p->model, p->data.retain_z, p->data.retain_y, theta, &after);
  // The Hessian of sum_i loss_i is Lipschitz with gamma = 2 sum_i ||z_i||^3 (third derivative of
  // log-sum-exp along u, w bounded by 2 ||u||^2 ||w||), so a Newton step s leaves ||grad|| <= gamma/2 ||s||^2.
  double gamma = 0;
  for (Eigen::Index i = 0; i < p->data.retain_z.rows(); ++i) gamma += 2 * std::pow(p->data.retain_z.row(i).norm(), 3);
  const double step = (theta - p->original).norm();
  EXPECT_LE(after.norm(), gamma / 2 * step * step);
  EXPECT_LT(after.norm(), 0.05 * before.norm());  // second order: far below the first-order residual
  // Strong convexity (lambda): the distance to the oracle is at most residual / lambda.
  EXPECT_LE((theta - p->oracle).norm(), after.norm() / p->model.lambda + 1e-9);
}

TEST(NewtonRemoval, RetrainsWhenTheCertificateBudgetIsSpent) {
  const auto p = replication("logistic", "class");
  // A tiny budget (epsilon): retrain, and the retrained model is stationary for the perturbed objective.
  const auto tight = run(*p, "newton-removal", {{"sigma", 0.1}, {"epsilon", 1e-6}});
  std::map<std::string, double> d(tight.diagnostics.begin(), tight.diagnostics.end());
  EXPECT_EQ(d.at("retrained"), 1.0);
  EXPECT_GT(d.at("budget_used"), 1.0);
  // A large one: no retrain.
  const auto loose = run(*p, "newton-removal", {{"sigma", 10.0}, {"epsilon", 1e3}});
  std::map<std::string, double> e(loose.diagnostics.begin(), loose.diagnostics.end());
  EXPECT_EQ(e.at("retrained"), 0.0);
  EXPECT_LE(e.at("budget_used"), 1.0);
  // The epsilon spent: without a retrain, the certificate's epsilon scaled by the share of the budget used;
  // after the retrain, the refit's residual certifies far less than the budget the Newton step overran.
  EXPECT_NEAR(e.at("epsilon_spent"), 1e3 * e.at("budget_used"), 1e-9 * e.at("epsilon_spent"));
  EXPECT_GT(e.at("epsilon_spent"), 0.0);
  EXPECT_LT(d.at("epsilon_spent"), 1e-6 * d.at("budget_used"));
  // Theorem 3 by hand: residual r = budget_used * sigma * epsilon / c, epsilon spent = r c / sigma, c^2 = 2 log(1.5/delta).
  const auto half = run(*p, "newton-removal", {{"sigma", 5.0}, {"epsilon", 1e3}, {"delta", 1e-3}});
  std::map<std::string, double> h(half.diagnostics.begin(), half.diagnostics.end());
  const double c = std::sqrt(2 * std::log(1.5 / 1e-3));
  const double residual = h.at("budget_used") * 5.0 * 1e3 / c;
  EXPECT_NEAR(h.at("epsilon_spent"), residual * c / 5.0, 1e-9 * h.at("epsilon_spent"));
}

TEST(InfluenceUnlearning, IsTheFullHessianStepAndFirstOrderAccurate) {
  const auto r = replication("ridge", "random", 0.05);
  // Ridge: theta + A^{-1} Z_F^T (Z_F theta - Y_F), A = Z^T Z + lambda I over all training rows.
  Eigen::MatrixXd a = r->data.train_z.transpose() * r->data.train_z;
  a.diagonal().array() += r->model.lambda;
  Eigen::MatrixXd residual = r->data.forget_z * r->original;
  for (Eigen::Index i = 0; i < residual.rows(); ++i) residual(i, r->data.forget_y(i)) -= 1;
  const Eigen::MatrixXd expected = r->original + a.ldlt().solve(r->data.forget_z.transpose() * residual);
  EXPECT_LT(max_abs(run(*r, "influence-unlearning").thetas.at(0) - expected), 1e-10);
  const auto p = replication("logistic", "random", 0.02);
  const Eigen::MatrixXd theta = run(*p, "influence-unlearning").thetas.at(0);
  EXPECT_LT((theta - p->oracle).norm(), 0.1 * (p->original - p->oracle).norm());
}

TEST(Finetune, FullBatchToConvergenceReachesTheOracle) {
  const auto p = replication("logistic", "class");
  const Eigen::MatrixXd theta =
      run(*p, "finetune", {{"epochs", std::int64_t{3000}}, {"learning_rate", 1.0}, {"batch_size", std::int64_t{100000}}})
          .thetas.at(0);
  EXPECT_LT(max_abs(theta - p->oracle), 1e-6);
  EXPECT_EQ(run(*p, "finetune", {{"learning_rate", 0.0}}).thetas.at(0), p->original);
}

TEST(GradientAscent, OneFullBatchStepFollowsTheFiniteDifferenceGradient) {
  const auto p = replication("logistic", "random", 0.05);
  const double lr = 0.01;
  const Eigen::MatrixXd theta = run(*p, "gradient-ascent", {{"epochs", std::int64_t{1}}, {"learning_rate", lr},
                                                           {"batch_size", std::int64_t{100000}}})
                                    .thetas.at(0);
  const auto mean_loss = [&](const Eigen::MatrixXd& t) {
    return models::example_losses(p->model, p->data.forget_z, p->data.forget_y, t).mean();
  };
  Eigen::MatrixXd numeric(p->original.rows(), p->original.cols());
  for (Eigen::Index j = 0; j < numeric.size(); ++j) {
    Eigen::MatrixXd up = p->original, down = p->original;
    up.data()[j] += 1e-6, down.data()[j] -= 1e-6;
    numeric.data()[j] = (mean_loss(up) - mean_loss(down)) / 2e-6;
  }
  EXPECT_LT(max_abs(theta - (p->original + lr * numeric)), 1e-8);
  EXPECT_GT(mean_loss(theta), mean_loss(p->original));
}

TEST(NegGradPlus, EndpointsAreFinetuneAndGradientAscent) {
  const auto p = replication("logistic", "random", 0.1);
  const std::map<std::string, ParamValue> o = {{"epochs", std::int64_t{2}}, {"learning_rate", 0.05},
                                               {"batch_size", std::int64_t{32}}};
  auto with_alpha = o;
  with_alpha["alpha"] = 1.0;
  EXPECT_EQ(run(*p, "neggrad-plus", with_alpha).thetas.at(0), run(*p, "finetune", o).thetas.at(0));
  with_alpha["alpha"] = 0.0;
  EXPECT_EQ(run(*p, "neggrad-plus", with_alpha).thetas.at(0), run(*p, "gradient-ascent", o).thetas.at(0));
}

TEST(RandomLabels, FinetunesOnRetainPlusRelabelledForgetRows) {
  const auto p = replication("logistic", "random", 0.1);
  // Full batch, one step: theta - lr * [mean grad over retain + relabelled forget + (lambda / n) theta].
  const auto out = run(*p, "random-labels", {{"epochs", std::int64_t{1}}, {"learning_rate", 0.5},
                                             {"batch_size", std::int64_t{100000}}});
  const Eigen::MatrixXd step = (p->original - out.thetas.at(0)) / 0.5;
  Eigen::MatrixXd g_retain, g_forget;
  models::linear_objective(p->model, p->data.retain_z, p->data.retain_y, p->original, &g_retain, false);
  models::linear_objective(p->model, p->data.forget_z, p->data.forget_y, p->original, &g_forget, false);
  const double n = static_cast<double>(p->data.train_z.rows());
  // With the true labels the step would be (g_retain + g_forget) / n + ...; random labels differ from it.
  const Eigen::MatrixXd true_label_step = (g_retain + g_forget) / n + p->model.lambda / n * p->original;
  EXPECT_GT(max_abs(step - true_label_step), 1e-3);
  // The difference is explained by the forget rows' labels alone: gradient w.r.t. the
  // intercept row of class c changes by (#rows relabelled away from c - #relabelled to c) / n.
  const Eigen::RowVectorXd intercept_shift = (step - true_label_step).row(step.rows() - 1) * n;
  EXPECT_NEAR(intercept_shift.sum(), 0.0, 1e-9);
  for (Eigen::Index c = 0; c < 3; ++c) EXPECT_NEAR(intercept_shift(c), std::round(intercept_shift(c)), 1e-9);
}

TEST(Fisher, DiagonalIsTheExpectedSquaredScoreAndNoiseHasItsVariance) {
  const auto p = replication("logistic", "random", 0.1);
  const Eigen::MatrixXd f = fisher_diagonal(p->model, p->data.retain_z, p->original);
  // Brute force: sum_i sum_yhat p(yhat) (d log p(yhat) / d theta_jc)^2, d/d theta_jc = z_ij (1[yhat = c] - p_c).
  const Eigen::MatrixXd prob = models::linear_predictions(p->model, p->data.retain_z, p->original);
  Eigen::MatrixXd brute = Eigen::MatrixXd::Zero(f.rows(), f.cols());
  for (Eigen::Index i = 0; i < prob.rows(); ++i)
    for (Eigen::Index yhat = 0; yhat < 3; ++yhat)
      for (Eigen::Index j = 0; j < f.rows(); ++j)
        for (Eigen::Index c = 0; c < 3; ++c) {
          const double score = p->data.retain_z(i, j) * ((yhat == c) - prob(i, c));
          brute(j, c) += prob(i, yhat) * score * score;
        }
  EXPECT_LT(max_abs(f - brute), 1e-9);
  // The noise: (theta - original)^2 * precision / alpha averages to 1 over coordinates and seeds.
  double total = 0;
  int count = 0;
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    const Eigen::MatrixXd d = run(*p, "fisher", {{"alpha", 0.5}}, seed).thetas.at(0) - p->original;
    total += (d.array().square() * (f.array() + p->model.lambda) / 0.5).sum();
    count += static_cast<int>(d.size());
  }
  EXPECT_NEAR(total / count, 1.0, 0.05);  // sd of the mean of 3600 chi2(1)/1: 0.024
}

TEST(Salun, MasksTheMostSalientParametersAndIsRandomLabelsOnThem) {
  Eigen::MatrixXd g(2, 2);
  g << 3, -1, 0.5, -4;
  Eigen::MatrixXd expected(2, 2);
  expected << 1, 0, 0, 1;
  EXPECT_EQ(saliency_mask(g, 0.5), expected);
  EXPECT_EQ(saliency_mask(g, 0.3), expected);  // ceil(0.3 * 4) = 2 entries
  EXPECT_EQ(saliency_mask(g, 0.25), (Eigen::MatrixXd(2, 2) << 0, 0, 0, 1).finished());
  const auto p = replication("logistic", "random", 0.1);
  const std::map<std::string, ParamValue> o = {{"epochs", std::int64_t{2}}, {"learning_rate", 0.1}};
  auto all = o;
  all["share"] = 1.0;
  EXPECT_EQ(run(*p, "salun", all).thetas.at(0), run(*p, "random-labels", o).thetas.at(0));
  auto half = o;
  half["share"] = 0.5;
  const Eigen::MatrixXd theta = run(*p, "salun", half).thetas.at(0);
  Eigen::MatrixXd forget_gradient;
  models::linear_objective(p->model, p->data.forget_z, p->data.forget_y, p->original, &forget_gradient, false);
  const Eigen::MatrixXd mask = saliency_mask(forget_gradient, 0.5);
  EXPECT_EQ(mask.sum(), std::ceil(0.5 * static_cast<double>(mask.size())));
  for (Eigen::Index j = 0; j < mask.size(); ++j) {
    if (mask.data()[j] == 0) {
      EXPECT_EQ(theta.data()[j], p->original.data()[j]);
    }
    else EXPECT_NE(theta.data()[j], p->original.data()[j]);
  }
}

TEST(Scrub, WithoutTheLossTheStudentStaysTheTeacherAndWithItAloneReachesTheOracle) {
  const auto p = replication("logistic", "class");
  EXPECT_EQ(run(*p, "scrub", {{"gamma", 0.0}}).thetas.at(0), p->original);
  const Eigen::MatrixXd theta = run(*p, "scrub", {{"alpha", 0.0}, {"max_epochs", std::int64_t{0}},
                                                 {"epochs", std::int64_t{3000}}, {"learning_rate", 1.0},
                                                 {"batch_size", std::int64_t{100000}}})
                                    .thetas.at(0);
  EXPECT_LT(max_abs(theta - p->oracle), 1e-6);
  // Max steps on the forget rows then move the student away from the teacher there.
  const auto scrubbed = run(*p, "scrub", {{"max_epochs", std::int64_t{5}}});
  const auto finetuned = run(*p, "scrub", {{"max_epochs", std::int64_t{0}}});
  const auto forget_loss = [&](const Eigen::MatrixXd& t) {
    return models::example_losses(p->model, p->data.forget_z, p->data.forget_y, t).mean();
  };
  EXPECT_GT(forget_loss(scrubbed.thetas.at(0)), forget_loss(finetuned.thetas.at(0)));
}

TEST(Amnesiac, SubtractingEveryUpdateReturnsToZero) {
  const auto p = replication("logistic", "random", 0.05);
  // One full batch per epoch: every step held a forget row, so every update is subtracted.
  const Eigen::MatrixXd theta = run(*p, "amnesiac", {{"epochs", std::int64_t{3}}, {"batch_size", std::int64_t{100000}},
                                                    {"repair_epochs", std::int64_t{0}}})
                                    .thetas.at(0);
  EXPECT_LT(max_abs(theta), 1e-12);
}

TEST(Amnesiac, ApproximatesSgdThatSkipsTheForgetRows) {
  // Subtracting a stored update ignores how later steps contracted its effect
  // (the factors I - lr z z^T), so amnesiac is exact to first order in lr:
  // with a small step it lands far closer to the skipping run than the full model is.
  const auto p = replication("ridge", "random", 0.05);
  const double lr = 1e-5;
  const std::uint64_t seed = 4;
  // Independent trajectories over the same schedule: all rows, and the forget rows' steps skipped.
  const auto batches = amnesiac_batches(300, 1, 1, seed);
  Eigen::MatrixXd all = Eigen::MatrixXd::Zero(p->original.rows(), 3), skipped = all;
  for (const auto& rows : batches) {
    const Eigen::MatrixXd z = models::select_rows(p->data.train_z, rows);
    const Eigen::VectorXi y = select_labels(p->data.train.y, rows);
    Eigen::MatrixXd g;
    models::linear_objective(p->model, z, y, all, &g, false);
    all -= lr * (g + p->model.lambda / 300 * all);
    if (std::binary_search(p->data.forget.begin(), p->data.forget.end(), rows[0])) continue;
    models::linear_objective(p->model, z, y, skipped, &g, false);
    skipped -= lr * (g + p->model.lambda / 300 * skipped);
  }
  const Eigen::MatrixXd theta = run(*p, "amnesiac", {{"epochs", std::int64_t{1}}, {"batch_size", std::int64_t{1}},
                                                    {"learning_rate", lr}, {"repair_epochs", std::int64_t{0}}},
                                    seed)
                                    .thetas.at(0);
  EXPECT_GT((all - skipped).norm(), 0.0);
  EXPECT_LT((theta - skipped).norm(), 0.01 * (all - skipped).norm());
}

}  // namespace
}  // namespace sb::unlearning
