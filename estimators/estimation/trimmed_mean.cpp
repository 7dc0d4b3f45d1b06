// Paper: Tukey & McLaughlin (1963), Less vulnerable confidence and significance procedures for location based on a single sample, Sankhya A 25(3)
#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "benchmarks/estimation/estimation.h"
#include "datasets/random.h"
#include "estimators/estimation/robust_common.h"
#include "harness/stats/distributions.h"

namespace sb::estimation {
namespace {

// Coordinate-wise trimmed mean (robust::trimmed_mean: floor(trim n) values
// cut from each end), with a t CI for coordinate 0, value +- t_{h-1} se
// (h = the values kept), whose variance estimate se^2 is, by `se`:
//   winsorized       Tukey & McLaughlin: the sum of squares of the
//                    winsorised sample about its mean, / (h (h - 1))
//   influence_curve  the same sum about the trimmed mean itself: Boos &
//                    Stefanski's (2013) trim.var, the influence-curve
//                    (delta method) estimator of their Table 11.4
//                    (robust::WinsorCentre::kTrimmedMean)
//   jackknife        (n - 1)/n sum_i (T_(i) - mean_j T_(j))^2 over the n
//                    leave-one-out trimmed means (each with floor(trim (n-1))
//                    cut per end, as R's mean(x[-i], trim) does)
//   bootstrap        the variance (divisor B - 1) of the trimmed means of B
//                    = bootstrap_samples resamples with replacement (seeded)
class TrimmedMean : public Estimator {
 public:
  struct Params {
    double trim = 0.1;
    std::string se = "winsorized";
    std::int64_t bootstrap_samples = 100;
  };
  explicit TrimmedMean(const Params& p) : trim_(p.trim), se_(p.se), bootstrap_samples_(p.bootstrap_samples) {}

  Estimate estimate(const Data& data, std::uint64_t seed) const override {
    SB_THROW_IF_NOT(MethodError, data.x.rows() >= 1 && data.x.cols() >= 1,
                    "trimmed mean needs n >= 1 and d >= 1 (n={}, d={})", data.x.rows(), data.x.cols());
    Estimate est = robust::coordinatewise_trimmed_mean(
        data.x, trim_,
        se_ == "influence_curve" ? robust::WinsorCentre::kTrimmedMean : robust::WinsorCentre::kWinsorizedMean);
    const bool resampled = se_ == "jackknife" || se_ == "bootstrap";
    if (!resampled || !std::isfinite(est.std_error)) return est;  // no SE for h < 2
    std::vector<double> sorted = robust::column(data.x, 0);
    std::sort(sorted.begin(), sorted.end());
    const double variance = se_ == "jackknife" ? jackknife_variance(sorted) : bootstrap_variance(sorted, seed);
    const double h = static_cast<double>(sorted.size() - 2 * robust::trimmed_count(sorted.size(), trim_));
    est.std_error = std::sqrt(variance);
    const double t = stats::student_t_quantile(0.975, h - 1);
    est.ci_low = est.value(0) - t * est.std_error;
    est.ci_high = est.value(0) + t * est.std_error;
    return est;
  }

 private:
  // Leaving out the value at sorted position k leaves s without s_k; its
  // trimmed mean sums positions [a, b] = [g', n - 2 - g'] of that array,
  // i.e. s over [a, min(b, k - 1)] and [max(a, k) + 1, b + 1]: O(1) each
  // with prefix sums, O(n) in all after the sort.
  double jackknife_variance(const std::vector<double>& sorted) const {
    const std::size_t n = sorted.size();
    SB_THROW_IF_NOT(MethodError, n >= 3, "a jackknife variance needs n >= 3 (n={})", n);
    const std::size_t g = robust::trimmed_count(n - 1, trim_), a = g, b = n - 2 - g;
    SB_THROW_IF_NOT(MethodError, a <= b, "trim={} leaves no sample of n-1={}", trim_, n - 1);
    std::vector<double> prefix(n + 1, 0.0);  // prefix[i] = s_0 + ... + s_{i-1}
    std::partial_sum(sorted.begin(), sorted.end(), prefix.begin() + 1);
    auto sum = [&](std::size_t lo, std::size_t hi) { return lo > hi ? 0.0 : prefix[hi + 1] - prefix[lo]; };
    std::vector<double> loo(n);
    for (std::size_t k = 0; k < n; ++k) {
      const double below = k == 0 ? 0.0 : sum(a, std::min(b, k - 1));
      loo[k] = (below + sum(std::max(a, k) + 1, b + 1)) / static_cast<double>(b - a + 1);
    }
    return robust::jackknife_variance(loo);
  }

  // Resamples drawn by index from the sorted sample (the seed fixes them).
  double bootstrap_variance(const std::vector<double>& sample, std::uint64_t seed) const {
    std::mt19937_64 rng(seed);
    std::vector<double> resample(sample.size()), means(static_cast<std::size_t>(bootstrap_samples_));
    for (double& m : means) {
      for (double& r : resample) r = sample[data::uniform_index(rng, sample.size())];
      m = robust::trimmed_mean_value(resample, trim_);
    }
    return robust::sum_of_squared_deviations(means) / static_cast<double>(means.size() - 1);
  }

  double trim_;
  std::string se_;
  std::int64_t bootstrap_samples_;
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_ESTIMATOR(sb::estimation::TrimmedMean, "trimmed-mean")
    .describe(
        "Coordinate-wise trimmed mean; t CI with a winsorised (Tukey-McLaughlin), influence-curve, jackknife or "
        "bootstrap SE")
    .paper("Tukey & McLaughlin (1963), Less vulnerable confidence and significance procedures, Sankhya A 25(3)")
    .tag("task:location")
    .field(&sb::estimation::TrimmedMean::Params::trim, "trim", 0.0, 0.49, "fraction trimmed from each end")
    .field(&sb::estimation::TrimmedMean::Params::se, "se", {"winsorized", "influence_curve", "jackknife", "bootstrap"},
           "the SE of the CI: winsorised variance (Tukey-McLaughlin), influence curve about the trimmed mean (Boos & "
           "Stefanski), jackknife, bootstrap")
    .field(&sb::estimation::TrimmedMean::Params::bootstrap_samples, "bootstrap_samples", 2, 100000,
           "resamples of se = \"bootstrap\"");
