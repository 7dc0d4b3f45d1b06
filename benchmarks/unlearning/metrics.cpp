#include "benchmarks/unlearning/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "harness/core/errors.h"

namespace sb::unlearning {

double mean_squared_error(const Eigen::VectorXd& predictions, const Eigen::VectorXd& targets) {
  SB_THROW_IF_NOT(InternalError, predictions.size() == targets.size(), "mean_squared_error: {} predictions, {} targets",
                  predictions.size(), targets.size());
  if (targets.size() == 0) return std::numeric_limits<double>::quiet_NaN();
  return (predictions - targets).squaredNorm() / static_cast<double>(targets.size());
}

double accuracy(const Eigen::MatrixXd& predictions, const Eigen::VectorXi& y) {
  SB_THROW_IF_NOT(InternalError, predictions.rows() == y.size(), "accuracy: {} rows, {} labels", predictions.rows(),
                  y.size());
  if (y.size() == 0) return std::numeric_limits<double>::quiet_NaN();
  Eigen::Index hits = 0;
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    Eigen::Index best = 0;
    for (Eigen::Index c = 1; c < predictions.cols(); ++c)
      if (predictions(i, c) > predictions(i, best)) best = c;
    hits += best == y(i);
  }
  return static_cast<double>(hits) / static_cast<double>(y.size());
}

double membership_auroc(const std::vector<double>& forget, const std::vector<double>& heldout) {
  if (forget.empty() || heldout.empty()) return std::numeric_limits<double>::quiet_NaN();
  // Rank-based: sort the held-out losses, count those above / equal to each forget loss.
  std::vector<double> sorted = heldout;
  std::sort(sorted.begin(), sorted.end());
  double wins = 0;
  for (double f : forget) {
    const auto lower = std::lower_bound(sorted.begin(), sorted.end(), f);
    const auto upper = std::upper_bound(sorted.begin(), sorted.end(), f);
    wins += static_cast<double>(sorted.end() - upper) + 0.5 * static_cast<double>(upper - lower);
  }
  return wins / (static_cast<double>(forget.size()) * static_cast<double>(heldout.size()));
}

double privleak(double auc_unlearned, double auc_retrain) {
  return (auc_unlearned - auc_retrain) / (auc_retrain + 1e-10) * 100.0;
}

double mean_kl(const Eigen::MatrixXd& reference, const Eigen::MatrixXd& predicted, bool gaussian) {
  SB_THROW_IF_NOT(InternalError, reference.rows() == predicted.rows() && reference.cols() == predicted.cols(),
                  "mean_kl: shapes {}x{} and {}x{}", reference.rows(), reference.cols(), predicted.rows(),
                  predicted.cols());
  if (reference.rows() == 0) return std::numeric_limits<double>::quiet_NaN();
  double total = 0;
  if (gaussian) {
    total = 0.5 * (reference - predicted).squaredNorm();
  } else {
    for (Eigen::Index i = 0; i < reference.rows(); ++i) {
      for (Eigen::Index c = 0; c < reference.cols(); ++c) {
        const double p = reference(i, c), q = predicted(i, c);
        if (p > 0) total += q > 0 ? p * std::log(p / q) : std::numeric_limits<double>::infinity();
      }
    }
  }
  return total / static_cast<double>(reference.rows());
}

double relative_l2(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  const double norm = b.norm();
  return norm > 0 ? (a - b).norm() / norm : std::numeric_limits<double>::quiet_NaN();
}

namespace {

// sup |F_a - F_b| as an integer multiple of 1 / (n m): max |i m - j n| over the merged order.
std::int64_t ks_lattice_statistic(std::vector<double> a, std::vector<double> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  const auto n = static_cast<std::int64_t>(a.size()), m = static_cast<std::int64_t>(b.size());
  std::int64_t i = 0, j = 0, best = 0;
  while (i < n || j < m) {
    // Advance past every copy of the next smallest value in both samples (ties move together).
    const double v = j >= m || (i < n && a[static_cast<size_t>(i)] <= b[static_cast<size_t>(j)])
                         ? a[static_cast<size_t>(i)]
                         : b[static_cast<size_t>(j)];
    while (i < n && a[static_cast<size_t>(i)] == v) ++i;
    while (j < m && b[static_cast<size_t>(j)] == v) ++j;
    best = std::max(best, std::abs(i * m - j * n));
  }
  return best;
}

}  // namespace

double ks_statistic(std::vector<double> a, std::vector<double> b) {
  SB_THROW_IF_NOT(InternalError, !a.empty() && !b.empty(), "ks_statistic: empty sample");
  const double nm = static_cast<double>(a.size()) * static_cast<double>(b.size());
  return static_cast<double>(ks_lattice_statistic(std::move(a), std::move(b))) / nm;
}

double kolmogorov_survival(double t) {
  if (t <= 0) return 1.0;
  if (t < 0.2) return 1.0;  // 1 - Q < 1e-20 there
  double sum = 0;
  for (int k = 1; k <= 100; ++k) {
    const double term = std::exp(-2.0 * k * k * t * t);
    sum += (k % 2 ? term : -term);
    if (term < 1e-17) break;
  }
  return std::clamp(2.0 * sum, 0.0, 1.0);
}

double ks_pvalue(const std::vector<double>& a, const std::vector<double>& b) {
  SB_THROW_IF_NOT(InternalError, !a.empty() && !b.empty(), "ks_pvalue: empty sample");
  const auto n = static_cast<std::int64_t>(a.size()), m = static_cast<std::int64_t>(b.size());
  const std::int64_t d = ks_lattice_statistic(a, b);
  if (d == 0) return 1.0;
  if (static_cast<double>(n) * static_cast<double>(m) > 1e7) {
    const double e = static_cast<double>(n) * static_cast<double>(m) / static_cast<double>(n + m);
    const double statistic = static_cast<double>(d) / (static_cast<double>(n) * static_cast<double>(m));
    return kolmogorov_survival((std::sqrt(e) + 0.12 + 0.11 / std::sqrt(e)) * statistic);
  }
  // A uniformly random interleaving of the two samples is a lattice path
  // from (0, 0) to (n, m); it steps to (i+1, j) with probability
  // (n-i)/(n+m-i-j). Sum the probability of first leaving |i m - j n| < d.
  std::vector<double> row(static_cast<size_t>(m + 1), 0.0), next(static_cast<size_t>(m + 1));
  row[0] = 1.0;
  double outside = 0;
  for (std::int64_t i = 0; i <= n; ++i) {
    std::fill(next.begin(), next.end(), 0.0);
    for (std::int64_t j = 0; j <= m; ++j) {
      const double mass = row[static_cast<size_t>(j)];
      if (mass == 0) continue;
      const double left = static_cast<double>(n - i + m - j);
      if (left == 0) continue;
      if (i < n) {  // to (i+1, j)
        const double p = mass * static_cast<double>(n - i) / left;
        if (std::abs((i + 1) * m - j * n) >= d) outside += p;
        else next[static_cast<size_t>(j)] += p;
      }
      if (j < m) {  // to (i, j+1), handled within this row
        const double p = mass * static_cast<double>(m - j) / left;
        if (std::abs(i * m - (j + 1) * n) >= d) outside += p;
        else row[static_cast<size_t>(j + 1)] += p;
      }
    }
    std::swap(row, next);
  }
  return std::clamp(outside, 0.0, 1.0);
}

}  // namespace sb::unlearning
