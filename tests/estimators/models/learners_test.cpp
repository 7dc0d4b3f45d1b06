// estimators/models/: logistic (KKT, derivatives by finite differences),
// ridge (normal equations, leave-one-out by refitting), kNN utility by hand.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "estimators/models/kmeans.h"
#include "estimators/models/knn.h"
#include "estimators/models/linear.h"
#include "estimators/models/logistic_classifier.h"
#include "estimators/models/ridge.h"
#include "estimators/models/sinkhorn.h"
#include "estimators/models/softmax_sgd.h"
#include "harness/core/errors.h"

namespace sb::models {
namespace {

Eigen::MatrixXd gaussian(Eigen::Index r, Eigen::Index c, std::mt19937_64& rng) {
  std::normal_distribution<double> n;
  Eigen::MatrixXd m(r, c);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = n(rng);
  return m;
}

Eigen::VectorXi labels_of(const Eigen::MatrixXd& x, int classes) {
  Eigen::VectorXi y(x.rows());
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    y(i) = static_cast<int>(std::floor((x(i, 0) + x(i, 1) > 0 ? 1 : 0) + (x(i, 0) > 1 ? 1 : 0))) % classes;
  }
  return y;
}

TEST(LogisticClassifier, SolvesTheStationaryConditionsToTolerance) {
  std::mt19937_64 rng(1);
  const Eigen::MatrixXd x = gaussian(80, 3, rng);
  const Eigen::VectorXi y = labels_of(x, 3);
  SoftmaxRegressionOptions o;
  o.l2 = 0.05;
  o.gradient_tolerance = 1e-9;
  const auto model = fit_logistic(x, y, 3, o);
  Eigen::MatrixXd gw;
  Eigen::VectorXd gb;
  softmax_objective(x, y, model.weight, model.bias, 0.05, &gw, &gb);
  EXPECT_LT(gw.cwiseAbs().maxCoeff(), 1e-7);
  EXPECT_LT(gb.cwiseAbs().maxCoeff(), 1e-7);
  EXPECT_TRUE(model.converged);
  // Training accuracy, written out.
  const Eigen::MatrixXd z = (x * model.weight.transpose()).rowwise() + model.bias.transpose();
  int correct = 0;
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    Eigen::Index c;
    z.row(i).maxCoeff(&c);
    correct += c == y(i);
  }
  EXPECT_DOUBLE_EQ(model.accuracy(x, y), correct / 80.0);
}

TEST(LogisticClassifier, AbsentClassesAreNeverPredictedAndOneClassIsConstant) {
  std::mt19937_64 rng(2);
  const Eigen::MatrixXd x = gaussian(30, 2, rng);
  Eigen::VectorXi y(30);
  for (Eigen::Index i = 0; i < 30; ++i) y(i) = x(i, 0) > 0 ? 3 : 1;  // classes 1 and 3 of 4
  const auto model = fit_logistic(x, y, 4, {});
  const Eigen::VectorXi p = model.predict(gaussian(200, 2, rng));
  for (Eigen::Index i = 0; i < p.size(); ++i) EXPECT_TRUE(p(i) == 1 || p(i) == 3) << p(i);
  // The two-class fit equals softmax regression on the compact labels.
  Eigen::VectorXi compact = (y.array() == 3).cast<int>();
  const SoftmaxRegression direct(x, compact, 2, {});
  EXPECT_NEAR((model.weight.row(3) - model.weight.row(1) - (direct.weight().row(1) - direct.weight().row(0))).norm(),
              0, 1e-4);
  const auto constant = fit_logistic(x.topRows(3), Eigen::VectorXi::Constant(3, 2), 4, {});
  EXPECT_EQ(constant.predict(x), Eigen::VectorXi::Constant(30, 2));
}

