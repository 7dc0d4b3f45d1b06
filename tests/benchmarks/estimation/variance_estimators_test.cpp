// Boos & Stefanski's (2013, Table 11.4) study of variance estimators: the
// trimmed mean's influence-curve, jackknife and bootstrap variances
// (estimators/estimation/trimmed_mean.cpp) against the book's R code
// transcribed and brute force, and the aggregates variance_ratio and
// variance_cv with their jackknife Monte Carlo SEs against a brute-force
// jackknife (benchmarks/estimation/summary.cpp, view.cpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "benchmarks/estimation/summary.h"
#include "results/view/suite_view.h"
#include "tests/benchmarks/estimation/test_util.h"
#include "tests/results/fixtures.h"

namespace sb {
namespace {

using estimation::Data;
using estimation::testing::location_data;
using estimation::testing::make_estimator;

double trimmed_se(const std::vector<double>& x, const std::string& se, std::uint64_t seed = 0) {
  return make_estimator("trimmed-mean", {{"trim", 0.2}, {"se", se}})->estimate(location_data(x), seed).std_error;
}

// R's mean(x, trim) for the test's own brute force: floor(trim n) cut per end.
double r_trimmed_mean(std::vector<double> x, double trim) {
  std::sort(x.begin(), x.end());
  const auto g = static_cast<std::size_t>(std::floor(trim * static_cast<double>(x.size()) + 1e-9));
  return std::accumulate(x.begin() + static_cast<std::ptrdiff_t>(g), x.end() - static_cast<std::ptrdiff_t>(g), 0.0) /
         static_cast<double>(x.size() - 2 * g);
}

const std::vector<double> kSample = {3.1, -0.4, 2.2, 7.9, 0.5, 1.1, -2.6, 4.4, 0.9, 1.6,
                                     5.3, -1.2, 2.8, 0.2, 9.7, 1.9, -0.8, 3.6, 2.4, 0.0};

// The book's trim.var, line by line (1-based indices shifted by one).
TEST(TrimmedMeanVariance, InfluenceCurveIsTheBooksTrimVar) {
  const double trim = 0.2;
  std::vector<double> x = kSample;
  const std::size_t n = x.size(), h = static_cast<std::size_t>(std::floor(trim * n));
  const double tm = r_trimmed_mean(x, trim);
  std::sort(x.begin(), x.end());
  double ss = h * (std::pow(x[h] - tm, 2) + std::pow(x[n - h - 1] - tm, 2));
  for (std::size_t i = h; i <= n - h - 1; ++i) ss += std::pow(x[i] - tm, 2);
  const double var = ss / ((n - 2.0 * h) * (n - 2.0 * h - 1));
  EXPECT_NEAR(std::pow(trimmed_se(kSample, "influence_curve"), 2), var, 1e-12);
  // The Tukey-McLaughlin default centres the same winsorised sum on the
  // winsorised mean instead: different for this skewed sample.
  EXPECT_GT(std::abs(std::pow(trimmed_se(kSample, "winsorized"), 2) - var), 1e-4);
}

// jack.var: (n - 1)/n sum (u_i - mean u)^2 over the leave-one-out trimmed
// means, each cutting floor(0.2 (n - 1)) per end; n = 20 cuts 4 but 19 cuts
// 3, and ties must not matter.
TEST(TrimmedMeanVariance, JackknifeIsBruteForceLeaveOneOut) {
  for (const auto& sample : {kSample, std::vector<double>{1, 1, 2, 2, 2, 3, 5, 8, 8, 13, 1, 2}}) {
    const std::size_t n = sample.size();
    std::vector<double> u(n);
    for (std::size_t i = 0; i < n; ++i) {
      std::vector<double> rest = sample;
      rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(i));
      u[i] = r_trimmed_mean(rest, 0.2);
    }
    const double mean = std::accumulate(u.begin(), u.end(), 0.0) / n;
    double ss = 0;
    for (double v : u) ss += (v - mean) * (v - mean);
    EXPECT_NEAR(std::pow(trimmed_se(sample, "jackknife"), 2), (n - 1.0) / n * ss, 1e-12) << n;
  }
}

TEST(TrimmedMeanVariance, BootstrapIsSeededAndZeroOnConstantData) {
  EXPECT_EQ(trimmed_se(kSample, "bootstrap", 5), trimmed_se(kSample, "bootstrap", 5));
  EXPECT_NE(trimmed_se(kSample, "bootstrap", 5), trimmed_se(kSample, "bootstrap", 6));
  EXPECT_NEAR(trimmed_se(std::vector<double>(12, 4.2), "bootstrap", 1), 0.0, 1e-12);
  // With many resamples the bootstrap variance of this sample settles near
  // the jackknife's and the influence curve's (all estimate the same
  // variance): within 25% at B = 20,000.
  const double boot = std::pow(
      make_estimator("trimmed-mean",
                     {{"trim", 0.2}, {"se", std::string("bootstrap")}, {"bootstrap_samples", std::int64_t{20000}}})
          ->estimate(location_data(kSample), 3)
          .std_error,
      2);
  const double ic = std::pow(trimmed_se(kSample, "influence_curve"), 2);
  EXPECT_NEAR(boot / ic, 1.0, 0.25);
}

// Brute-force jackknife SE of a summary over vectors of the same length.
template <class Summary>
double brute_jackknife_se(std::size_t r, Summary summary) {
  std::vector<double> loo(r);
  for (std::size_t i = 0; i < r; ++i) loo[i] = summary(i);
  const double mean = std::accumulate(loo.begin(), loo.end(), 0.0) / r;
  double ss = 0;
  for (double v : loo) ss += (v - mean) * (v - mean);
  return std::sqrt((r - 1.0) / r * ss);
}

double sample_var(const std::vector<double>& x) {
  const double m = std::accumulate(x.begin(), x.end(), 0.0) / x.size();
  double ss = 0;
  for (double v : x) ss += (v - m) * (v - m);
  return ss / (x.size() - 1.0);
}
double mean_of(const std::vector<double>& x) { return std::accumulate(x.begin(), x.end(), 0.0) / x.size(); }
std::vector<double> without(std::vector<double> x, std::size_t i) {
  x.erase(x.begin() + static_cast<std::ptrdiff_t>(i));
  return x;
}

TEST(VarianceAggregates, RatioAndCvWithTheirJackknifeSes) {
  const std::vector<double> t = {0.3, -0.1, 0.25, -0.4, 0.05, 0.6, -0.2};
  const std::vector<double> v = {0.05, 0.09, 0.04, 0.12, 0.07, 0.03, 0.08};
  const auto ratio = mc::variance_ratio(t, v);
  EXPECT_NEAR(ratio.value, mean_of(v) / sample_var(t), 1e-12);
  EXPECT_NEAR(
      ratio.mc_se,
      brute_jackknife_se(t.size(), [&](std::size_t i) { return mean_of(without(v, i)) / sample_var(without(t, i)); }),
      1e-12);
  const auto cv = mc::coefficient_of_variation(v);
  EXPECT_NEAR(cv.value, std::sqrt(sample_var(v)) / mean_of(v), 1e-12);
  EXPECT_NEAR(cv.mc_se,
              brute_jackknife_se(v.size(),
                                 [&](std::size_t i) {
                                   const auto w = without(v, i);
                                   return std::sqrt(sample_var(w)) / mean_of(w);
                                 }),
              1e-12);
  EXPECT_TRUE(std::isnan(mc::coefficient_of_variation({1.0, 2.0}).value));

  // Through the suite's aggregates: error and std_error^2 of ok cells; a
  // failed cell is counted, not used.
  std::vector<CellRecord> cells;
  for (std::size_t i = 0; i < t.size(); ++i) {
    cells.push_back(testing::make_cell("estimation", "d", "m", static_cast<int>(i),
                                       {{"error", t[i]}, {"std_error", std::sqrt(v[i])}}));
  }
  cells.push_back(testing::make_cell("estimation", "d", "m", 99, {}, "error"));
  const auto agg = find_aggregate("estimation", "variance_ratio")->compute(cells, 0.95);
  EXPECT_NEAR(agg.value, ratio.value, 1e-12);
  EXPECT_NEAR(agg.mc_se, ratio.mc_se, 1e-12);
  EXPECT_EQ(agg.n, t.size());
  EXPECT_EQ(agg.n_failed, 1u);
  EXPECT_NEAR(find_aggregate("estimation", "variance_cv")->compute(cells, 0.95).value, cv.value, 1e-12);
}

}  // namespace
}  // namespace sb
