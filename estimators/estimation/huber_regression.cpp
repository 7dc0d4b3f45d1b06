// Paper: Huber (1973), Robust regression: asymptotics, conjectures and Monte Carlo, Ann. Statist. 1(5)
#include <algorithm>
#include <cmath>

#include "benchmarks/estimation/estimation.h"
#include "estimators/estimation/quantiles.h"
#include "estimators/estimation/robust_common.h"
#include "estimators/models/linear.h"

namespace sb::estimation {
namespace {

// Huber M-regression: the root of sum_i psi_c(r_i / s) x_i = 0, r = y - X b,
// psi_c(r) = clamp(r, -c, c). The scale s = MAD(about 0) / 0.6745 of the
// residuals of an exact LAD start is held fixed; IRLS (weights
// min(1, c s / |r_i|)) from the LAD fit until max|step| <= 1e-10 (1 + max|b|),
// at most 1000 steps. CI for coef(0): Huber's sandwich
// s^2 [sum psi^2 / (n - p)] / mean(psi')^2 [(X^T X)^{-1}]_00, normal quantile.
class HuberRegression : public Estimator {
 public:
  struct Params { double c = 1.345; };
  explicit HuberRegression(const Params& p) : c_(p.c) {}

  Estimate estimate(const Data& data, std::uint64_t) const override {
    const auto n = data.x.rows(), p = data.x.cols();
    SB_THROW_IF_NOT(MethodError, p >= 1 && n > p, "Huber regression needs n > p >= 1 (n={}, p={})",
                    n, p);
    Eigen::VectorXd b = robust::quantile_regression(data.x, data.y, 0.5).coef;
    const Eigen::VectorXd r0 = data.y - data.x * b;
    const double s = robust::median_absolute_deviation(
                         std::vector<double>(r0.data(), r0.data() + r0.size()), 0.0) /
                     robust::kMadToSigma;
    Estimate est;
    if (!(s > 0)) {  // more than half the points fitted exactly: LAD is the answer
      est.value = b;
      return est;
    }
    Eigen::VectorXd w(n);
    int iter = 0;
    for (; iter < 1000; ++iter) {
      const Eigen::VectorXd r = data.y - data.x * b;
      for (Eigen::Index i = 0; i < n; ++i) {
        const double a = std::abs(r(i));
        w(i) = a <= c_ * s ? 1.0 : c_ * s / a;
      }
      const Eigen::VectorXd next = models::weighted_least_squares_coef(data.x, data.y, w);
      const double step = (next - b).cwiseAbs().maxCoeff();
      b = next;
      if (step <= 1e-10 * (1 + b.cwiseAbs().maxCoeff())) break;
    }
    SB_THROW_IF_NOT(MethodError, iter < 1000,
                    "Huber regression did not converge in 1000 iterations (c={}, s={})", c_, s);
    est.value = b;
    const Eigen::VectorXd r = data.y - data.x * b;
    double psi2 = 0, dpsi = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
      const double u = r(i) / s;
      psi2 += std::clamp(u, -c_, c_) * std::clamp(u, -c_, c_);
      dpsi += std::abs(u) < c_ ? 1.0 : 0.0;
    }
    if (dpsi > 0) {
      const double mean_dpsi = dpsi / static_cast<double>(n);
      robust::set_normal_ci(
          est, b(0),
          s * std::sqrt(psi2 / static_cast<double>(n - p) * models::inverse_gram(data.x)(0, 0)) / mean_dpsi);
    }
    return est;
  }

 private:
  double c_;
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_ESTIMATOR(sb::estimation::HuberRegression, "huber-regression")
    .describe("Huber M-regression (IRLS from LAD, fixed MAD scale, tol 1e-10); sandwich CI")
    .paper("Huber (1973), Robust regression: asymptotics, conjectures and Monte Carlo, Ann. Statist. 1(5)")
    .tag("task:regression")
    .field(&sb::estimation::HuberRegression::Params::c, "c", 0.01, 100.0, "tuning constant in units of the scale");
