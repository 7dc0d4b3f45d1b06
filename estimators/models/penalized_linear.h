// Linear models on z = [x, 1] with the L2 penalty on every parameter (the
// intercept included), as sums over examples:
//   L_S(theta) = sum_{i in S} loss_i(theta) + (lambda/2) ||theta||_F^2,
// theta: (p+1) x k (column c = class c's weights, last row its intercept).
//   softmax: loss_i = -log softmax(z_i theta)_{y_i}       (multinomial logistic)
//   squared: loss_i = (1/2) ||z_i theta - e_{y_i}||^2    (one-hot ridge)
// The penalty does not depend on the number of examples, so removing examples
// removes terms of the sum and nothing else (what exact unlearning needs), and
// penalising the intercepts keeps the optimum unique and finite even when S
// lacks a class (an unpenalised intercept would run to -infinity).
#pragma once

#include <Eigen/Dense>

namespace sb::models {

enum class LinearLoss { kSoftmax, kSquared };

struct PenalizedLinear {
  LinearLoss loss = LinearLoss::kSoftmax;
  double lambda = 1.0;        // > 0
  double tolerance = 1e-10;   // fit: stop when max |gradient| / max(1, rows) <= this
  int max_iterations = 100;   // Newton iterations
};

// [x, 1] (n x (p+1)).
Eigen::MatrixXd augment(const Eigen::MatrixXd& x);

// Per-example losses (n) of z (n x (p+1)), labels y (n, in [0, k)), theta.
Eigen::VectorXd example_losses(const PenalizedLinear& model, const Eigen::MatrixXd& z, const Eigen::VectorXi& y,
                               const Eigen::MatrixXd& theta);

// L_S(theta) over the rows of z; writes its gradient ((p+1) x k) when non-null.
// penalty = false: the sum of losses alone (no (lambda/2)||theta||^2 term).
double linear_objective(const PenalizedLinear& model, const Eigen::MatrixXd& z, const Eigen::VectorXi& y,
                        const Eigen::MatrixXd& theta, Eigen::MatrixXd* gradient, bool penalty = true);

// Hessian of L_S at theta times v ((p+1) x k), without forming the Hessian.
Eigen::MatrixXd linear_hessian_vector(const PenalizedLinear& model, const Eigen::MatrixXd& z,
                                      const Eigen::MatrixXd& theta, const Eigen::MatrixXd& v);

// The Hessian of L_S at theta, (p+1)k x (p+1)k, for vec(theta) column-major.
Eigen::MatrixXd linear_hessian(const PenalizedLinear& model, const Eigen::MatrixXd& z, const Eigen::MatrixXd& theta);

// The diagonal of that Hessian, (p+1) x k (the Jacobi preconditioner).
Eigen::MatrixXd linear_hessian_diagonal(const PenalizedLinear& model, const Eigen::MatrixXd& z,
                                        const Eigen::MatrixXd& theta);

// H^{-1} rhs for the Hessian of L_S at theta: Cholesky of the formed Hessian
// when (p+1)k <= 3000, else conjugate gradients on Hessian-vector products,
// preconditioned by a Kronecker factorisation of the Hessian
// (linear_hessian.h), to ||residual|| <= relative_tolerance ||rhs||.
Eigen::MatrixXd solve_linear_hessian(const PenalizedLinear& model, const Eigen::MatrixXd& z,
                                     const Eigen::MatrixXd& theta, const Eigen::MatrixXd& rhs,
                                     double relative_tolerance = 1e-12);

// The unique minimiser of L_S(theta) + <linear_term, theta> (linear_term may be
// empty: none), by Newton's method from `start` (empty: zero) with
// backtracking line search (squared loss: one exact step). Where the Newton
// systems are solved by conjugate gradients (Kronecker-preconditioned, the
// preconditioner's input factor computed once per fit), they are solved
// inexactly, to a relative residual min(0.1, cbrt(max |gradient| / rows)),
// floored at what the tolerance needs (a truncated Newton method:
// superlinear convergence at a fraction of the CG steps). Throws MethodError
// when it does not reach model.tolerance. `trace`, when given, counts the
// Newton iterations and Hessian-vector products.
struct LinearFitTrace {
  int newton_iterations = 0;
  long cg_iterations = 0;  // Hessian-vector products (conjugate-gradient path only)
};
Eigen::MatrixXd fit_linear(const PenalizedLinear& model, const Eigen::MatrixXd& z, const Eigen::VectorXi& y,
                           int num_classes, const Eigen::MatrixXd& start = {},
                           const Eigen::MatrixXd& linear_term = {}, LinearFitTrace* trace = nullptr);

// Row-wise predictions: softmax probabilities (softmax) or the outputs
// z theta (squared), n x k.
Eigen::MatrixXd linear_predictions(const PenalizedLinear& model, const Eigen::MatrixXd& z,
                                   const Eigen::MatrixXd& theta);

}  // namespace sb::models
