// estimators/models/penalized_linear: gradient and Hessian by finite
// differences, Hessian-vector products against the formed Hessian, the fit
// at a stationary point, ridge against its normal equations.
#include <gtest/gtest.h>

#include <random>

#include "estimators/models/penalized_linear.h"

namespace sb::models {
namespace {

struct Problem {
  Eigen::MatrixXd z;
  Eigen::VectorXi y;
  int k = 3;
};

Problem problem(int n, int p, int k, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  Problem out;
  out.k = k;
  Eigen::MatrixXd x(n, p);
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = normal(rng);
  out.z = augment(x);
  out.y.resize(n);
  for (int i = 0; i < n; ++i) out.y(i) = static_cast<int>((x(i, 0) > 0) + (x(i, 1) > 0.5)) % k;
  return out;
}

Eigen::MatrixXd random_theta(Eigen::Index q, Eigen::Index k, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0, 0.5);
  Eigen::MatrixXd t(q, k);
  for (Eigen::Index i = 0; i < t.size(); ++i) t.data()[i] = normal(rng);
  return t;
}

class PenalizedLinearTest : public ::testing::TestWithParam<LinearLoss> {};

TEST_P(PenalizedLinearTest, DerivativesMatchFiniteDifferences) {
  const auto pr = problem(40, 3, 3, 1);
  PenalizedLinear model;
  model.loss = GetParam();
  model.lambda = 0.7;
  const Eigen::MatrixXd theta = random_theta(4, 3, 2);
  Eigen::MatrixXd gradient;
  const double f = linear_objective(model, pr.z, pr.y, theta, &gradient);
  EXPECT_NEAR(f, example_losses(model, pr.z, pr.y, theta).sum() + 0.35 * theta.squaredNorm(), 1e-10);
  const Eigen::MatrixXd hessian = linear_hessian(model, pr.z, theta);
  const double h = 1e-6;
  for (Eigen::Index j = 0; j < theta.size(); ++j) {
    Eigen::MatrixXd up = theta, down = theta;
    up.data()[j] += h, down.data()[j] -= h;
    Eigen::MatrixXd gu, gd;
    const double fu = linear_objective(model, pr.z, pr.y, up, &gu), fd = linear_objective(model, pr.z, pr.y, down, &gd);
    EXPECT_NEAR(gradient.data()[j], (fu - fd) / (2 * h), 1e-5);
    const Eigen::VectorXd column = ((gu - gd) / (2 * h)).reshaped();
    EXPECT_LT((hessian.col(j) - column).cwiseAbs().maxCoeff(), 1e-5);
  }
  const Eigen::MatrixXd v = random_theta(4, 3, 3);
  const Eigen::VectorXd hv = linear_hessian_vector(model, pr.z, theta, v).reshaped();
  EXPECT_LT((hv - hessian * v.reshaped()).cwiseAbs().maxCoeff(), 1e-10);
  const Eigen::MatrixXd solved = solve_linear_hessian(model, pr.z, theta, v);
  EXPECT_LT((hessian * solved.reshaped() - v.reshaped()).cwiseAbs().maxCoeff(), 1e-10);
}

TEST_P(PenalizedLinearTest, FitIsTheStationaryPointAndTheLinearTermShiftsIt) {
  const auto pr = problem(60, 3, 3, 4);
  PenalizedLinear model;
  model.loss = GetParam();
  model.lambda = 0.5;
  const Eigen::MatrixXd theta = fit_linear(model, pr.z, pr.y, 3);
  Eigen::MatrixXd gradient;
  linear_objective(model, pr.z, pr.y, theta, &gradient);
  EXPECT_LT(gradient.cwiseAbs().maxCoeff(), 60 * 1e-10);
  const Eigen::MatrixXd b = random_theta(4, 3, 5);
  const Eigen::MatrixXd shifted = fit_linear(model, pr.z, pr.y, 3, theta, b);
  linear_objective(model, pr.z, pr.y, shifted, &gradient);
  EXPECT_LT((gradient + b).cwiseAbs().maxCoeff(), 60 * 1e-10);
}

INSTANTIATE_TEST_SUITE_P(Losses, PenalizedLinearTest, ::testing::Values(LinearLoss::kSoftmax, LinearLoss::kSquared));

TEST(PenalizedLinear, LargeProblemsSolveByPreconditionedConjugateGradients) {
  const auto pr = problem(120, 1000, 3, 8);  // (p+1) k = 3003 > 3000: no formed Hessian
  PenalizedLinear model;
  model.lambda = 1.0;
  const Eigen::MatrixXd theta = fit_linear(model, pr.z, pr.y, 3);
  Eigen::MatrixXd gradient;
  linear_objective(model, pr.z, pr.y, theta, &gradient);
  EXPECT_LT(gradient.cwiseAbs().maxCoeff(), 120 * 1e-10);
  const Eigen::MatrixXd rhs = random_theta(1001, 3, 9);
  const Eigen::MatrixXd x = solve_linear_hessian(model, pr.z, theta, rhs);
  EXPECT_LT((linear_hessian_vector(model, pr.z, theta, x) - rhs).norm(), 1e-11 * rhs.norm());
  // The diagonal against Hessian-vector products with unit vectors.
  const Eigen::MatrixXd diagonal = linear_hessian_diagonal(model, pr.z, theta);
  for (Eigen::Index j : {0, 500, 1000, 1001, 3002}) {
    Eigen::MatrixXd e = Eigen::MatrixXd::Zero(1001, 3);
    e.data()[j] = 1;
    EXPECT_NEAR(linear_hessian_vector(model, pr.z, theta, e).data()[j], diagonal.data()[j], 1e-10);
  }
}

TEST(PenalizedLinear, RidgeSolvesItsNormalEquations) {
  const auto pr = problem(50, 4, 3, 6);
  PenalizedLinear model;
  model.loss = LinearLoss::kSquared;
  model.lambda = 2.0;
  Eigen::MatrixXd onehot = Eigen::MatrixXd::Zero(50, 3);
  for (int i = 0; i < 50; ++i) onehot(i, pr.y(i)) = 1;
  Eigen::MatrixXd a = pr.z.transpose() * pr.z;
  a.diagonal().array() += 2.0;
  const Eigen::MatrixXd expected = a.ldlt().solve(pr.z.transpose() * onehot);
  EXPECT_LT((fit_linear(model, pr.z, pr.y, 3) - expected).cwiseAbs().maxCoeff(), 1e-12);
}

TEST(PenalizedLinear, AClassWithoutRowsGetsAFiniteModel) {
  auto pr = problem(40, 2, 3, 7);
  for (int i = 0; i < 40; ++i) pr.y(i) = pr.y(i) == 2 ? 0 : pr.y(i);  // class 2 absent
  PenalizedLinear model;
  model.lambda = 0.1;
  const Eigen::MatrixXd theta = fit_linear(model, pr.z, pr.y, 3);
  EXPECT_TRUE(theta.allFinite());
  EXPECT_LT(linear_predictions(model, pr.z, theta).col(2).maxCoeff(), 0.5);
}

}  // namespace
}  // namespace sb::models
