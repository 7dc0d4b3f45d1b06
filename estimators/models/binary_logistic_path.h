// Two-class L2 logistic regression refitted on a growing set of rows (the
// prefixes of a permutation, as permutation-sampled Data Shapley walks them).
//
// The model is softmax regression (softmax_regression.h) on two classes,
// penalty (l2/2)(||W_0||^2 + ||W_1||^2), bias unpenalised, written in its
// reduced form: with w = W_1 - W_0 and b = b_1 - b_0 the mean cross-entropy
// is the mean logistic loss of u = w.x + b, and for a given w the penalty is
// smallest at W_1 = -W_0 = w/2, where it is (l2/4)||w||^2. So
//   F(w, b) = (1/m) sum_i [log(1 + e^u_i) - t_i u_i] + (l2/4)||w||^2,
// t_i = 1 for the higher class; and at (W_1, W_0) = (w/2, -w/2), b_1 - b_0 = b
// the softmax gradient's entries are +-those of grad F, so max |grad F| <=
// tolerance is the softmax fit's stopping rule, met at the same optimum.
//
// Each add() refits from the previous optimum by Newton's method: a full
// step when it at least halves the largest gradient entry, else a
// backtracking (Armijo) line search on F. The Hessian (1/m) sum_i s_i z_i z_i^T +
// (l2/2) diag(1..1, 0), z_i = [x_i; 1], s_i = sigma(u_i)(1 - sigma(u_i)), is
// kept as a running sum whose weights s_i are refreshed only for rows whose
// curvature has moved by more than a set fraction: any positive definite
// matrix gives a descent direction, the line search keeps every step a
// decrease, and convergence is judged on the exact gradient, so a stale
// weight costs at most an extra iteration, never accuracy. The gradient is
// kept as a running sum too (one O(p) update per added row), so a refit costs
// O(m p) per Newton iteration, one (p+1) x (p+1) Cholesky factorisation, and
// no allocation.
#pragma once

#include <Eigen/Dense>

namespace sb::models {

class BinaryLogisticPath {
 public:
  // x: the candidate rows (n x p); positive: n entries, 1 = the higher
  // class. Both are referenced, not copied (they must outlive the path).
  BinaryLogisticPath(const Eigen::MatrixXd& x, const Eigen::VectorXi& positive, double l2, double tolerance);

  // Back to the empty set (w = 0, b = 0).
  void clear();
  // Adds candidate row `row` to the set and refits when both classes are
  // present (from w = 0, b = 0 the first time, else from the last optimum).
  // Returns false when Newton's method did not reach the tolerance within
  // max_iterations (the parameters are then the last iterate: call set() with
  // another solver's answer).
  bool add(Eigen::Index row);
  // Replaces the parameters (e.g. by another solver's fit of the same rows)
  // and recomputes the margins, gradient and curvature at them.
  void set(const Eigen::VectorXd& weight, double bias);

  Eigen::Index size() const { return m_; }
  bool both_classes() const { return positives_ > 0 && positives_ < m_; }
  // The label of every row when only one class is present (size() > 0).
  int only_class() const { return positives_ > 0 ? 1 : 0; }
  // w (p) and b; the higher class is predicted where w.x + b > 0.
  Eigen::Ref<const Eigen::VectorXd> weight() const { return theta_.head(p_); }
  double bias() const { return theta_(p_); }
  double gradient_max() const { return gradient_.cwiseAbs().maxCoeff(); }
  // Newton iterations of the last add() and over the path's life.
  int last_iterations() const { return last_iterations_; }
  long total_iterations() const { return total_iterations_; }

  int max_iterations = 100;
  // A row's curvature weight is refreshed when it is off by more than this
  // fraction of itself.
  double curvature_refresh = 0.25;

 private:
  void start_fit();  // both classes just appeared: the state at w = 0, b = 0
  void recompute();  // margins, sigmoids, gradient and curvature at theta
  bool newton();
  bool factor();  // the Cholesky factor of hessian_sum / m + penalty
  void solve(Eigen::VectorXd& x) const;  // x <- (factor factor^T)^-1 x
  // The gradient at theta given the sigmoids there (uses r_).
  void gradient_at(const Eigen::VectorXd& theta, const Eigen::VectorXd& sigma, Eigen::VectorXd& residual_sum,
                   Eigen::VectorXd& gradient);
  // F at theta given its margins u and e = exp(-|u|); writes the loss sum.
  double objective(const Eigen::VectorXd& theta, const Eigen::VectorXd& u, const Eigen::VectorXd& e,
                   double& loss_sum) const;
  // theta_trial = theta + alpha step, its margins u + alpha v and sigmoids.
  void trial(double alpha);
  void refresh_curvature(bool all);

  const Eigen::MatrixXd* x_;
  const Eigen::VectorXi* positive_;
  Eigen::Index p_;
  double half_l2_;  // the reduced penalty's coefficient: F has (half_l2 / 2)||w||^2
  double tolerance_;
  Eigen::Index m_ = 0, positives_ = 0;
  Eigen::MatrixXd z_;           // (p+1) x n: column i = [x_row; 1] of the i-th added row
  Eigen::VectorXd t_;           // labels of the added rows, 0/1
  Eigen::VectorXd u_, sigma_, e_;  // margins, sigmoids and exp(-|margin|) at theta
  Eigen::VectorXd curvature_;   // the weight s_i each row has in hessian_sum_
  Eigen::VectorXd theta_;       // [w; b]
  Eigen::VectorXd residual_sum_;  // sum_i (sigma_i - t_i) z_i
  Eigen::VectorXd gradient_;
  // The loss sum at theta, computed only when a line search needs it.
  bool loss_known_ = false;
  double loss_sum_ = 0;
  Eigen::MatrixXd hessian_sum_;  // sum_i curvature_i z_i z_i^T (lower triangle)
  Eigen::MatrixXd refresh_;      // (p+1) x n: the scaled rows of a curvature refresh
  Eigen::MatrixXd system_;
  Eigen::LLT<Eigen::MatrixXd> cholesky_;
  Eigen::VectorXd step_, v_, r_;  // the Newton step, Z^T step, residuals
  Eigen::VectorXd theta_trial_, u_trial_, sigma_trial_, e_trial_, residual_sum_trial_, gradient_trial_;
  int last_iterations_ = 0;
  long total_iterations_ = 0;
};

}  // namespace sb::models
