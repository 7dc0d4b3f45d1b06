#include "estimators/estimation/robust_common.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <utility>

#include "estimators/estimation/quantiles.h"
#include "harness/core/errors.h"
#include "harness/stats/distributions.h"

namespace sb::estimation::robust {

std::vector<double> column(const Eigen::MatrixXd& x, Eigen::Index j) {
  std::vector<double> out(static_cast<std::size_t>(x.rows()));
  for (Eigen::Index i = 0; i < x.rows(); ++i) out[static_cast<std::size_t>(i)] = x(i, j);
  return out;
}

std::vector<Eigen::Index> seeded_permutation(std::size_t n, std::uint64_t seed) {
  std::vector<Eigen::Index> perm(n);
  std::iota(perm.begin(), perm.end(), Eigen::Index{0});
  std::mt19937_64 rng(seed);
  std::shuffle(perm.begin(), perm.end(), rng);
  return perm;
}

std::vector<int> block_assignment(std::size_t n, std::size_t k, std::uint64_t seed) {
  SB_THROW_IF_NOT(MethodError, k >= 1 && k <= n, "median of means with {} blocks for {} samples",
                  k, n);
  auto perm = seeded_permutation(n, seed);
  std::vector<int> block(n);
  for (std::size_t i = 0; i < n; ++i) {
    block[static_cast<std::size_t>(perm[i])] = static_cast<int>(i % k);
  }
  return block;
}

std::size_t trimmed_count(std::size_t n, double trim) {
  return static_cast<std::size_t>(std::floor(trim * static_cast<double>(n) + 1e-9));
}

namespace {

// The trimmed mean, with its SE and CI only when asked for (each costs a
// pass and a t quantile that resampling loops and columns other than 0 do
// not use).
TrimmedMean trimmed_mean_impl(std::vector<double> v, double trim, WinsorCentre centre, bool with_interval) {
  const std::size_t n = v.size();
  SB_THROW_IF_NOT(MethodError, n >= 1, "trimmed mean of an empty sample");
  SB_THROW_IF_NOT(MethodError, trim >= 0 && trim < 0.5, "trim={} outside [0, 0.5)", trim);
  const std::size_t g = trimmed_count(n, trim);
  const std::size_t h = n - 2 * g;
  SB_THROW_IF_NOT(MethodError, h >= 1, "trim={} leaves no sample of n={}", trim, n);
  std::sort(v.begin(), v.end());
  TrimmedMean out;
  double sum = 0;
  for (std::size_t i = g; i < n - g; ++i) sum += v[i];
  out.value = sum / static_cast<double>(h);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  out.std_error = out.ci_low = out.ci_high = nan;
  if (h < 2 || !with_interval) return out;
  for (std::size_t i = 0; i < g; ++i) {  // winsorise in place
    v[i] = v[g];
    v[n - 1 - i] = v[n - 1 - g];
  }
  double c = out.value;
  if (centre == WinsorCentre::kWinsorizedMean) {
    c = 0;
    for (double x : v) c += x;
    c /= static_cast<double>(n);
  }
  double ss = 0;
  for (double x : v) ss += (x - c) * (x - c);
  const double hd = static_cast<double>(h);
  out.std_error = std::sqrt(ss / (hd * (hd - 1)));  // (n-1) s_w^2 = ss about the winsorised mean
  const double t = stats::student_t_quantile(0.975, hd - 1);
  out.ci_low = out.value - t * out.std_error;
  out.ci_high = out.value + t * out.std_error;
  return out;
}

}  // namespace

TrimmedMean trimmed_mean(std::vector<double> v, double trim, WinsorCentre centre) {
  return trimmed_mean_impl(std::move(v), trim, centre, true);
}

double trimmed_mean_value(std::vector<double> v, double trim) {
  return trimmed_mean_impl(std::move(v), trim, WinsorCentre::kWinsorizedMean, false).value;
}

Estimate coordinatewise_trimmed_mean(const Eigen::MatrixXd& x, double trim, WinsorCentre centre) {
  Estimate est;
  est.value.resize(x.cols());
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    const auto tm = trimmed_mean_impl(column(x, j), trim, centre, j == 0);
    est.value(j) = tm.value;
    if (j == 0) {
      est.std_error = tm.std_error;
      est.ci_low = tm.ci_low;
      est.ci_high = tm.ci_high;
    }
  }
  return est;
}

double sum_of_squared_deviations(const std::vector<double>& v) {
  const double mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
  double ss = 0;
  for (double x : v) ss += (x - mean) * (x - mean);
  return ss;
}

double jackknife_variance(const std::vector<double>& leave_one_out) {
  const double n = static_cast<double>(leave_one_out.size());
  return sum_of_squared_deviations(leave_one_out) * (n - 1) / n;
}

void set_normal_ci(Estimate& est, double center, double se) {
  est.std_error = se;
  est.ci_low = center - z975() * se;
  est.ci_high = center + z975() * se;
}

}  // namespace sb::estimation::robust
