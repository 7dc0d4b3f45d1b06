#include "estimators/models/linear_hessian.h"

#include <algorithm>
#include <cmath>

#include "harness/core/errors.h"

namespace sb::models {
namespace {

// Symmetric eigendecomposition with the (rounding-level) negative eigenvalues
// of a positive semi-definite matrix clamped to zero.
void eigen_psd(const Eigen::MatrixXd& a, Eigen::MatrixXd& vectors, Eigen::VectorXd& values) {
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(a);
  SB_THROW_IF_NOT(MethodError, solver.info() == Eigen::Success, "KroneckerPreconditioner: eigendecomposition failed");
  vectors = solver.eigenvectors();
  values = solver.eigenvalues().cwiseMax(0.0);
}

}  // namespace

LinearHessianOperator::LinearHessianOperator(const PenalizedLinear& model, const Eigen::MatrixXd& z,
                                             const Eigen::MatrixXd& theta)
    : model_(model), z_(z), k_(theta.cols()) {
  SB_THROW_IF_NOT(InputError, z.cols() == theta.rows(), "LinearHessianOperator: z is {}x{}, theta is {}x{}", z.rows(),
                  z.cols(), theta.rows(), theta.cols());
  outputs_.resize(z.rows(), k_);
  weighted_.resize(z.rows(), k_);
  if (model.loss == LinearLoss::kSquared) return;
  probabilities_.noalias() = z * theta;
  for (Eigen::Index i = 0; i < probabilities_.rows(); ++i) {
    auto row = probabilities_.row(i);
    row = (row.array() - row.maxCoeff()).exp();
    row /= row.sum();
  }
}

void LinearHessianOperator::apply(const Eigen::MatrixXd& v, Eigen::MatrixXd& out) {
  // By blocks of rows, so that a block of z read by the first product is
  // still in cache for the second (z itself is tens of MB): sum over blocks of
  // Z_b^T (A_b (.) (Z_b V)).
  constexpr Eigen::Index kBlock = 512;
  out = model_.lambda * v;
  for (Eigen::Index start = 0; start < z_.rows(); start += kBlock) {
    const Eigen::Index m = std::min(kBlock, z_.rows() - start);
    auto outputs = outputs_.middleRows(start, m);
    outputs.noalias() = z_.middleRows(start, m) * v;
    if (model_.loss == LinearLoss::kSoftmax) {
      // A_i u_i = p_i (.) u_i - p_i (p_i . u_i), row by row.
      auto weighted = weighted_.middleRows(start, m);
      const auto p = probabilities_.middleRows(start, m);
      weighted = p.cwiseProduct(outputs);
      for (Eigen::Index i = 0; i < m; ++i) {
        const double dot = weighted.row(i).sum();
        weighted.row(i) -= dot * p.row(i);
      }
      out.noalias() += z_.middleRows(start, m).transpose() * weighted;
    } else {
      out.noalias() += z_.middleRows(start, m).transpose() * outputs;
    }
  }
}

Eigen::VectorXd LinearHessianOperator::row_weights() const {
  if (model_.loss == LinearLoss::kSquared) return Eigen::VectorXd::Constant(z_.rows(), static_cast<double>(k_));
  return (1.0 - probabilities_.rowwise().squaredNorm().array()).matrix();
}

Eigen::MatrixXd LinearHessianOperator::class_factor() const {
  const auto n = static_cast<double>(z_.rows());
  if (model_.loss == LinearLoss::kSquared) return n * Eigen::MatrixXd::Identity(k_, k_);
  Eigen::MatrixXd s = -(probabilities_.transpose() * probabilities_);
  s.diagonal() += probabilities_.colwise().sum().transpose();
  return s;
}

KroneckerPreconditioner::KroneckerPreconditioner(const LinearHessianOperator& hessian)
    : lambda_(hessian.model().lambda) {
  update_class_factor(hessian);
  update_input_factor(hessian);
}

void KroneckerPreconditioner::update_class_factor(const LinearHessianOperator& hessian) {
  eigen_psd(hessian.class_factor(), class_vectors_, class_values_);
}

void KroneckerPreconditioner::update_input_factor(const LinearHessianOperator& hessian) {
  const Eigen::MatrixXd& z = hessian.z();
  const Eigen::VectorXd w = hessian.row_weights();
  const double total = w.sum();
  Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(z.cols(), z.cols());
  if (total > 0) {
    // sum_i w_i z_i z_i^T by blocks of rows (a symmetric rank update each), so
    // that no n x (p+1) copy of z is made.
    constexpr Eigen::Index kBlock = 512;
    Eigen::MatrixXd block;
    for (Eigen::Index start = 0; start < z.rows(); start += kBlock) {
      const Eigen::Index m = std::min(kBlock, z.rows() - start);
      block = w.segment(start, m).cwiseSqrt().asDiagonal() * z.middleRows(start, m);
      gram.selfadjointView<Eigen::Lower>().rankUpdate(block.transpose(), 1.0 / total);
    }
    gram = gram.selfadjointView<Eigen::Lower>();
  }
  eigen_psd(gram, input_vectors_, input_values_);
}

void KroneckerPreconditioner::apply(const Eigen::MatrixXd& r, Eigen::MatrixXd& out) {
  // M^{-1} = (U_G (x) U_S)... in matrix form: U_G [(U_G^T R U_S) ./ (g_j s_c + lambda)] U_S^T.
  half_.noalias() = input_vectors_.transpose() * r;
  rotated_.noalias() = half_ * class_vectors_;
  for (Eigen::Index c = 0; c < rotated_.cols(); ++c)
    rotated_.col(c).array() /= input_values_.array() * class_values_(c) + lambda_;
  half_.noalias() = rotated_ * class_vectors_.transpose();
  out.noalias() = input_vectors_ * half_;
}

Eigen::MatrixXd preconditioned_conjugate_gradients(LinearHessianOperator& hessian, KroneckerPreconditioner& preconditioner,
                                                   const Eigen::MatrixXd& rhs, double relative_tolerance,
                                                   Eigen::Index max_iterations, Eigen::Index* iterations) {
  Eigen::MatrixXd x = Eigen::MatrixXd::Zero(rhs.rows(), rhs.cols()), r = rhs, s(rhs.rows(), rhs.cols()),
                  d(rhs.rows(), rhs.cols()), hd(rhs.rows(), rhs.cols());
  preconditioner.apply(r, s);
  d = s;
  double rs = r.cwiseProduct(s).sum();
  const double stop = relative_tolerance * rhs.norm();
  Eigen::Index it = 0;
  for (; it < max_iterations && r.norm() > stop; ++it) {
    hessian.apply(d, hd);
    const double alpha = rs / d.cwiseProduct(hd).sum();
    x += alpha * d;
    r -= alpha * hd;
    preconditioner.apply(r, s);
    const double rs_next = r.cwiseProduct(s).sum();
    d = s + (rs_next / rs) * d;
    rs = rs_next;
  }
  if (iterations) *iterations = it;
  return x;
}

}  // namespace sb::models