TEST(LogisticDerivatives, PerExampleGradientsAndHessianMatchFiniteDifferences) {
  std::mt19937_64 rng(3);
  const Eigen::MatrixXd x = gaussian(25, 3, rng);
  const Eigen::VectorXi y = labels_of(x, 3);
  const Eigen::MatrixXd w = 0.5 * gaussian(3, 3, rng);
  const Eigen::VectorXd b = 0.5 * gaussian(3, 1, rng).col(0);
  const double l2 = 0.2;
  const Eigen::Index k = 3, p = 3, dim = k * (p + 1);
  auto pack = [&](const Eigen::MatrixXd& gw, const Eigen::VectorXd& gb) {
    Eigen::VectorXd v(dim);
    v.head(k * p) = Eigen::Map<const Eigen::VectorXd>(gw.data(), k * p);
    v.tail(k) = gb;
    return v;
  };
  auto gradient_at = [&](const Eigen::VectorXd& theta) {
    const Eigen::MatrixXd wt = Eigen::Map<const Eigen::MatrixXd>(theta.data(), k, p);
    Eigen::MatrixXd gw;
    Eigen::VectorXd gb;
    softmax_objective(x, y, wt, theta.tail(k), l2, &gw, &gb);
    return pack(gw, gb);
  };
  const Eigen::VectorXd theta = pack(w, b);
  // Mean of per-example gradients + the penalty's = the objective's gradient.
  Eigen::VectorXd mean = per_example_gradients(x, y, w, b).colwise().mean().transpose();
  mean.head(k * p) += l2 * theta.head(k * p);
  EXPECT_LT((mean - gradient_at(theta)).cwiseAbs().maxCoeff(), 1e-12);
  // Hessian columns by central differences of the gradient.
  const Eigen::MatrixXd h = softmax_hessian(x, w, b, l2);
  const double step = 1e-5;
  for (Eigen::Index j = 0; j < dim; ++j) {
    Eigen::VectorXd plus = theta, minus = theta;
    plus(j) += step;
    minus(j) -= step;
    const Eigen::VectorXd column = (gradient_at(plus) - gradient_at(minus)) / (2 * step);
    EXPECT_LT((column - h.col(j)).cwiseAbs().maxCoeff(), 1e-7) << "column " << j;
  }
}

TEST(LogisticDerivatives, HessianVectorProductsEqualTheHessianTimesTheVector) {
  std::mt19937_64 rng(5);
  const Eigen::MatrixXd x = gaussian(40, 4, rng);
  const Eigen::MatrixXd w = gaussian(3, 4, rng);
  const Eigen::VectorXd b = gaussian(3, 1, rng).col(0);
  const Eigen::MatrixXd h = softmax_hessian(x, w, b, 0.3);
  for (int trial = 0; trial < 3; ++trial) {
    const Eigen::VectorXd v = gaussian(15, 1, rng).col(0);
    EXPECT_LT((softmax_hessian_vector(x, w, b, 0.3, v) - h * v).cwiseAbs().maxCoeff(), 1e-12);
  }
}

TEST(Ridge, MatchesTheNormalEquationsAndLeaveOneOutMatchesRefits) {
  std::mt19937_64 rng(4);
  const Eigen::MatrixXd x = gaussian(30, 4, rng);
  const Eigen::VectorXd y = x * Eigen::Vector4d(1, -2, 0.5, 0) + gaussian(30, 1, rng).col(0) + Eigen::VectorXd::Constant(30, 3);
  const double lambda = 2.5;
  // Normal equations of [1, X] with the intercept unpenalised.
  const Eigen::MatrixXd z = add_intercept(x);
  Eigen::MatrixXd g = z.transpose() * z;
  g.diagonal().tail(4).array() += lambda;
  const Eigen::VectorXd beta = g.fullPivLu().solve(z.transpose() * y);
  const RidgeFit fit = fit_ridge(x, y, lambda);
  EXPECT_NEAR(fit.intercept, beta(0), 1e-10);
  EXPECT_LT((fit.coef - beta.tail(4)).cwiseAbs().maxCoeff(), 1e-10);
  const Eigen::VectorXd loo = ridge_loo_predictions(x, y, lambda);
  for (Eigen::Index i = 0; i < 30; ++i) {
    std::vector<Eigen::Index> rest;
    for (Eigen::Index j = 0; j < 30; ++j) {
      if (j != i) rest.push_back(j);
    }
    const RidgeFit refit = fit_ridge(select_rows(x, rest), select_rows(y, rest), lambda);
    EXPECT_NEAR(loo(i), refit.predict(x.row(i))(0), 1e-10) << "row " << i;
  }
}

TEST(Ridge, RankKDowndatesEqualRefitsWithoutTheRows) {
  std::mt19937_64 rng(5);
  const Eigen::MatrixXd x = gaussian(25, 3, rng);
  const Eigen::VectorXd y = x * Eigen::Vector3d(0.5, -1, 2) + gaussian(25, 1, rng).col(0);
  const double lambda = 1.5;
  const RidgeSystem system(x, y, lambda);
  const RidgeFit fit = fit_ridge(x, y, lambda);
  EXPECT_NEAR(system.theta()(0), fit.intercept, 1e-10);
  EXPECT_LT((system.theta().tail(3) - fit.coef).cwiseAbs().maxCoeff(), 1e-10);
  for (const std::vector<Eigen::Index>& removed :
       {std::vector<Eigen::Index>{7}, std::vector<Eigen::Index>{0, 24}, std::vector<Eigen::Index>{3, 9, 11, 20}}) {
    std::vector<Eigen::Index> rest;
    for (Eigen::Index j = 0; j < 25; ++j)
      if (std::find(removed.begin(), removed.end(), j) == removed.end()) rest.push_back(j);
    const RidgeFit refit = fit_ridge(select_rows(x, rest), select_rows(y, rest), lambda);
    const Eigen::VectorXd downdated = system.without(removed);
    EXPECT_NEAR(downdated(0), refit.intercept, 1e-10) << removed.size() << " rows";
    EXPECT_LT((downdated.tail(3) - refit.coef).cwiseAbs().maxCoeff(), 1e-10) << removed.size() << " rows";
  }
}

