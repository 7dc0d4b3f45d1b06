// A warm-started logistic fit (fit_logistic's `start`) reaches the optimum
// of a cold fit on the same rows, and a start with other classes is ignored.
#include <gtest/gtest.h>

#include <limits>
#include <random>

#include "estimators/models/logistic_classifier.h"

namespace sb::models {
namespace {

TEST(WarmStart, ReachesTheColdOptimumAndIgnoresAStartWithOtherClasses) {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> z;
  const Eigen::Index n = 120, p = 4;
  Eigen::MatrixXd x(n, p);
  Eigen::VectorXi y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    y(i) = static_cast<int>(i % 3);
    for (Eigen::Index j = 0; j < p; ++j) x(i, j) = z(rng) + (j == y(i) ? 1.5 : 0.0);
  }
  SoftmaxRegressionOptions o;
  o.l2 = 1e-2;
  o.gradient_tolerance = 1e-10;
  const LogisticClassifier full = fit_logistic(x, y, 3, o);
  const Eigen::MatrixXd x_rest = x.bottomRows(n - 1);
  const Eigen::VectorXi y_rest = y.tail(n - 1);
  const LogisticClassifier cold = fit_logistic(x_rest, y_rest, 3, o);
  const LogisticClassifier warm = fit_logistic(x_rest, y_rest, 3, o, &full);
  EXPECT_GT((cold.weight - full.weight).cwiseAbs().maxCoeff(), 1e-4);  // removing a row moves the optimum
  // W is unique (the penalty fixes it); the unpenalised biases are unique up
  // to a common shift, which changes no prediction: compare them centred.
  EXPECT_LT((warm.weight - cold.weight).cwiseAbs().maxCoeff(), 1e-6);
  const Eigen::VectorXd bw = warm.bias.array() - warm.bias.mean(), bc = cold.bias.array() - cold.bias.mean();
  EXPECT_LT((bw - bc).cwiseAbs().maxCoeff(), 1e-6);
  EXPECT_EQ(warm.predict(x), cold.predict(x));
  // Two classes only (class 2 dropped): the 3-class start does not apply.
  std::vector<Eigen::Index> two;
  for (Eigen::Index i = 0; i < n; ++i)
    if (y(i) != 2) two.push_back(i);
  const Eigen::MatrixXd x2 = x(two, Eigen::all);
  const Eigen::VectorXi y2 = y(two);
  const LogisticClassifier cold2 = fit_logistic(x2, y2, 3, o);
  const LogisticClassifier warm2 = fit_logistic(x2, y2, 3, o, &full);
  EXPECT_EQ(warm2.weight, cold2.weight);  // bitwise: both from zero
  EXPECT_EQ(warm2.bias(2), -std::numeric_limits<double>::infinity());
}

}  // namespace
}  // namespace sb::models
