// BinaryLogisticPath against the softmax fit it stands for: at every prefix,
// the two-class softmax parameters (W_0, W_1) = (-w/2, w/2), (b_0, b_1) =
// (-b/2, b/2) meet softmax_regression's stopping rule (max |gradient| <=
// tolerance, computed by softmax_objective), and they are the L-BFGS fit's
// optimum (fit_logistic, from zero) within the tolerance's reach.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "estimators/models/binary_logistic_path.h"
#include "estimators/models/linear.h"
#include "estimators/models/logistic_classifier.h"

namespace sb::models {
namespace {

struct Problem {
  Eigen::MatrixXd x;
  Eigen::VectorXi y;
};

Problem overlapping(Eigen::Index n, Eigen::Index p, double separation, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> z;
  Problem out{Eigen::MatrixXd(n, p), Eigen::VectorXi(n)};
  for (Eigen::Index i = 0; i < n; ++i) {
    out.y(i) = z(rng) > 0.3 ? 1 : 0;  // unbalanced classes, so the bias matters
    for (Eigen::Index j = 0; j < p; ++j) out.x(i, j) = z(rng) + (j == 0 && out.y(i) == 1 ? separation : 0.0);
  }
  return out;
}

// max |softmax gradient| of the two-class softmax model (-w/2, w/2), (-b/2, b/2).
double softmax_gradient_max(const Problem& d, const std::vector<Eigen::Index>& rows, const BinaryLogisticPath& path,
                            double l2) {
  Eigen::MatrixXd weight(2, d.x.cols()), weight_gradient;
  weight.row(0) = -0.5 * path.weight().transpose();
  weight.row(1) = 0.5 * path.weight().transpose();
  const Eigen::Vector2d bias(-0.5 * path.bias(), 0.5 * path.bias());
  Eigen::VectorXd bias_gradient;
  Eigen::VectorXi y(static_cast<Eigen::Index>(rows.size()));
  for (size_t i = 0; i < rows.size(); ++i) y(static_cast<Eigen::Index>(i)) = d.y(rows[i]);
  softmax_objective(select_rows(d.x, rows), y, weight, bias, l2, &weight_gradient, &bias_gradient);
  return std::max(weight_gradient.cwiseAbs().maxCoeff(), bias_gradient.cwiseAbs().maxCoeff());
}

TEST(BinaryLogisticPath, EveryPrefixMeetsTheSoftmaxStoppingRuleAtTheSoftmaxOptimum) {
  const Problem d = overlapping(90, 6, 1.0, 3);
  const double l2 = 1e-2, tolerance = 1e-6;
  BinaryLogisticPath path(d.x, d.y, l2, tolerance);
  std::vector<Eigen::Index> order(90);
  for (Eigen::Index i = 0; i < 90; ++i) order[static_cast<size_t>(i)] = (i * 37) % 90;  // a fixed permutation
  std::vector<Eigen::Index> rows;
  int fitted = 0;
  for (Eigen::Index row : order) {
    rows.push_back(row);
    ASSERT_TRUE(path.add(row)) << rows.size();
    Eigen::VectorXi y(static_cast<Eigen::Index>(rows.size()));
    for (size_t i = 0; i < rows.size(); ++i) y(static_cast<Eigen::Index>(i)) = d.y(rows[i]);
    if (!path.both_classes()) {
      EXPECT_EQ(path.only_class(), d.y(rows[0]));
      continue;
    }
    ++fitted;
    EXPECT_LE(softmax_gradient_max(d, rows, path, l2), tolerance) << rows.size();
    SoftmaxRegressionOptions o;
    o.l2 = l2;
    o.gradient_tolerance = 1e-10;  // near-exact reference
    const LogisticClassifier reference = fit_logistic(select_rows(d.x, rows), y, 2, o);
    // The objective is (l2/2)-strongly convex in w: |w - w*| <= |grad| / (l2/2)
    // in norm, and the bias follows.
    const Eigen::VectorXd w_ref = (reference.weight.row(1) - reference.weight.row(0)).transpose();
    EXPECT_LT((path.weight() - w_ref).norm(), 2 * std::sqrt(7.0) * tolerance / (l2 / 2)) << rows.size();
    EXPECT_NEAR(path.bias(), reference.bias(1) - reference.bias(0), 1e-2) << rows.size();
  }
  EXPECT_GT(fitted, 80);
  // Warm starts: a few Newton iterations per added row, not a fit from zero.
  EXPECT_LT(path.total_iterations(), 6 * fitted);
}

TEST(BinaryLogisticPath, SeparableRowsWithATinyPenaltyConverge) {
  // Separable data and l2 = 1e-6: the optimum has a large w, so full Newton
  // steps from zero overshoot and the line search must cut them.
  const Problem d = overlapping(30, 3, 8.0, 4);
  BinaryLogisticPath path(d.x, d.y, 1e-6, 1e-6);
  std::vector<Eigen::Index> rows;
  for (Eigen::Index row = 0; row < 30; ++row) {
    rows.push_back(row);
    ASSERT_TRUE(path.add(row)) << row;
    if (path.both_classes()) {
      EXPECT_LE(softmax_gradient_max(d, rows, path, 1e-6), 1e-6) << row;
    }
  }
  EXPECT_GT(path.weight()(0), 1.0);  // the separating direction
  // clear() starts again from the empty set.
  path.clear();
  EXPECT_EQ(path.size(), 0);
  ASSERT_TRUE(path.add(0));
  EXPECT_FALSE(path.both_classes());
}

TEST(BinaryLogisticPath, ExactAndLazyCurvatureReachTheSameOptimum) {
  const Problem d = overlapping(60, 4, 0.5, 5);
  BinaryLogisticPath lazy(d.x, d.y, 1e-2, 1e-9), exact(d.x, d.y, 1e-2, 1e-9);
  exact.curvature_refresh = 0;  // every weight refreshed at every iteration: plain Newton
  for (Eigen::Index row = 0; row < 60; ++row) {
    ASSERT_TRUE(lazy.add(row));
    ASSERT_TRUE(exact.add(row));
    EXPECT_LT((lazy.weight() - exact.weight()).cwiseAbs().maxCoeff(), 1e-6) << row;
  }
  // set() moves the parameters and the path goes on from there.
  Eigen::VectorXd w = Eigen::VectorXd::Zero(4);
  lazy.set(w, 0.0);
  EXPECT_GT(lazy.gradient_max(), 1e-3);
}

}  // namespace
}  // namespace sb::models