TEST(Sinkhorn, MarginalsAndTheUnregularisedLimitByBruteForce) {
  std::mt19937_64 rng(6);
  const Eigen::Index n = 5;
  const Eigen::MatrixXd cost = gaussian(n, n, rng).cwiseAbs();
  const Eigen::VectorXd w = Eigen::VectorXd::Constant(n, 1.0 / n);
  SinkhornOptions o;
  o.epsilon = 0.05;
  o.max_iterations = 100000;
  const auto r = sinkhorn(w, w, cost, o);
  EXPECT_TRUE(r.converged);
  EXPECT_LT((r.plan.rowwise().sum() - w).cwiseAbs().sum(), 1e-9);
  EXPECT_LT((r.plan.colwise().sum().transpose() - w).cwiseAbs().sum(), 1e-9);
  // With uniform weights of equal size, OT is the best assignment (Birkhoff).
  std::vector<int> perm = {0, 1, 2, 3, 4};
  double best = INFINITY;
  do {
    double total = 0;
    for (int i = 0; i < 5; ++i) total += cost(i, perm[static_cast<size_t>(i)]) / 5;
    best = std::min(best, total);
  } while (std::next_permutation(perm.begin(), perm.end()));
  EXPECT_NEAR(r.transport_cost, best, 0.161);  // entropic bias at most epsilon * log(n^2)
  EXPECT_GE(r.transport_cost, best - 1e-6);    // a coupling never beats the optimum
  // 2 x 2 with uniform weights in closed form: P = [[p, 1/2 - p], [1/2 - p, p]]
  // minimises p D + eps sum P log P + const, D = C00 + C11 - C01 - C10, so
  // p / (1/2 - p) = exp(-D / (2 eps)).
  Eigen::Matrix2d c2;
  c2 << 0.3, 1.1, 0.7, 0.2;
  const Eigen::VectorXd half = Eigen::VectorXd::Constant(2, 0.5);
  SinkhornOptions o2;
  o2.epsilon = 0.25;
  const auto r2x2 = sinkhorn(half, half, c2, o2);
  const double ratio = std::exp(-(0.3 + 0.2 - 1.1 - 0.7) / (2 * 0.25)), p = 0.5 * ratio / (1 + ratio);
  EXPECT_NEAR(r2x2.plan(0, 0), p, 1e-10);
  EXPECT_NEAR(r2x2.plan(0, 1), 0.5 - p, 1e-10);
  EXPECT_NEAR(r2x2.plan(1, 1), p, 1e-10);
  // Unequal weights and sizes: still the right marginals.
  const Eigen::VectorXd a = (Eigen::VectorXd(3) << 0.5, 0.3, 0.2).finished();
  const Eigen::VectorXd b = (Eigen::VectorXd(2) << 0.6, 0.4).finished();
  const auto r2 = sinkhorn(a, b, gaussian(3, 2, rng).cwiseAbs(), SinkhornOptions{});
  EXPECT_LT((r2.plan.rowwise().sum() - a).cwiseAbs().sum(), 1e-9);
  EXPECT_LT((r2.plan.colwise().sum().transpose() - b).cwiseAbs().sum(), 1e-9);
}

