#include "estimators/estimation/quantiles.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "estimators/estimation/robust_common.h"
#include "estimators/models/linear.h"
#include "harness/core/errors.h"
#include "harness/stats/distributions.h"

namespace sb::estimation::robust {

double median(std::vector<double> v) {
  SB_THROW_IF_NOT(MethodError, !v.empty(), "median of an empty sample");
  const std::size_t n = v.size();
  auto mid = v.begin() + static_cast<std::ptrdiff_t>(n / 2);
  std::nth_element(v.begin(), mid, v.end());
  const double upper = *mid;
  if (n % 2 == 1) return upper;
  const double lower = *std::max_element(v.begin(), mid);
  return 0.5 * (lower + upper);
}

double order_statistic(std::vector<double> v, std::size_t k) {
  SB_THROW_IF_NOT(MethodError, k >= 1 && k <= v.size(), "order statistic k={} of n={}", k,
                  v.size());
  auto it = v.begin() + static_cast<std::ptrdiff_t>(k - 1);
  std::nth_element(v.begin(), it, v.end());
  return *it;
}

double quantile_type7(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return quantile_type7_sorted(v, p);
}

double quantile_type7_sorted(const std::vector<double>& sorted, double p) {
  SB_THROW_IF_NOT(MethodError, !sorted.empty(), "quantile of an empty sample");
  SB_THROW_IF_NOT(MethodError, p >= 0 && p <= 1, "quantile level p={} outside [0, 1]", p);
  const double h = (static_cast<double>(sorted.size()) - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

double median_absolute_deviation(const std::vector<double>& v, double center) {
  std::vector<double> dev(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) dev[i] = std::abs(v[i] - center);
  return median(std::move(dev));
}

double z975() {
  static const double z = stats::normal_quantile(0.975);
  return z;
}

double check_loss(const Eigen::VectorXd& residuals, double tau) {
  double total = 0;
  for (Eigen::Index i = 0; i < residuals.size(); ++i) {
    const double r = residuals(i);
    total += r * (tau - (r < 0 ? 1.0 : 0.0));
  }
  return total;
}

namespace {

// Greedy start: the points with the smallest least-squares residuals that
// give a nonsingular p x p system.
std::vector<Eigen::Index> initial_basis(const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
  const Eigen::Index n = x.rows(), p = x.cols();
  const Eigen::VectorXd r = y - x * models::least_squares_coef(x, y);
  std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](Eigen::Index a, Eigen::Index b) { return std::abs(r(a)) < std::abs(r(b)); });
  std::vector<Eigen::Index> basis;
  for (Eigen::Index i : order) {
    basis.push_back(i);
    Eigen::FullPivLU<Eigen::MatrixXd> lu(models::select_rows(x, basis));
    if (lu.rank() < static_cast<Eigen::Index>(basis.size())) basis.pop_back();
    if (static_cast<Eigen::Index>(basis.size()) == p) return basis;
  }
  throw MethodError("quantile regression: design matrix has rank {} < {} columns", basis.size(),
                    p);
}

}  // namespace

QuantileFit quantile_regression(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, double tau) {
  SB_THROW_IF_NOT(MethodError, tau > 0 && tau < 1, "quantile level tau={} outside (0, 1)", tau);
  SB_THROW_IF_NOT(MethodError, x.rows() == y.size() && x.cols() >= 1,
                  "x is {}x{} but y has {} entries", x.rows(), x.cols(), y.size());
  const Eigen::Index n = x.rows(), p = x.cols();
  QuantileFit fit;
  fit.basis = initial_basis(x, y);
  const double zero_tol = 1e-12 * (1.0 + y.cwiseAbs().maxCoeff());
  const int max_iterations = 50 * static_cast<int>(n) + 1000;
  std::vector<char> in_basis(static_cast<std::size_t>(n));
  struct Breakpoint {
    double t;
    double weight;
    Eigen::Index row;
  };
  std::vector<Breakpoint> breaks;
  for (fit.iterations = 0; fit.iterations < max_iterations; ++fit.iterations) {
    Eigen::FullPivLU<Eigen::MatrixXd> lu(models::select_rows(x, fit.basis));
    SB_THROW_IF_NOT(MethodError, lu.isInvertible(), "quantile regression: singular basis");
    fit.coef = lu.solve(models::select_rows(y, fit.basis));
    Eigen::VectorXd r = y - x * fit.coef;
    std::fill(in_basis.begin(), in_basis.end(), 0);
    for (Eigen::Index h : fit.basis) {
      in_basis[static_cast<std::size_t>(h)] = 1;
      r(h) = 0;
    }
    // Edge directions: column j of the inverse moves basis point j's residual
    // and keeps the other basis residuals at zero; g(i, j) = x_i^T delta_j.
    const Eigen::MatrixXd g = x * lu.inverse();
    double best_slope = 0;
    Eigen::Index best_j = -1;
    double best_sign = 0;
    for (Eigen::Index j = 0; j < p; ++j) {
      for (double sign : {1.0, -1.0}) {
        // Directional derivative at t = 0+ of the check loss along sign*delta_j.
        double slope = sign > 0 ? (1 - tau) : tau;  // the leaving basis point
        for (Eigen::Index i = 0; i < n; ++i) {
          if (in_basis[static_cast<std::size_t>(i)]) continue;
          const double gi = sign * g(i, j);
          if (std::abs(r(i)) <= zero_tol) {
            slope += gi < 0 ? -tau * gi : (1 - tau) * gi;
          } else {
            slope -= gi * (r(i) > 0 ? tau : tau - 1);
          }
        }
        if (slope < best_slope) {
          best_slope = slope;
          best_j = j;
          best_sign = sign;
        }
      }
    }
    if (best_j < 0 || best_slope >= -1e-12 * static_cast<double>(n)) break;
    // Line search: the loss along the edge is convex piecewise linear; each
    // residual crossing zero raises the slope by |g_i|.
    breaks.clear();
    for (Eigen::Index i = 0; i < n; ++i) {
      if (in_basis[static_cast<std::size_t>(i)] || std::abs(r(i)) <= zero_tol) continue;
      const double gi = best_sign * g(i, best_j);
      if (gi == 0) continue;
      const double t = r(i) / gi;
      if (t > 0) breaks.push_back({t, std::abs(gi), i});
    }
    std::sort(breaks.begin(), breaks.end(), [](const Breakpoint& a, const Breakpoint& b) {
      return a.t < b.t || (a.t == b.t && a.row < b.row);
    });
    double slope = best_slope;
    Eigen::Index entering = -1;
    for (const auto& b : breaks) {
      slope += b.weight;
      if (slope >= 0) {
        entering = b.row;
        break;
      }
    }
    if (entering < 0) throw InternalError("quantile regression: unbounded descent edge");
    fit.basis[static_cast<std::size_t>(best_j)] = entering;
  }
  SB_THROW_IF_NOT(MethodError, fit.iterations < max_iterations,
                  "quantile regression did not converge in {} iterations (n={}, p={})",
                  max_iterations, n, p);
  fit.objective = check_loss(y - x * fit.coef, tau);
  return fit;
}

double quantile_regression_iid_se(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                  const Eigen::VectorXd& coef, double tau, Eigen::Index j) {
  const double n = static_cast<double>(x.rows());
  const double z = z975();
  const double q = stats::normal_quantile(tau);
  const double dens = std::exp(-0.5 * q * q) / std::sqrt(2 * M_PI);
  const double h = std::pow(n, -1.0 / 3) * std::pow(z, 2.0 / 3) *
                   std::pow(1.5 * dens * dens / (2 * q * q + 1), 1.0 / 3);
  const double lo = std::max(tau - h, 1.0 / n), hi = std::min(tau + h, 1 - 1.0 / n);
  if (!(hi > lo)) return std::numeric_limits<double>::quiet_NaN();
  const Eigen::VectorXd r = y - x * coef;
  std::vector<double> res(r.data(), r.data() + r.size());
  const double sparsity = (quantile_type7(res, hi) - quantile_type7(res, lo)) / (hi - lo);
  const double var = tau * (1 - tau) * sparsity * sparsity * models::inverse_gram(x)(j, j);
  return std::sqrt(var);
}

Estimate quantile_regression_estimate(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, double tau) {
  Estimate est;
  est.value = quantile_regression(x, y, tau).coef;
  set_normal_ci(est, est.value(0), quantile_regression_iid_se(x, y, est.value, tau, 0));
  return est;
}

}  // namespace sb::estimation::robust
