// Paper: Robust Estimation Under Heterogeneous Corruption Rates (2025, arXiv), known per-sample corruption probabilities
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "benchmarks/estimation/estimation.h"
#include "estimators/estimation/robust_common.h"

namespace sb::estimation {
namespace {

// Uses the known corruption probabilities p_i. Rule (ours, in the spirit of
// the paper's threshold estimators; documented in docs/ESTIMATION.md):
//  1. sort samples by p_i (ties by index) and, for m = 1..n, let eps_m be
//     the mean of the m smallest rates (the expected corrupted fraction of
//     the m cleanest samples);
//  2. keep the m minimising the per-coordinate error bound
//     B(m) = sigma / sqrt(m) + eps_m (sampling error + contamination bias of
//     a robust estimator, unit constants, sigma = 1), the largest m on ties;
//  3. estimate each coordinate by the trimmed mean of the kept samples with
//     trim = min(max_trim, eps_m + 2 sqrt(eps_m (1 - eps_m) / m)), an upper
//     bound on their realised corrupted fraction (0 when all kept p_i are 0:
//     the plain mean of the known-clean samples).
// CI for coordinate 0: Tukey-McLaughlin on the kept samples (conditional on
// the selection, which depends on the rates only, not on the values).
class RateAware : public Estimator {
 public:
  struct Params { double max_trim = 0.45; };
  explicit RateAware(const Params& p) : max_trim_(p.max_trim) {}

  Estimate estimate(const Data& data, std::uint64_t) const override {
    const auto n = data.x.rows();
    SB_THROW_IF_NOT(MethodError, n >= 1 && data.x.cols() >= 1,
                    "rate-aware needs n >= 1 and d >= 1 (n={}, d={})", n, data.x.cols());
    SB_THROW_IF_NOT(MethodError, data.corruption_rate.size() == n,
                    "rate-aware needs the known corruption rate of each of the {} samples (got {})",
                    n, data.corruption_rate.size());
    std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), Eigen::Index{0});
    std::stable_sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) {
      return data.corruption_rate(a) < data.corruption_rate(b);
    });
    double prefix = 0, best_bound = std::numeric_limits<double>::infinity(), best_eps = 0;
    std::size_t best_m = 1;
    for (std::size_t m = 1; m <= order.size(); ++m) {
      prefix += data.corruption_rate(order[m - 1]);
      const double eps = prefix / static_cast<double>(m);
      const double bound = 1.0 / std::sqrt(static_cast<double>(m)) + eps;
      if (bound <= best_bound) {
        best_bound = bound;
        best_m = m;
        best_eps = eps;
      }
    }
    const double md = static_cast<double>(best_m);
    const double trim =
        std::min(max_trim_, best_eps + 2 * std::sqrt(best_eps * (1 - best_eps) / md));
    order.resize(best_m);
    // The rows kept (the best_m least corrupted), then a trimmed mean.
    return robust::coordinatewise_trimmed_mean(data.x(order, Eigen::all), trim);
  }

 private:
  double max_trim_;
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_ESTIMATOR(sb::estimation::RateAware, "rate-aware")
    .describe("Keeps the samples with the smallest known corruption rates (threshold minimising "
              "1/sqrt(m) + mean rate), then a trimmed mean sized to their expected corruption")
    .paper("Robust Estimation Under Heterogeneous Corruption Rates (2025, arXiv)")
    .tag("task:location")
    .field(&sb::estimation::RateAware::Params::max_trim, "max_trim", 0.0, 0.49, "largest trim fraction used on the kept samples");
