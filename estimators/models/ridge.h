// Ridge regression in closed form, with exact leave-one-out predictions.
#pragma once

#include <Eigen/Dense>

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

}  // namespace sb::models
