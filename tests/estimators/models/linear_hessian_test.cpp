// estimators/models/linear_hessian: the GEMM-shaped Hessian-vector product
// against the formed Hessian, the Kronecker preconditioner against the
// inverse of S (x) G + lambda I formed in the test from its definition (and
// against H^{-1} where it is exact), and conjugate gradients against the
// residual they claim.
#include <gtest/gtest.h>

#include <random>

#include "estimators/models/linear_hessian.h"

namespace sb::models {
namespace {

Eigen::MatrixXd random_matrix(Eigen::Index rows, Eigen::Index cols, double sd, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0, sd);
  Eigen::MatrixXd m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = normal(rng);
  return m;
}

// Uncentred, correlated inputs (like pixels), so that G is far from the identity.
Eigen::MatrixXd inputs(Eigen::Index n, Eigen::Index p, std::uint64_t seed) {
  const Eigen::MatrixXd mix = random_matrix(p, p, 1.0, seed + 1);
  Eigen::MatrixXd x = random_matrix(n, p, 1.0, seed) * mix;
  x.array() += 2.0;
  return augment(x);
}

TEST(LinearHessian, ProductsMatchTheFormedHessian) {
  const Eigen::MatrixXd z = inputs(50, 4, 1);
  const Eigen::MatrixXd theta = random_matrix(5, 3, 0.5, 2), v = random_matrix(5, 3, 1.0, 3);
  for (const LinearLoss loss : {LinearLoss::kSoftmax, LinearLoss::kSquared}) {
    PenalizedLinear model;
    model.loss = loss;
    model.lambda = 0.3;
    LinearHessianOperator hessian(model, z, theta);
    Eigen::MatrixXd hv;
    hessian.apply(v, hv);
    const Eigen::VectorXd expected = linear_hessian(model, z, theta) * v.reshaped();
    EXPECT_LT((hv.reshaped() - expected).cwiseAbs().maxCoeff(), 1e-10);
    hessian.apply(2.0 * v, hv);  // buffers reused: a second product is as right
    EXPECT_LT((hv.reshaped() - 2.0 * expected).cwiseAbs().maxCoeff(), 1e-10);
  }
}

TEST(LinearHessian, KroneckerPreconditionerInvertsItsDefinition) {
  const Eigen::MatrixXd z = inputs(40, 3, 4);
  const Eigen::MatrixXd theta = random_matrix(4, 3, 0.7, 5), r = random_matrix(4, 3, 1.0, 6);
  PenalizedLinear model;
  model.lambda = 0.2;
  LinearHessianOperator hessian(model, z, theta);
  KroneckerPreconditioner preconditioner(hessian);
  // S = sum_i diag(p_i) - p_i p_i^T, G = sum_i w_i z_i z_i^T / sum_i w_i, w_i = 1 - ||p_i||^2, from the softmax here.
  Eigen::MatrixXd s = Eigen::MatrixXd::Zero(3, 3), g = Eigen::MatrixXd::Zero(4, 4);
  double total = 0;
  for (Eigen::Index i = 0; i < z.rows(); ++i) {
    const Eigen::RowVectorXd logits = z.row(i) * theta;
    Eigen::VectorXd p = (logits.array() - logits.maxCoeff()).exp().transpose();
    p /= p.sum();
    s += Eigen::MatrixXd(p.asDiagonal()) - p * p.transpose();
    const double w = 1.0 - p.squaredNorm();
    g += w * z.row(i).transpose() * z.row(i);
    total += w;
  }
  g /= total;
  Eigen::MatrixXd m(12, 12);
  for (Eigen::Index c = 0; c < 3; ++c)
    for (Eigen::Index d = 0; d < 3; ++d) m.block(c * 4, d * 4, 4, 4) = s(c, d) * g;
  m.diagonal().array() += 0.2;
  Eigen::MatrixXd out;
  preconditioner.apply(r, out);
  const Eigen::VectorXd expected = m.ldlt().solve(r.reshaped());
  EXPECT_LT((out.reshaped() - expected).cwiseAbs().maxCoeff(), 1e-10);
}

TEST(LinearHessian, KroneckerPreconditionerIsExactWhereEveryRowHasOneCurvature) {
  // Squared loss (A_i = I) anywhere, softmax at theta = 0 (A_i = I/k - 11^T/k^2): M = H.
  const Eigen::MatrixXd z = inputs(60, 5, 7);
  const Eigen::MatrixXd r = random_matrix(6, 4, 1.0, 8);
  for (const LinearLoss loss : {LinearLoss::kSoftmax, LinearLoss::kSquared}) {
    PenalizedLinear model;
    model.loss = loss;
    model.lambda = 0.05;
    const Eigen::MatrixXd theta =
        loss == LinearLoss::kSquared ? random_matrix(6, 4, 1.0, 9) : Eigen::MatrixXd::Zero(6, 4);
    LinearHessianOperator hessian(model, z, theta);
    KroneckerPreconditioner preconditioner(hessian);
    Eigen::MatrixXd out;
    preconditioner.apply(r, out);
    const Eigen::VectorXd expected = linear_hessian(model, z, theta).ldlt().solve(r.reshaped());
    EXPECT_LT((out.reshaped() - expected).cwiseAbs().maxCoeff(), 1e-9 * expected.cwiseAbs().maxCoeff());
    Eigen::Index iterations = 0;
    preconditioned_conjugate_gradients(hessian, preconditioner, r, 1e-12, 100, &iterations);
    EXPECT_LE(iterations, 2);  // one step, up to rounding
  }
}

TEST(LinearHessian, ConjugateGradientsReachTheirResidual) {
  const Eigen::MatrixXd z = inputs(80, 6, 10);
  const Eigen::MatrixXd theta = random_matrix(7, 4, 1.0, 11), rhs = random_matrix(7, 4, 1.0, 12);
  PenalizedLinear model;
  model.lambda = 0.01;
  LinearHessianOperator hessian(model, z, theta);
  KroneckerPreconditioner preconditioner(hessian);
  const Eigen::VectorXd exact = linear_hessian(model, z, theta).ldlt().solve(rhs.reshaped());
  for (const double tolerance : {1e-3, 1e-10}) {
    Eigen::Index iterations = 0;
    const Eigen::MatrixXd x = preconditioned_conjugate_gradients(hessian, preconditioner, rhs, tolerance, 1000, &iterations);
    Eigen::MatrixXd hx;
    hessian.apply(x, hx);
    EXPECT_LE((hx - rhs).norm(), tolerance * rhs.norm() * (1 + 1e-6));
    EXPECT_GT(iterations, 0);
    if (tolerance < 1e-6) {
      EXPECT_LT((x.reshaped() - exact).norm(), 1e-6 * exact.norm());
    }
  }
}

}  // namespace
}  // namespace sb::models
