// Shared linear base learners: ordinary / weighted least squares with
// heteroskedasticity-consistent (HC0-HC3) sandwich covariances, and logistic
// regression fitted by Newton-Raphson (IRLS). Callers add intercept columns
// themselves (add_intercept) so that designs are explicit.
#pragma once

#include <Eigen/Dense>

#include <string>
#include <vector>

namespace sb::models {

// [1, x]: a column of ones prepended to x (n x d -> n x (d+1)).
Eigen::MatrixXd add_intercept(const Eigen::MatrixXd& x);

// Rows `rows` of x / entries of v, in the given order.
Eigen::MatrixXd select_rows(const Eigen::MatrixXd& x, const std::vector<Eigen::Index>& rows);
Eigen::VectorXd select_rows(const Eigen::VectorXd& v, const std::vector<Eigen::Index>& rows);

// Index of the first entry of v that is neither 0 nor 1, or -1 when all are.
// The common all-binary case is one pass without branches on the values
// (random 0/1 data would mispredict half of them).
Eigen::Index first_non_binary(const Eigen::VectorXd& v);

struct LeastSquaresFit {
  Eigen::VectorXd coef;          // p
  Eigen::VectorXd fitted;        // n, x * coef
  Eigen::VectorXd residuals;     // n, y - fitted
  Eigen::VectorXd weights;       // n (all ones for OLS)
  Eigen::MatrixXd xtwx_inverse;  // p x p, (X' W X)^{-1}: the sandwich's bread
  Eigen::VectorXd leverage;      // n, h_ii = w_i x_i' (X'WX)^{-1} x_i (empty when not asked for)
};

// Minimises sum_i w_i (y_i - x_i' b)^2 (x: n x p, y: n, w: n, w_i > 0).
// Throws MethodError when x does not have full column rank (e.g. an arm with
// fewer observations than columns) or shapes disagree. fit_least_squares is
// the unit-weight case (the same numbers); leverages (needed by HC2/HC3
// sandwiches, an n x p x p product) only when asked for.
LeastSquaresFit fit_least_squares(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                  bool with_leverage = true);
LeastSquaresFit fit_weighted_least_squares(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                           const Eigen::VectorXd& w);

// x_i' G x_i for every row of x (G p x p): with G = (X'X)^-1 the leverages
// of X's rows (h_ii), or of new points' rows (the prediction variance factor).
Eigen::VectorXd leverages(const Eigen::MatrixXd& x, const Eigen::MatrixXd& xtx_inverse);

// The coefficients alone of the least-squares fit of y on x (no covariance,
// no leverages): for plug-in predictions. Same checks as fit_least_squares.
Eigen::VectorXd least_squares_coef(const Eigen::MatrixXd& x, const Eigen::VectorXd& y);
// The same for weights w_i >= 0: least_squares_coef of sqrt(w) x on sqrt(w) y.
Eigen::VectorXd weighted_least_squares_coef(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                            const Eigen::VectorXd& w);
// (X^T X)^{-1} by a full-pivoting LU; throws MethodError when singular.
Eigen::MatrixXd inverse_gram(const Eigen::MatrixXd& x);

// White (HC0) and MacKinnon-White (HC1-HC3) sandwich covariance of coef:
//   (X'WX)^{-1} [sum_i w_i^2 u_i^2 x_i x_i' * c_i] (X'WX)^{-1},
//   c_i = 1 (HC0), n/(n-p) (HC1), 1/(1-h_ii) (HC2), 1/(1-h_ii)^2 (HC3).
enum class HcType { kHC0, kHC1, kHC2, kHC3 };
// "HC0".."HC3" (case-sensitive); throws InputError otherwise.
HcType parse_hc_type(const std::string& name);
Eigen::MatrixXd sandwich_covariance(const Eigen::MatrixXd& x, const LeastSquaresFit& fit,
                                    HcType type);

// X' diag(w) X (x: n x p, w: n).
Eigen::MatrixXd weighted_gram(const Eigen::MatrixXd& x, const Eigen::VectorXd& w);

double expit(double t);

struct LogisticOptions {
  // Converged when the largest absolute Newton step of any coefficient is
  // <= tolerance, or when the last two full steps show quadratic convergence
  // that puts the next one below tolerance / 100 (the distance left to the
  // optimum); no convergence within max_iterations (typically complete
  // separation, where the MLE does not exist) throws MethodError.
  double tolerance = 1e-10;
  int max_iterations = 100;
};

struct LogisticFit {
  Eigen::VectorXd coef;         // p
  Eigen::VectorXd probability;  // n, expit(x * coef)
  int iterations = 0;
};

// Maximum-likelihood logistic regression of y (0/1) on x (n x p; include an
// intercept column yourself) by Newton-Raphson: each step solves X'WX s = X'(y - p)
// by Cholesky on column-scaled covariates, halving the step whenever the
// log-likelihood would decrease (the same iterates as a QR-based IRLS, at a
// fraction of the cost); a numerically singular X'WX (collinear
// covariates, separation) throws MethodError.
LogisticFit fit_logistic(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                         const LogisticOptions& options = {});
Eigen::VectorXd logistic_predict(const Eigen::MatrixXd& x, const Eigen::VectorXd& coef);

}  // namespace sb::models
