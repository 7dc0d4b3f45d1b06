#include "benchmarks/estimation/lei2018_design.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "estimators/estimation/quantiles.h"

namespace sb::estimation::lei2018 {

double standard_skew_normal(double alpha, Rng& rng) {
  StandardNormal normal;
  const double delta = alpha / std::sqrt(1 + alpha * alpha);
  const double u0 = normal(rng);
  const double u1 = normal(rng);
  const double z = delta * std::abs(u0) + std::sqrt(1 - delta * delta) * u1;
  const double mean = delta * std::sqrt(2 / std::numbers::pi);
  return (z - mean) / std::sqrt(1 - mean * mean);
}

double r_mad(const Eigen::VectorXd& v) {
  const std::vector<double> values(v.data(), v.data() + v.size());
  return 1.4826 * robust::median_absolute_deviation(values, robust::median(values));  // R's constant
}

void autocorrelate(Eigen::MatrixXd& x, int k, const std::function<double()>& uniform) {
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    const Eigen::Index first = std::max<Eigen::Index>(0, j - k);
    const Eigen::Index count = j - first + 1;
    Eigen::VectorXd w(count);
    for (Eigen::Index i = 0; i < count; ++i) w(i) = uniform();
    w /= w.sum();
    // mean over the columns of (w_i x_i): rowMeans(scale(mat, FALSE, 1 / w)).
    x.col(j) = x.middleCols(first, count) * w / static_cast<double>(count);
  }
}

void standardize_columns(Eigen::MatrixXd& x) {
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    x.col(j).array() -= x.col(j).mean();
    const double norm = x.col(j).norm();  // = sd x sqrt(nrow - 1)
    x.col(j) = norm > 0 ? Eigen::VectorXd(x.col(j) / norm) : Eigen::VectorXd::Zero(x.rows());
  }
}

Eigen::MatrixXd bspline_basis(const Eigen::VectorXd& x, int m) {
  constexpr int kOrder = 4;
  std::vector<double> sorted(x.data(), x.data() + x.size());
  std::sort(sorted.begin(), sorted.end());
  const double a = sorted.front(), b = sorted.back();
  std::vector<double> knots(kOrder, a);
  for (int j = 1; j <= m - 3; ++j) knots.push_back(robust::quantile_type7_sorted(sorted, static_cast<double>(j) / (m - 2)));
  knots.insert(knots.end(), kOrder, b);
  const int n_basis = static_cast<int>(knots.size()) - kOrder;  // m + 1, the first dropped below

  Eigen::MatrixXd basis(x.size(), m);
  std::vector<double> value(knots.size());
  for (Eigen::Index r = 0; r < x.size(); ++r) {
    const double t = x(r);
    // Order 1: the indicator of [knots_i, knots_{i+1}); at t = b the last
    // non-empty interval, closed on the right (left-continuity there, as
    // R's splineDesign).
    std::fill(value.begin(), value.end(), 0.0);
    std::size_t span = 0;
    for (std::size_t i = 0; i + 1 < knots.size(); ++i) {
      if (knots[i] < knots[i + 1] && knots[i] <= t && (t < knots[i + 1] || (t == b && knots[i + 1] == b))) span = i;
    }
    value[span] = 1.0;
    // Cox-de Boor recursion up to order 4 (terms over an empty knot span are 0).
    for (int order = 2; order <= kOrder; ++order) {
      for (std::size_t i = 0; i + order < knots.size(); ++i) {
        const double left_span = knots[i + order - 1] - knots[i];
        const double right_span = knots[i + order] - knots[i + 1];
        const double left = left_span > 0 ? (t - knots[i]) / left_span * value[i] : 0.0;
        const double right = right_span > 0 ? (knots[i + order] - t) / right_span * value[i + 1] : 0.0;
        value[i] = left + right;
      }
    }
    for (int j = 1; j < n_basis; ++j) basis(r, j - 1) = value[static_cast<std::size_t>(j)];
  }
  return basis;
}

}  // namespace sb::estimation::lei2018
