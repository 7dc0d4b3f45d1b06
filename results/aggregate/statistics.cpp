#include "results/aggregate/statistics.h"

#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/fisher_f.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>

#include "harness/core/errors.h"

namespace sb::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void check_level(double level) {
  SB_THROW_IF_NOT(InputError, level > 0 && level < 1,
                  "confidence level must be in (0, 1), got {}", level);
}

// Upper tail probability of the chi-square / F distributions, 0 for +inf.
double chi_square_upper(double x, double df) {
  if (std::isinf(x)) return 0;
  return boost::math::cdf(boost::math::complement(boost::math::chi_squared(df), std::max(x, 0.0)));
}
double fisher_f_upper(double x, double df1, double df2) {
  if (std::isinf(x)) return 0;
  return boost::math::cdf(
      boost::math::complement(boost::math::fisher_f(df1, df2), std::max(x, 0.0)));
}

}  // namespace

double mean(const std::vector<double>& x) {
  if (x.empty()) return kNaN;
  double s = 0;
  for (double v : x) s += v;
  return s / static_cast<double>(x.size());
}

double sample_sd(const std::vector<double>& x) {
  if (x.size() < 2) return kNaN;
  const double m = mean(x);
  double ss = 0;
  for (double v : x) ss += (v - m) * (v - m);
  return std::sqrt(ss / static_cast<double>(x.size() - 1));
}

MeanCI mean_ci(const std::vector<double>& x, double level) {
  check_level(level);
  MeanCI r;
  r.n = x.size();
  r.mean = mean(x);
  r.sd = sample_sd(x);
  if (r.n < 2) {
    r.half_width = kNaN;
    return r;
  }
  const double t = student_t_quantile(0.5 + level / 2, static_cast<double>(r.n - 1));
  r.half_width = t * r.sd / std::sqrt(static_cast<double>(r.n));
  return r;
}

ProportionCI wilson_ci(std::size_t successes, std::size_t n, double level) {
  check_level(level);
  SB_THROW_IF_NOT(InputError, successes <= n, "successes ({}) exceed trials ({})", successes, n);
  ProportionCI r;
  r.successes = successes;
  r.n = n;
  if (n == 0) {
    r.estimate = r.low = r.high = kNaN;
    return r;
  }
  const double z = normal_quantile(0.5 + level / 2);
  const double nn = static_cast<double>(n);
  const double p = static_cast<double>(successes) / nn;
  const double z2 = z * z;
  const double centre = (p + z2 / (2 * nn)) / (1 + z2 / nn);
  const double half = z / (1 + z2 / nn) * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
  r.estimate = p;
  r.low = std::max(0.0, centre - half);
  r.high = std::min(1.0, centre + half);
  return r;
}

std::vector<double> average_ranks(const std::vector<double>& values, bool higher_is_better) {
  const std::size_t n = values.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  // Best first; NaN after every number.
  auto better = [&](std::size_t a, std::size_t b) {
    const double va = values[a], vb = values[b];
    if (std::isnan(va)) return false;
    if (std::isnan(vb)) return true;
    return higher_is_better ? va > vb : va < vb;
  };
  std::stable_sort(order.begin(), order.end(), better);
  std::vector<double> ranks(n);
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i + 1;
    while (j < n && !better(order[i], order[j]) && !better(order[j], order[i])) ++j;
    const double avg = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;
    for (std::size_t t = i; t < j; ++t) ranks[order[t]] = avg;
    i = j;
  }
  return ranks;
}

FriedmanResult friedman_from_mean_ranks(const std::vector<double>& mean_ranks,
                                        std::size_t n_blocks) {
  const std::size_t k = mean_ranks.size();
  SB_THROW_IF_NOT(InputError, k >= 2 && n_blocks >= 2,
                  "Friedman test needs >= 2 methods and >= 2 data sets, got k={} N={}", k,
                  n_blocks);
  FriedmanResult r;
  r.n_blocks = n_blocks;
  r.k = k;
  r.mean_ranks = mean_ranks;
  const double kk = static_cast<double>(k), nn = static_cast<double>(n_blocks);
  double sum_sq = 0;
  for (double rank : mean_ranks) sum_sq += rank * rank;
  r.chi_square = 12 * nn / (kk * (kk + 1)) * (sum_sq - kk * (kk + 1) * (kk + 1) / 4);
  r.chi_square_p = chi_square_upper(r.chi_square, kk - 1);
  const double denom = nn * (kk - 1) - r.chi_square;
  // denom == 0 when every block ranks the methods identically.
  r.iman_davenport_f = denom > 1e-12 ? (nn - 1) * r.chi_square / denom
                                     : std::numeric_limits<double>::infinity();
  r.iman_davenport_p = fisher_f_upper(r.iman_davenport_f, kk - 1, (kk - 1) * (nn - 1));
  return r;
}

