// Newton systems of the penalised linear models (penalized_linear.h) too large
// to factor: H = sum_i A_i (x) z_i z_i^T + lambda I, with A_i = diag(p_i) -
// p_i p_i^T (softmax; p_i the row's probabilities) or I (squared), for
// vec(theta) column-major ((p+1) x k, class-major blocks).
//
// - LinearHessianOperator: H V for a (p+1) x k direction V as two GEMMs over
//   all classes at once, Z^T (A (.) (Z V)), by blocks of rows (each block of Z
//   read once from memory for both), with the probabilities computed once per
//   theta and every buffer reused (no allocation per product).
// - KroneckerPreconditioner: M = S (x) G + lambda I, S = sum_i A_i (k x k),
//   G = sum_i w_i z_i z_i^T / sum_i w_i with w_i = tr A_i ((p+1) x (p+1)),
//   inverted through the eigendecompositions of S and G. M = H exactly when
//   every A_i is proportional to one matrix (squared loss; softmax at
//   theta = 0), and it captures the input covariance that makes H
//   ill-conditioned on raw, uncentred features (pixels), which a diagonal
//   preconditioner cannot (the K-FAC factorisation of Martens & Grosse 2015,
//   applied here to an exact Hessian, as a preconditioner).
// - preconditioned_conjugate_gradients: H x = b to ||r|| <= tol ||b||.
#pragma once

#include <Eigen/Dense>

#include "estimators/models/penalized_linear.h"

namespace sb::models {

class LinearHessianOperator {
 public:
  LinearHessianOperator(const PenalizedLinear& model, const Eigen::MatrixXd& z, const Eigen::MatrixXd& theta);

  // out = H v ((p+1) x k); out must not alias v.
  void apply(const Eigen::MatrixXd& v, Eigen::MatrixXd& out);

  // Row probabilities (softmax; empty for squared) and w_i = tr A_i.
  const Eigen::MatrixXd& probabilities() const { return probabilities_; }
  Eigen::VectorXd row_weights() const;
  // S = sum_i A_i (k x k).
  Eigen::MatrixXd class_factor() const;

  const PenalizedLinear& model() const { return model_; }
  const Eigen::MatrixXd& z() const { return z_; }
  Eigen::Index classes() const { return k_; }

 private:
  const PenalizedLinear& model_;
  const Eigen::MatrixXd& z_;
  Eigen::Index k_;
  Eigen::MatrixXd probabilities_, outputs_, weighted_;  // n x k
};

class KroneckerPreconditioner {
 public:
  // Both factors from the operator's theta.
  explicit KroneckerPreconditioner(const LinearHessianOperator& hessian);

  // Refresh S alone from another theta (k x k, cheap), keeping G: refreshing G
  // costs a (p+1)^2 n product and a (p+1) x (p+1) eigendecomposition, and
  // re-weighting it at every Newton iteration saved < 1% of the Hessian
  // products on Fashion-MNIST (docs/PERFORMANCE.md).
  void update_class_factor(const LinearHessianOperator& hessian);

  // out = M^{-1} r; out must not alias r.
  void apply(const Eigen::MatrixXd& r, Eigen::MatrixXd& out);

 private:
  void update_input_factor(const LinearHessianOperator& hessian);

  double lambda_;
  Eigen::MatrixXd input_vectors_, class_vectors_;  // eigenvectors of G, S
  Eigen::VectorXd input_values_, class_values_;
  Eigen::MatrixXd rotated_, half_;                 // buffers
};

// Solves H x = rhs by conjugate gradients preconditioned by M, from zero, until
// ||residual|| <= relative_tolerance ||rhs|| or max_iterations; writes the
// number of iterations taken when asked.
Eigen::MatrixXd preconditioned_conjugate_gradients(LinearHessianOperator& hessian, KroneckerPreconditioner& preconditioner,
                                                   const Eigen::MatrixXd& rhs, double relative_tolerance,
                                                   Eigen::Index max_iterations, Eigen::Index* iterations = nullptr);

}  // namespace sb::models
