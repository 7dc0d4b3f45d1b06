// L1 / nuclear-norm penalised logistic regression: the proximal operators by
// hand, and the fit against the optimality (subgradient) conditions.
#include <gtest/gtest.h>

#include <random>

#include "estimators/models/regularized_logistic.h"
#include "estimators/models/softmax_regression.h"

namespace sb::models {
namespace {

struct Problem {
  Eigen::MatrixXd x;
  Eigen::VectorXi y;
};

// n rows of p standard normal features, 3 classes from a planted linear rule
// that uses the first two features, with 10% of the labels random.
Problem planted(Eigen::Index n, Eigen::Index p, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  Problem out{Eigen::MatrixXd(n, p), Eigen::VectorXi(n)};
  for (Eigen::Index i = 0; i < out.x.size(); ++i) out.x.data()[i] = normal(rng);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double a = out.x(i, 0), b = out.x(i, 1);
    out.y(i) = a > 0.5 ? 0 : (b > 0 ? 1 : 2);
    if (rng() % 10 == 0) out.y(i) = static_cast<int>(rng() % 3);
  }
  return out;
}

TEST(PenaltyProx, SoftThresholdsEntriesOrSingularValues) {
  Eigen::MatrixXd w(2, 2);
  w << 3, -0.5, -2, 1;
  Eigen::MatrixXd l1(2, 2);
  l1 << 2, 0, -1, 0;
  EXPECT_EQ(penalty_prox(w, WeightPenalty::l1, 1.0), l1);
  // A matrix with known singular values 5 and 2 (orthogonal factors).
  const double c = std::cos(0.3), s = std::sin(0.3);
  Eigen::Matrix2d u, v;
  u << c, -s, s, c;
  v << 1, 0, 0, -1;
  const Eigen::MatrixXd m = u * Eigen::Vector2d(5, 2).asDiagonal() * v.transpose();
  const Eigen::MatrixXd shrunk = u * Eigen::Vector2d(2, 0).asDiagonal() * v.transpose();
  EXPECT_LT((penalty_prox(m, WeightPenalty::nuclear, 3.0) - shrunk).cwiseAbs().maxCoeff(), 1e-12);
  EXPECT_NEAR(weight_penalty(m, WeightPenalty::nuclear), 7.0, 1e-12);
  EXPECT_DOUBLE_EQ(weight_penalty(w, WeightPenalty::l1), 6.5);
}

TEST(RegularizedLogistic, L1FitSatisfiesTheSubgradientConditions) {
  const Problem d = planted(200, 8, 1);
  RegularizedLogisticOptions o;
  o.penalty = WeightPenalty::l1;
  o.strength = 0.02;
  o.tolerance = 1e-9;
  const auto fit = fit_regularized_logistic(d.x, d.y, 3, o);
  ASSERT_TRUE(fit.converged) << fit.iterations;
  Eigen::MatrixXd gw;
  Eigen::VectorXd gb;
  softmax_objective(d.x, d.y, fit.weight, fit.bias, 0.0, &gw, &gb);
  EXPECT_LT(gb.cwiseAbs().maxCoeff(), 1e-8);
  int zeros = 0, nonzeros = 0;
  for (Eigen::Index c = 0; c < 3; ++c) {
    for (Eigen::Index j = 0; j < 8; ++j) {
      const double w = fit.weight(c, j), g = gw(c, j);
      if (w == 0) {
        ++zeros;
        EXPECT_LE(std::abs(g), o.strength + 1e-8) << c << "," << j;
      } else {
        ++nonzeros;
        EXPECT_NEAR(g + o.strength * (w > 0 ? 1 : -1), 0.0, 1e-8) << c << "," << j;
      }
    }
  }
  // The noise features are dropped, the planted ones kept.
  EXPECT_GT(zeros, 6);
  EXPECT_GT(nonzeros, 2);
  // A strength above max |gradient at W = 0| (bias optimal) gives W = 0.
  o.strength = 10.0;
  EXPECT_EQ(fit_regularized_logistic(d.x, d.y, 3, o).weight, Eigen::MatrixXd::Zero(3, 8));
}

TEST(RegularizedLogistic, NuclearFitSatisfiesTheSubgradientConditions) {
  const Problem d = planted(200, 8, 2);
  RegularizedLogisticOptions o;
  o.penalty = WeightPenalty::nuclear;
  o.strength = 0.35;
  o.tolerance = 1e-9;
  const auto fit = fit_regularized_logistic(d.x, d.y, 3, o);
  ASSERT_TRUE(fit.converged) << fit.iterations;
  Eigen::MatrixXd gw;
  Eigen::VectorXd gb;
  softmax_objective(d.x, d.y, fit.weight, fit.bias, 0.0, &gw, &gb);
  EXPECT_LT(gb.cwiseAbs().maxCoeff(), 1e-8);
  // -grad / lambda must be a subgradient of ||.||_* at W = U S V^T:
  // U V^T + R with U^T R = 0, R V = 0, ||R||_2 <= 1.
  Eigen::JacobiSVD<Eigen::MatrixXd> svd(fit.weight, Eigen::ComputeFullU | Eigen::ComputeFullV);
  const Eigen::VectorXd s = svd.singularValues();
  Eigen::Index rank = 0;
  while (rank < s.size() && s(rank) > 1e-6) ++rank;
  ASSERT_GE(rank, 1);
  // Rank <= k - 1 = 2 holds for any fit (the subgradient rows sum to 0); 1 is the penalty's doing.
  ASSERT_EQ(rank, 1) << "the penalty should lower the rank: " << s.transpose();
  const Eigen::MatrixXd sub = -gw / o.strength;
  const Eigen::MatrixXd u = svd.matrixU().leftCols(rank), v = svd.matrixV().leftCols(rank);
  EXPECT_LT((u.transpose() * sub * v - Eigen::MatrixXd::Identity(rank, rank)).cwiseAbs().maxCoeff(), 1e-6);
  const Eigen::MatrixXd pu = Eigen::MatrixXd::Identity(3, 3) - u * u.transpose();
  const Eigen::MatrixXd pv = Eigen::MatrixXd::Identity(8, 8) - v * v.transpose();
  EXPECT_LT((u.transpose() * sub * pv).cwiseAbs().maxCoeff(), 1e-6);
  EXPECT_LT((pu * sub * v).cwiseAbs().maxCoeff(), 1e-6);
  EXPECT_LE(Eigen::JacobiSVD<Eigen::MatrixXd>(pu * sub * pv).singularValues()(0), 1.0 + 1e-6);
}

TEST(RegularizedLogistic, ObjectiveIsMinimalAgainstPerturbations) {
  const Problem d = planted(100, 5, 3);
  for (auto penalty : {WeightPenalty::l1, WeightPenalty::nuclear}) {
    RegularizedLogisticOptions o;
    o.penalty = penalty;
    o.strength = 0.03;
    o.tolerance = 1e-10;
    const auto fit = fit_regularized_logistic(d.x, d.y, 3, o);
    const auto objective = [&](const Eigen::MatrixXd& w, const Eigen::VectorXd& b) {
      return softmax_objective(d.x, d.y, w, b, 0.0, nullptr, nullptr) + o.strength * weight_penalty(w, penalty);
    };
    const double best = objective(fit.weight, fit.bias);
    std::mt19937_64 rng(4);
    std::normal_distribution<double> normal;
    for (int trial = 0; trial < 50; ++trial) {
      Eigen::MatrixXd w = fit.weight;
      Eigen::VectorXd b = fit.bias;
      for (Eigen::Index i = 0; i < w.size(); ++i) w.data()[i] += 1e-3 * normal(rng);
      for (Eigen::Index i = 0; i < b.size(); ++i) b(i) += 1e-3 * normal(rng);
      EXPECT_GE(objective(w, b), best - 1e-12);
    }
  }
}

}  // namespace
}  // namespace sb::models