TEST(SoftmaxSgd, FullBatchGradientDescentReachesTheLbfgsOptimumAndIsSeeded) {
  std::mt19937_64 rng(7);
  const Eigen::MatrixXd x = gaussian(60, 2, rng);
  const Eigen::VectorXi y = labels_of(x, 3);
  SoftmaxSgdOptions o;
  o.epochs = 3000;
  o.batch_size = 60;  // one full-batch step per epoch: deterministic gradient descent
  o.learning_rate = 0.5;
  o.l2 = 0.1;
  const auto path = train_softmax_sgd(x, y, 3, o, 1);
  ASSERT_EQ(path.size(), 3000u);
  SoftmaxRegressionOptions lo;
  lo.l2 = 0.1;
  lo.gradient_tolerance = 1e-10;
  const auto optimum = fit_logistic(x, y, 3, lo);
  // Softmax is invariant to a common shift of the biases: compare centred.
  const Eigen::VectorXd b_sgd = path.back().bias.array() - path.back().bias.mean();
  const Eigen::VectorXd b_opt = optimum.bias.array() - optimum.bias.mean();
  EXPECT_LT((path.back().weight - optimum.weight).cwiseAbs().maxCoeff(), 1e-6);
  EXPECT_LT((b_sgd - b_opt).cwiseAbs().maxCoeff(), 1e-6);
  // The first step from zero, by hand: the gradient at 0 has residuals 1/k - [c = y].
  Eigen::MatrixXd w1 = Eigen::MatrixXd::Zero(3, 2);
  for (Eigen::Index i = 0; i < 60; ++i) {
    for (int c = 0; c < 3; ++c) w1.row(c) -= 0.5 / 60 * (1.0 / 3 - (c == y(i) ? 1.0 : 0.0)) * x.row(i);
  }
  EXPECT_LT((path.front().weight - w1).cwiseAbs().maxCoeff(), 1e-14);
  // Minibatches: same seed, same path; another seed, another path.
  o.epochs = 2;
  o.batch_size = 7;
  EXPECT_EQ(train_softmax_sgd(x, y, 3, o, 5).back().weight, train_softmax_sgd(x, y, 3, o, 5).back().weight);
  EXPECT_NE(train_softmax_sgd(x, y, 3, o, 5).back().weight, train_softmax_sgd(x, y, 3, o, 6).back().weight);
}

TEST(KMeans, RecoversSeparatedBlobsAndOneClusterIsTheMean) {
  std::mt19937_64 rng(8);
  std::normal_distribution<double> noise(0, 0.1);
  const Eigen::MatrixXd means = (Eigen::MatrixXd(3, 2) << 0, 0, 10, 0, 0, 10).finished();
  Eigen::MatrixXd x(90, 2);
  for (Eigen::Index i = 0; i < 90; ++i) x.row(i) = means.row(i % 3) + Eigen::RowVector2d(noise(rng), noise(rng));
  const auto r = kmeans(x, 3, 2);
  for (Eigen::Index c = 0; c < 3; ++c) {
    double nearest = INFINITY;
    for (Eigen::Index m = 0; m < 3; ++m) nearest = std::min(nearest, (r.centers.row(c) - means.row(m)).norm());
    EXPECT_LT(nearest, 0.1);
  }
  for (Eigen::Index i = 3; i < 90; ++i) EXPECT_EQ(r.assignment(i), r.assignment(i % 3));  // same blob, same cluster
  EXPECT_NEAR(r.distance2.sum(), (x - r.centers(r.assignment, Eigen::all)).rowwise().squaredNorm().sum(), 1e-12);
  const auto one = kmeans(x, 1, 3);
  EXPECT_LT((one.centers.row(0) - x.colwise().mean()).norm(), 1e-12);
  EXPECT_THROW(kmeans(x, 91, 1), InputError);
}

TEST(KnnUtility, HandComputedCase) {
  // Training points on a line at 0, 1, 2, 3 with labels 0, 1, 0, 0; test point 0.2 label 0.
  Eigen::MatrixXd xt(4, 1);
  xt << 0, 1, 2, 3;
  const Eigen::VectorXi yt = (Eigen::VectorXi(4) << 0, 1, 0, 0).finished();
  const Eigen::MatrixXd q = Eigen::MatrixXd::Constant(1, 1, 0.2);
  const Eigen::VectorXi yq = Eigen::VectorXi::Zero(1);
  EXPECT_EQ(neighbours_by_distance(xt, q.row(0).transpose()), (std::vector<Eigen::Index>{0, 1, 2, 3}));
  EXPECT_DOUBLE_EQ(knn_utility(xt, yt, q, yq, 2, {0, 1, 2, 3}), 0.5);  // neighbours 0 (match), 1
  EXPECT_DOUBLE_EQ(knn_utility(xt, yt, q, yq, 2, {1, 2, 3}), 0.5);     // 1, 2
  EXPECT_DOUBLE_EQ(knn_utility(xt, yt, q, yq, 2, {2, 3}), 1.0);
  EXPECT_DOUBLE_EQ(knn_utility(xt, yt, q, yq, 3, {2}), 1.0 / 3);       // fewer than K: still / K
  EXPECT_DOUBLE_EQ(knn_utility(xt, yt, q, yq, 2, {}), 0.0);
}

}  // namespace
}  // namespace sb::models
