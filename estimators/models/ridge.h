// Ridge regression in closed form, with exact leave-one-out predictions.
#pragma once

#include <Eigen/Dense>

#include <vector>

namespace sb::models {

// Minimises ||y - X b - c||^2 + lambda ||b||^2 over b (p) and an unpenalised
// intercept c (x: n x p, y: n, lambda > 0, or lambda >= 0 with X centred of
// full column rank). Solved on centred data: b = (Xc^T Xc + lambda I)^{-1} Xc^T yc.
struct RidgeFit {
  Eigen::VectorXd coef;  // p
  double intercept = 0;
  Eigen::VectorXd predict(const Eigen::MatrixXd& x) const {
    return (x * coef).array() + intercept;
  }
};
RidgeFit fit_ridge(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, double lambda);

// The prediction for row i of the ridge fit on all rows but i, for every i,
// without refitting: with Z = [1, X], P = diag(0, lambda I) and hat matrix
// H = Z (Z^T Z + P)^{-1} Z^T,  yhat_{-i}(x_i) = y_i - (y_i - yhat_i) / (1 - H_ii)
// (Sherman-Morrison; exact for any penalty that does not depend on n).
Eigen::VectorXd ridge_loo_predictions(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                      double lambda);

// Ridge on Z = [1, X] with penalty P = diag(0, lambda I), factored once:
// A = Z^T Z + P, theta = A^{-1} Z^T y = [intercept, coef]. Rows are removed
// without refitting by the Woodbury identity (a rank-k downdate, lambda
// unchanged): theta_{-S} = theta - A^{-1} Z_S^T (I - Z_S A^{-1} Z_S^T)^{-1} r_S,
// r_S = y_S - Z_S theta (k = 1: Sherman-Morrison).
class RidgeSystem {
 public:
  RidgeSystem(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, double lambda);
  const Eigen::VectorXd& theta() const { return theta_; }
  // [1, x_i] for row i, and its residual y_i - z_i^T theta.
  Eigen::VectorXd z(Eigen::Index row) const;
  double residual(Eigen::Index row) const { return residual_(row); }
  // A^{-1} v (v of size p + 1).
  Eigen::VectorXd solve(const Eigen::VectorXd& v) const { return ldlt_.solve(v); }
  // The parameters fitted without `rows` (distinct indices; throws
  // MethodError when removing them leaves the system singular).
  Eigen::VectorXd without(const std::vector<Eigen::Index>& rows) const;

 private:
  Eigen::MatrixXd x_;
  Eigen::VectorXd y_, theta_, residual_;
  Eigen::LDLT<Eigen::MatrixXd> ldlt_;
};

}  // namespace sb::models
