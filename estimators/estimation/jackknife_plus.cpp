// Paper: Barber, Candes, Ramdas & Tibshirani (2021), Predictive inference with the jackknife+, Ann. Statist. 49(1)
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "benchmarks/estimation/estimation.h"
#include "estimators/estimation/conformal_common.h"
#include "estimators/estimation/quantiles.h"

namespace sb::estimation {
namespace {

// The jackknife+ interval around least squares: with the leave-one-out fits
// mu_(-i) and residuals R_i = |y_i - mu_(-i)(x_i)|, the interval at x is
//   [ the floor(alpha (n + 1))-th smallest of mu_(-i)(x) - R_i,
//     the ceil((1 - alpha)(n + 1))-th smallest of mu_(-i)(x) + R_i ],
// infinite on a side whose rank falls outside 1..n. It covers with
// probability at least 1 - 2 alpha for any exchangeable data. Least squares
// gives the leave-one-out predictions without refitting:
//   mu_(-i)(x) = x'b - x'(X'X)^-1 x_i e_i / (1 - h_ii).
// (The authors' R package conformalInference, plus = TRUE, takes type-7
// quantiles at floor(alpha (n + 1)) / n and ceil(...) / n instead of these
// order statistics.) Deterministic (the seed is unused).
class JackknifePlus : public Estimator {
 public:
  struct Params {};
  explicit JackknifePlus(const Params&) {}

  Estimate estimate(const Data& data, std::uint64_t) const override {
    robust::check_interval_data(data);
    const auto loo = robust::leave_one_out_least_squares(data.x, data.y);
    const Eigen::Index n = data.x.rows();
    const double alpha = 1 - data.level;
    // Ranks (1-based) of the two order statistics; 0 or > n: infinite.
    const auto rank_lo = static_cast<Eigen::Index>(std::floor(alpha * static_cast<double>(n + 1) + 1e-9));
    const auto rank_hi = static_cast<Eigen::Index>(std::ceil((1 - alpha) * static_cast<double>(n + 1) - 1e-9));
    const Eigen::VectorXd r = loo.residuals.cwiseAbs();
    // Column k: x_i'(X'X)^-1 x0_k for every training row i.
    const Eigen::MatrixXd cross = data.x * (loo.fit.xtwx_inverse * data.x_test.transpose());
    const Eigen::VectorXd predicted = data.x_test * loo.fit.coef;
    constexpr double kInf = std::numeric_limits<double>::infinity();
    Estimate est;
    est.lower.resize(data.x_test.rows());
    est.upper.resize(data.x_test.rows());
    std::vector<double> lows(static_cast<std::size_t>(n)), highs(static_cast<std::size_t>(n));
    for (Eigen::Index k = 0; k < data.x_test.rows(); ++k) {
      for (Eigen::Index i = 0; i < n; ++i) {
        const double mu = predicted(k) - cross(i, k) * loo.residuals(i);
        lows[static_cast<std::size_t>(i)] = mu - r(i);
        highs[static_cast<std::size_t>(i)] = mu + r(i);
      }
      est.lower(k) = rank_lo >= 1 ? robust::order_statistic(lows, static_cast<std::size_t>(rank_lo)) : -kInf;
      est.upper(k) = rank_hi <= n ? robust::order_statistic(highs, static_cast<std::size_t>(rank_hi)) : kInf;
    }
    return est;
  }
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_ESTIMATOR(sb::estimation::JackknifePlus, "jackknife-plus")
    .describe("Jackknife+ prediction interval around least squares (coverage >= 1 - 2 alpha)")
    .paper("Barber, Candes, Ramdas & Tibshirani (2021), Predictive inference with the jackknife+, Ann. Statist. 49(1)")
    .tag("task:interval");