FriedmanResult friedman_test(const std::vector<std::vector<double>>& scores,
                             bool higher_is_better) {
  SB_THROW_IF_NOT(InputError, !scores.empty(), "Friedman test needs data sets, got none");
  const std::size_t k = scores.front().size();
  std::vector<double> sum(k, 0.0);
  for (std::size_t b = 0; b < scores.size(); ++b) {
    SB_THROW_IF_NOT(InputError, scores[b].size() == k,
                    "Friedman test: block {} has {} scores, expected {}", b, scores[b].size(), k);
    for (std::size_t j = 0; j < k; ++j) {
      SB_THROW_IF_NOT(InputError, !std::isnan(scores[b][j]),
                      "Friedman test: score of method {} on block {} is NaN", j, b);
    }
    const auto ranks = average_ranks(scores[b], higher_is_better);
    for (std::size_t j = 0; j < k; ++j) sum[j] += ranks[j];
  }
  for (double& s : sum) s /= static_cast<double>(scores.size());
  return friedman_from_mean_ranks(sum, scores.size());
}

double normal_range_cdf(double w, std::size_t k) {
  SB_THROW_IF_NOT(InputError, k >= 2, "the range needs k >= 2 variables, got k={}", k);
  if (!(w > 0)) return 0;
  // phi(z) < 1e-15 beyond |z| = 8.3; the integrand is smooth, so Simpson's
  // rule with h = 1/256 is exact to ~1e-12 (checked against finer grids).
  constexpr double kLo = -8.5, kHi = 8.5;
  constexpr int kSteps = 4352;  // even
  const double h = (kHi - kLo) / kSteps;
  const double km1 = static_cast<double>(k - 1);
  double sum = 0;
  for (int i = 0; i <= kSteps; ++i) {
    const double z = kLo + i * h;
    const double phi = std::exp(-0.5 * z * z) * 0.3989422804014327;
    const double inner = 0.5 * (std::erfc(-(z + w) * M_SQRT1_2) - std::erfc(-z * M_SQRT1_2));
    const double f = phi * std::pow(inner, km1);
    sum += (i == 0 || i == kSteps) ? f : (i % 2 == 1 ? 4 * f : 2 * f);
  }
  return std::min(1.0, static_cast<double>(k) * sum * h / 3);
}

