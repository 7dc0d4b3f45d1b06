#include "estimators/models/linear.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "estimators/models/expit.h"
#include "harness/core/errors.h"

namespace sb::models {

Eigen::Index first_non_binary(const Eigen::VectorXd& v) {
  Eigen::Index binary = 0;
  for (Eigen::Index i = 0; i < v.size(); ++i) binary += (v(i) == 0.0 || v(i) == 1.0) ? 1 : 0;
  if (binary == v.size()) return -1;
  for (Eigen::Index i = 0; i < v.size(); ++i) {
    if (v(i) != 0.0 && v(i) != 1.0) return i;
  }
  return -1;  // not reached
}

Eigen::MatrixXd add_intercept(const Eigen::MatrixXd& x) {
  Eigen::MatrixXd out(x.rows(), x.cols() + 1);
  out.col(0).setOnes();
  out.rightCols(x.cols()) = x;
  return out;
}

Eigen::MatrixXd select_rows(const Eigen::MatrixXd& x, const std::vector<Eigen::Index>& rows) {
  Eigen::MatrixXd out(static_cast<Eigen::Index>(rows.size()), x.cols());
  for (size_t k = 0; k < rows.size(); ++k) out.row(static_cast<Eigen::Index>(k)) = x.row(rows[k]);
  return out;
}

Eigen::VectorXd select_rows(const Eigen::VectorXd& v, const std::vector<Eigen::Index>& rows) {
  Eigen::VectorXd out(static_cast<Eigen::Index>(rows.size()));
  for (size_t k = 0; k < rows.size(); ++k) out(static_cast<Eigen::Index>(k)) = v(rows[k]);
  return out;
}

namespace {

// Checks a least-squares problem (shapes, finite x and y) and factors
// `design` (x itself, or sqrt(W) x) by column-pivoting QR; a rank below the
// column count throws MethodError.
Eigen::ColPivHouseholderQR<Eigen::MatrixXd> full_rank_qr(const Eigen::MatrixXd& design,
                                                         const Eigen::MatrixXd& x,
                                                         const Eigen::VectorXd& y) {
  const Eigen::Index n = x.rows(), p = x.cols();
  SB_THROW_IF_NOT(MethodError, y.size() == n, "least squares: x has {} rows but y has {}", n,
                  y.size());
  SB_THROW_IF_NOT(MethodError, n >= p && p > 0,
                  "least squares: {} observations for {} coefficients", n, p);
  SB_THROW_IF_NOT(MethodError, x.allFinite() && y.allFinite(),
                  "least squares: non-finite values in x or y ({} x {})", n, p);
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(design);
  SB_THROW_IF_NOT(MethodError, qr.rank() == p,
                  "least squares: design of {} rows x {} columns has rank {} (singular)", n, p,
                  qr.rank());
  return qr;
}

// The fit from the QR factor of sqrt(W) X (of X itself when `w` is null: the
// same numbers as unit weights, without the copies).
LeastSquaresFit fit_least_squares_impl(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                       const Eigen::VectorXd* w, bool with_leverage) {
  const Eigen::Index p = x.cols();
  LeastSquaresFit fit;
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr;
  if (w) {
    // Solve on sqrt(W) X by QR: better conditioned than the normal equations.
    const Eigen::VectorXd sw = w->array().sqrt();
    qr = full_rank_qr(sw.asDiagonal() * x, x, y);
    fit.coef = qr.solve(Eigen::VectorXd(sw.array() * y.array()));
    fit.weights = *w;
  } else {
    qr = full_rank_qr(x, x, y);
    fit.coef = qr.solve(y);
    fit.weights = Eigen::VectorXd::Ones(x.rows());
  }
  fit.fitted = x * fit.coef;
  fit.residuals = y - fit.fitted;
  // (X'WX)^{-1} = P R^{-1} R^{-T} P' from the pivoted QR factor.
  const Eigen::MatrixXd r =
      qr.matrixR().topLeftCorner(p, p).template triangularView<Eigen::Upper>();
  const Eigen::MatrixXd r_inv =
      r.triangularView<Eigen::Upper>().solve(Eigen::MatrixXd::Identity(p, p));
  const Eigen::MatrixXd unpivoted = r_inv * r_inv.transpose();
  fit.xtwx_inverse = qr.colsPermutation() * unpivoted * qr.colsPermutation().transpose();
  if (with_leverage) {
    fit.leverage = leverages(x, fit.xtwx_inverse);
    if (w) fit.leverage.array() *= w->array();
  }
  return fit;
}

}  // namespace

LeastSquaresFit fit_least_squares(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                  bool with_leverage) {
  return fit_least_squares_impl(x, y, nullptr, with_leverage);
}

LeastSquaresFit fit_weighted_least_squares(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                           const Eigen::VectorXd& w) {
  SB_THROW_IF_NOT(MethodError, w.size() == x.rows(), "least squares: x has {} rows but w has {}",
                  x.rows(), w.size());
  SB_THROW_IF_NOT(MethodError, (w.array() > 0).all() && w.allFinite(),
                  "least squares: weights must be positive and finite (min {})", w.minCoeff());
  return fit_least_squares_impl(x, y, &w, true);
}

Eigen::VectorXd leverages(const Eigen::MatrixXd& x, const Eigen::MatrixXd& xtx_inverse) {
  return ((x * xtx_inverse).array() * x.array()).rowwise().sum();
}

Eigen::VectorXd least_squares_coef(const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
  return full_rank_qr(x, x, y).solve(y);
}

Eigen::VectorXd weighted_least_squares_coef(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                            const Eigen::VectorXd& w) {
  const Eigen::VectorXd sw = w.cwiseSqrt();
  return least_squares_coef(sw.asDiagonal() * x, sw.cwiseProduct(y));
}

Eigen::MatrixXd inverse_gram(const Eigen::MatrixXd& x) {
  Eigen::MatrixXd gram = x.transpose() * x;
  Eigen::FullPivLU<Eigen::MatrixXd> lu(gram);
  SB_THROW_IF_NOT(MethodError, lu.isInvertible(), "X^T X ({}x{}) is singular", gram.rows(),
                  gram.cols());
  return lu.inverse();
}

HcType parse_hc_type(const std::string& name) {
  if (name == "HC0") return HcType::kHC0;
  if (name == "HC1") return HcType::kHC1;
  if (name == "HC2") return HcType::kHC2;
  if (name == "HC3") return HcType::kHC3;
  throw InputError("unknown sandwich type '{}' (expected HC0, HC1, HC2 or HC3)", name);
}

Eigen::MatrixXd sandwich_covariance(const Eigen::MatrixXd& x, const LeastSquaresFit& fit,
                                    HcType type) {
  const Eigen::Index n = x.rows(), p = x.cols();
  SB_THROW_IF_NOT(MethodError, fit.residuals.size() == n && fit.coef.size() == p,
                  "sandwich: fit of {} residuals / {} coefficients for a {} x {} design",
                  fit.residuals.size(), fit.coef.size(), n, p);
  SB_THROW_IF_NOT(InternalError,
                  (type != HcType::kHC2 && type != HcType::kHC3) || fit.leverage.size() == n,
                  "sandwich: HC2/HC3 need the fit's leverages (fit_least_squares(..., true))");
  Eigen::VectorXd scale(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double wu = fit.weights(i) * fit.residuals(i);
    double c = 1.0;
    switch (type) {
      case HcType::kHC0: break;
      case HcType::kHC1:
        SB_THROW_IF_NOT(MethodError, n > p, "HC1 needs n > p (n = {}, p = {})", n, p);
        c = static_cast<double>(n) / static_cast<double>(n - p);
        break;
      case HcType::kHC2:
      case HcType::kHC3: {
        const double one_minus_h = 1.0 - fit.leverage(i);
        SB_THROW_IF_NOT(MethodError, one_minus_h > 1e-12,
                        "HC2/HC3: observation {} has leverage {} (1 - h = {})", i,
                        fit.leverage(i), one_minus_h);
        c = type == HcType::kHC2 ? 1.0 / one_minus_h : 1.0 / (one_minus_h * one_minus_h);
        break;
      }
    }
    scale(i) = wu * wu * c;
  }
  const Eigen::MatrixXd meat = x.transpose() * scale.asDiagonal() * x;
  return fit.xtwx_inverse * meat * fit.xtwx_inverse;
}

double expit(double t) {
  // Two branches keep exp() from overflowing for large |t|.
  if (t >= 0) return 1.0 / (1.0 + std::exp(-t));
  const double e = std::exp(t);
  return e / (1.0 + e);
}

Eigen::VectorXd logistic_predict(const Eigen::MatrixXd& x, const Eigen::VectorXd& coef) {
  const Eigen::VectorXd eta = x * coef;
  return eta.unaryExpr([](double t) { return expit(t); });
}

namespace {

void expit_into(const Eigen::ArrayXd& eta, Eigen::ArrayXd& prob) {
  expit_array(eta.data(), prob.data(), eta.size());
}

// sum_i y_i eta_i - log(1 + exp(eta_i)), with log(1 + exp(t)) =
// max(t, 0) + log1p(exp(-|t|)).
double log_likelihood(const Eigen::ArrayXd& eta, const Eigen::ArrayXd& y) {
  double total = 0;
  for (Eigen::Index i = 0; i < eta.size(); ++i) {
    const double t = eta(i);
    total += y(i) * t - (std::max(t, 0.0) + std::log1p(std::exp(-std::abs(t))));
  }
  return total;
}

// A lower bound on l(beta + s) - l(beta) for the logistic log-likelihood l,
// from the slopes of phi(t) = l(beta + t s) at t = 0 and t = 1 and the bound
// |phi''| <= curvature = ||X s||^2 / 4 (as p (1 - p) <= 1/4). l is concave,
// so phi' is non-increasing and phi'(t) >= max(phi'(1), phi'(0) - curvature t).
// A non-negative bound proves a Newton step does not lower the likelihood
// without evaluating it (one log per observation saved at most iterations).
double guaranteed_increase(double slope0, double slope1, double curvature) {
  if (curvature <= 0 || slope0 - slope1 >= curvature) return slope0 - curvature / 2;
  const double crossing = (slope0 - slope1) / curvature;  // in [0, 1)
  return slope0 * crossing - curvature * crossing * crossing / 2 + (1 - crossing) * slope1;
}

// Newton's method converges quadratically near the optimum: the next step is
// about C * step^2, and C ~ step / previous^2 from the last two full steps,
// so the distance left to the optimum is about step^3 / previous^2. When
// that is below the tolerance the confirming iteration (whose step would be
// ~1e-16) is skipped: a sixth of a typical fit. Only trusted once the steps
// are small and shrinking fast; infinity (never converged) otherwise.
double predicted_next_step(double previous, double step) {
  if (previous <= 0 || step > 1e-3 || step > previous / 16) {
    return std::numeric_limits<double>::infinity();
  }
  const double ratio = step / previous;
  return step * ratio * ratio;
}

}  // namespace

LogisticFit fit_logistic(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                         const LogisticOptions& options) {
  const Eigen::Index n = x.rows(), p = x.cols();
  SB_THROW_IF_NOT(MethodError, y.size() == n, "logistic: x has {} rows but y has {}", n, y.size());
  SB_THROW_IF_NOT(MethodError, n >= p && p > 0, "logistic: {} observations for {} coefficients",
                  n, p);
  const Eigen::Index not_binary = first_non_binary(y);
  SB_THROW_IF_NOT(MethodError, not_binary < 0, "logistic: response {} at row {} is not 0/1",
                  y(not_binary), not_binary);
  SB_THROW_IF_NOT(MethodError, x.allFinite(), "logistic: non-finite covariates ({} x {})", n, p);

  // Newton's iterates do not depend on the scale of the columns, but the
  // conditioning of its linear systems does: solve in columns scaled to
  // max |x_ij| = 1 (Kang-Schafer's X4 ~ 400 sits next to an intercept).
  Eigen::VectorXd scale(p);
  for (Eigen::Index j = 0; j < p; ++j) {
    const double largest = x.col(j).cwiseAbs().maxCoeff();
    scale(j) = largest > 0 ? 1.0 / largest : 1.0;
  }
  const Eigen::MatrixXd xs = x * scale.asDiagonal();
  const Eigen::ArrayXd ya = y.array();

  Eigen::VectorXd beta = Eigen::VectorXd::Zero(p);  // coefficients of xs
  Eigen::ArrayXd eta = Eigen::ArrayXd::Zero(n), prob(n), eta_new(n), prob_new(n);
  expit_into(eta, prob);
  Eigen::VectorXd gradient = xs.transpose() * (ya - prob).matrix(), gradient_new(p);
  Eigen::LLT<Eigen::MatrixXd> llt(p);
  double previous_step = 0;  // largest |Newton step| of the last iteration (0: halved or none)
  for (int iter = 1; iter <= options.max_iterations; ++iter) {
    // Newton step: (X' W X) step = X' (y - p), W = diag(p (1 - p)).
    llt.compute(weighted_gram(xs, (prob * (1.0 - prob)).matrix()));
    // The Cholesky diagonal plays the role of QR's R diagonal: a ratio below
    // ~sqrt(machine epsilon) means a numerically singular X' W X.
    const Eigen::VectorXd diag = llt.matrixLLT().diagonal();
    SB_THROW_IF_NOT(MethodError,
                    llt.info() == Eigen::Success && diag.minCoeff() > 1e-7 * diag.maxCoeff(),
                    "logistic: weighted design is rank-deficient at iteration {} "
                    "(collinear covariates or separation)",
                    iter);
    Eigen::VectorXd step = llt.solve(gradient);
    // Step halving whenever the log-likelihood would decrease (Newton can
    // overshoot far from the optimum); the likelihood itself is evaluated
    // only when the slope bound cannot rule a decrease out.
    double loglik = std::numeric_limits<double>::quiet_NaN();
    int halvings = 0;
    for (;; ++halvings) {
      eta_new = (xs * (beta + step)).array();
      expit_into(eta_new, prob_new);
      gradient_new.noalias() = xs.transpose() * (ya - prob_new).matrix();
      if (halvings == 30) break;
      const double bound = guaranteed_increase(gradient.dot(step), gradient_new.dot(step),
                                               (eta_new - eta).matrix().squaredNorm() / 4);
      if (bound >= 0) break;
      if (std::isnan(loglik)) loglik = log_likelihood(eta, ya);
      if (log_likelihood(eta_new, ya) >= loglik - 1e-12 * std::abs(loglik)) break;
      step *= 0.5;
    }
    beta += step;
    eta.swap(eta_new);
    prob.swap(prob_new);
    gradient.swap(gradient_new);
    const double step_size = step.cwiseProduct(scale).cwiseAbs().maxCoeff();
    if (step_size <= options.tolerance ||
        predicted_next_step(previous_step, step_size) <= options.tolerance / 100) {
      LogisticFit fit;
      fit.coef = beta.cwiseProduct(scale);
      fit.probability = prob.matrix();
      fit.iterations = iter;
      return fit;
    }
    previous_step = halvings == 0 ? step_size : 0;
  }
  throw MethodError(
      "logistic: Newton-Raphson did not converge in {} iterations (tolerance {}, "
      "largest |coef| {}); the data may be separable",
      options.max_iterations, options.tolerance, beta.cwiseProduct(scale).cwiseAbs().maxCoeff());
}

}  // namespace sb::models
