#include "benchmarks/unlearning/mia_svc.h"

#include <cmath>
#include <limits>

#include "harness/core/errors.h"

namespace sb::unlearning {

std::vector<double> prediction_entropies(const Eigen::MatrixXd& p) {
  std::vector<double> out(static_cast<size_t>(p.rows()), 0.0);
  for (Eigen::Index i = 0; i < p.rows(); ++i)
    for (Eigen::Index c = 0; c < p.cols(); ++c)
      if (p(i, c) > 0) out[static_cast<size_t>(i)] -= p(i, c) * std::log(p(i, c));
  return out;
}

void RbfSvc::fit(const std::vector<double>& x, const std::vector<bool>& positive) {
  const size_t n = x.size();
  SB_THROW_IF_NOT(InputError, positive.size() == n, "RbfSvc: {} features, {} labels", n, positive.size());
  std::vector<double> y(n), alpha(n, 0.0), gradient(n, -1.0);  // G = Q a - 1 at a = 0
  size_t count_positive = 0;
  for (size_t i = 0; i < n; ++i) y[i] = positive[i] ? 1.0 : -1.0, count_positive += positive[i];
  SB_THROW_IF_NOT(InputError, count_positive > 0 && count_positive < n, "RbfSvc: both classes are needed");
  auto kernel = [&](size_t a, size_t b) { return std::exp(-gamma_ * (x[a] - x[b]) * (x[a] - x[b])); };
  // I_up: y_t a_t can increase; I_low: it can decrease.
  auto in_up = [&](size_t t) { return y[t] > 0 ? alpha[t] < c_ : alpha[t] > 0; };
  auto in_low = [&](size_t t) { return y[t] > 0 ? alpha[t] > 0 : alpha[t] < c_; };
  constexpr double kTau = 1e-12;
  const int max_iterations = static_cast<int>(std::max<size_t>(10000000, 100 * n));
  for (iterations_ = 0; iterations_ < max_iterations; ++iterations_) {
    double g_max = -std::numeric_limits<double>::infinity();
    size_t i = n;
    for (size_t t = 0; t < n; ++t)
      if (in_up(t) && -y[t] * gradient[t] >= g_max) g_max = -y[t] * gradient[t], i = t;
    // j: of the violating I_low rows, the largest second-order decrease b^2 / a.
    double g_max2 = -std::numeric_limits<double>::infinity(), best = std::numeric_limits<double>::infinity();
    size_t j = n;
    for (size_t t = 0; t < n; ++t) {
      if (!in_low(t)) continue;
      g_max2 = std::max(g_max2, y[t] * gradient[t]);
      const double b = g_max + y[t] * gradient[t];
      if (i == n || b <= 0) continue;
      double a = 2.0 - 2.0 * kernel(i, t);  // K_ii + K_tt - 2 K_it, K_ii = 1
      if (a <= 0) a = kTau;
      if (-b * b / a <= best) best = -b * b / a, j = t;
    }
    if (i == n || j == n || g_max + g_max2 < tolerance_) break;
    // Move a_i += y_i s, a_j -= y_j s (keeps y^T a): s = b / a, clipped to the box.
    double a = 2.0 - 2.0 * kernel(i, j);
    if (a <= 0) a = kTau;
    double step = (g_max + y[j] * gradient[j]) / a;
    step = std::min(step, y[i] > 0 ? c_ - alpha[i] : alpha[i]);
    step = std::min(step, y[j] > 0 ? alpha[j] : c_ - alpha[j]);
    alpha[i] += y[i] * step, alpha[j] -= y[j] * step;
    if (std::abs(alpha[i]) < 1e-15) alpha[i] = 0;
    if (std::abs(alpha[j]) < 1e-15) alpha[j] = 0;
    for (size_t t = 0; t < n; ++t) gradient[t] += y[t] * step * (kernel(t, i) - kernel(t, j));
  }
  // rho: the mean of y_t G_t over the free a_t, else the midpoint of [lb, ub].
  double sum_free = 0, ub = std::numeric_limits<double>::infinity(), lb = -ub;
  size_t free = 0;
  for (size_t t = 0; t < n; ++t) {
    const double yg = y[t] * gradient[t];
    if (alpha[t] >= c_) {
      if (y[t] < 0) ub = std::min(ub, yg); else lb = std::max(lb, yg);
    } else if (alpha[t] <= 0) {
      if (y[t] > 0) ub = std::min(ub, yg); else lb = std::max(lb, yg);
    } else {
      ++free, sum_free += yg;
    }
  }
  rho_ = free > 0 ? sum_free / static_cast<double>(free) : (ub + lb) / 2;
  support_x_.clear(), support_coef_.clear();
  for (size_t t = 0; t < n; ++t)
    if (alpha[t] > 0) support_x_.push_back(x[t]), support_coef_.push_back(alpha[t] * y[t]);
}

double RbfSvc::decision(double v) const {
  double sum = -rho_;
  for (size_t t = 0; t < support_x_.size(); ++t)
    sum += support_coef_[t] * std::exp(-gamma_ * (support_x_[t] - v) * (support_x_[t] - v));
  return sum;
}

double entropy_mia_efficacy(const std::vector<double>& members, const std::vector<double>& nonmembers,
                            const std::vector<double>& forget) {
  if (forget.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::vector<double> x = members;
  x.insert(x.end(), nonmembers.begin(), nonmembers.end());
  std::vector<bool> positive(members.size(), true);
  positive.resize(x.size(), false);
  RbfSvc svc(3.0, 1.0);
  svc.fit(x, positive);
  double unseen = 0;
  for (double e : forget) unseen += svc.decision(e) > 0 ? 0.0 : 1.0;
  return unseen / static_cast<double>(forget.size());
}

}  // namespace sb::unlearning