double normal_range_quantile(double p, std::size_t k) {
  SB_THROW_IF_NOT(InputError, p > 0 && p < 1, "range quantile needs 0 < p < 1, got {}", p);
  double lo = 0, hi = 1;
  while (normal_range_cdf(hi, k) < p) hi *= 2;
  while (hi - lo > 1e-12 * hi) {
    const double mid = 0.5 * (lo + hi);
    (normal_range_cdf(mid, k) < p ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

double nemenyi_q(double alpha, std::size_t k) {
  SB_THROW_IF_NOT(InputError, alpha > 0 && alpha < 1, "Nemenyi test needs 0 < alpha < 1, got alpha={}", alpha);
  SB_THROW_IF_NOT(InputError, k >= 2, "Nemenyi test needs k >= 2 methods, got k={}", k);
  return normal_range_quantile(1 - alpha, k) * M_SQRT1_2;
}

namespace {
double rank_cd(double q, std::size_t k, std::size_t n_blocks, const char* test) {
  SB_THROW_IF_NOT(InputError, n_blocks >= 1, "{} CD needs N >= 1 data sets, got {}", test, n_blocks);
  const double kk = static_cast<double>(k);
  return q * std::sqrt(kk * (kk + 1) / (6 * static_cast<double>(n_blocks)));
}
}  // namespace

double nemenyi_cd(double alpha, std::size_t k, std::size_t n_blocks) {
  return rank_cd(nemenyi_q(alpha, k), k, n_blocks, "Nemenyi");
}

double bonferroni_dunn_q(double alpha, std::size_t k) {
  SB_THROW_IF_NOT(InputError, alpha > 0 && alpha < 1, "Bonferroni-Dunn test needs 0 < alpha < 1, got alpha={}",
                  alpha);
  SB_THROW_IF_NOT(InputError, k >= 2, "Bonferroni-Dunn test needs k >= 2 methods, got k={}", k);
  return normal_quantile(1 - alpha / (2 * static_cast<double>(k - 1)));
}

double bonferroni_dunn_cd(double alpha, std::size_t k, std::size_t n_blocks) {
  return rank_cd(bonferroni_dunn_q(alpha, k), k, n_blocks, "Bonferroni-Dunn");
}

WilcoxonResult wilcoxon_signed_rank(const std::vector<double>& x, const std::vector<double>& y) {
  SB_THROW_IF_NOT(InputError, x.size() == y.size(),
                  "Wilcoxon test needs paired samples, got sizes {} and {}", x.size(), y.size());
  std::vector<double> diff;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double d = x[i] - y[i];
    SB_THROW_IF_NOT(InputError, !std::isnan(d), "Wilcoxon test: pair {} is NaN", i);
    if (d != 0) diff.push_back(d);
  }
  WilcoxonResult r;
  const std::size_t n = diff.size();
  r.n_nonzero = n;
  if (n == 0) return r;

  std::vector<double> abs_diff(n);
  for (std::size_t i = 0; i < n; ++i) abs_diff[i] = std::abs(diff[i]);
  // Rank 1 = smallest |d|; averaged ranks are multiples of 1/2, so twice a
  // rank is an integer and the exact distribution is a DP over integers.
  const auto ranks = average_ranks(abs_diff, /*higher_is_better=*/false);
  std::vector<std::int64_t> rank2(n);
  std::int64_t w2 = 0, total2 = 0;
  for (std::size_t i = 0; i < n; ++i) {
    rank2[i] = std::llround(2 * ranks[i]);
    total2 += rank2[i];
    if (diff[i] > 0) w2 += rank2[i];
  }
  r.w_plus = static_cast<double>(w2) / 2;
  r.w_minus = static_cast<double>(total2 - w2) / 2;

  if (n <= 25) {
    r.exact = true;
    // counts[s] = number of sign assignments whose doubled W+ equals s
    // (at most 2^25, exact in a double).
    std::vector<double> counts(static_cast<std::size_t>(total2) + 1, 0.0);
    counts[0] = 1;
    std::int64_t reach = 0;
    for (std::int64_t r2 : rank2) {
      for (std::int64_t s = reach; s >= 0; --s) {
        if (counts[s] != 0) counts[s + r2] += counts[s];
      }
      reach += r2;
    }
    double low = 0, high = 0, all = 0;
    for (std::int64_t s = 0; s <= total2; ++s) {
      all += counts[s];
      if (s <= w2) low += counts[s];
      if (s >= w2) high += counts[s];
    }
    r.p_value = std::min(1.0, 2 * std::min(low, high) / all);
    return r;
  }

  r.exact = false;
  const double nn = static_cast<double>(n);
  double tie_term = 0;  // sum over tie groups of t^3 - t
  std::vector<double> sorted = abs_diff;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i + 1;
    while (j < n && sorted[j] == sorted[i]) ++j;
    const double t = static_cast<double>(j - i);
    tie_term += t * t * t - t;
    i = j;
  }
  const double mu = nn * (nn + 1) / 4;
  const double var = nn * (nn + 1) * (2 * nn + 1) / 24 - tie_term / 48;
  if (var <= 0) {
    r.p_value = 1;
    return r;
  }
  const double delta = r.w_plus - mu;
  const double correction = delta > 0 ? 0.5 : (delta < 0 ? -0.5 : 0.0);
  const double z = (delta - correction) / std::sqrt(var);
  const boost::math::normal standard;
  r.p_value = std::min(1.0, 2 * boost::math::cdf(boost::math::complement(standard, std::abs(z))));
  return r;
}

PairedTResult paired_t_test(const std::vector<double>& x, const std::vector<double>& y) {
  SB_THROW_IF_NOT(InputError, x.size() == y.size(),
                  "paired t test needs paired samples, got sizes {} and {}", x.size(), y.size());
  std::vector<double> d(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) d[i] = x[i] - y[i];
  PairedTResult r;
  r.n = d.size();
  r.mean_difference = mean(d);
  if (r.n < 2) {
    r.t = r.p_value = std::numeric_limits<double>::quiet_NaN();
    return r;
  }
  const double se = sample_sd(d) / std::sqrt(static_cast<double>(r.n));
  if (se == 0) {
    r.t = r.mean_difference == 0 ? 0 : std::copysign(std::numeric_limits<double>::infinity(), r.mean_difference);
    r.p_value = r.mean_difference == 0 ? 1 : 0;
    return r;
  }
  r.t = r.mean_difference / se;
  const boost::math::students_t dist(static_cast<double>(r.n - 1));
  r.p_value = std::min(1.0, 2 * boost::math::cdf(boost::math::complement(dist, std::fabs(r.t))));
  return r;
}

std::vector<double> holm_adjust(const std::vector<double>& p_values) {
  const std::size_t m = p_values.size();
  std::vector<std::size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return p_values[a] < p_values[b]; });
  std::vector<double> adjusted(m);
  double running = 0;
  for (std::size_t i = 0; i < m; ++i) {
    const double scaled = std::min(1.0, static_cast<double>(m - i) * p_values[order[i]]);
    running = std::max(running, scaled);  // step-down: adjusted p never decreases
    adjusted[order[i]] = running;
  }
  return adjusted;
}

std::vector<PairwiseTest> pairwise_wilcoxon_holm(const std::vector<std::vector<double>>& samples) {
  std::vector<PairwiseTest> tests;
  for (std::size_t a = 0; a < samples.size(); ++a) {
    for (std::size_t b = a + 1; b < samples.size(); ++b) {
      PairwiseTest t;
      t.a = a;
      t.b = b;
      t.test = wilcoxon_signed_rank(samples[a], samples[b]);
      tests.push_back(t);
    }
  }
  std::vector<double> p(tests.size());
  for (std::size_t i = 0; i < tests.size(); ++i) p[i] = tests[i].test.p_value;
  const auto adjusted = holm_adjust(p);
  for (std::size_t i = 0; i < tests.size(); ++i) tests[i].p_holm = adjusted[i];
  return tests;
}

}  // namespace sb::stats
