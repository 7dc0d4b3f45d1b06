// Paper: Huber (1964), Robust estimation of a location parameter, Ann. Math. Statist. 35(1)
#include <algorithm>
#include <cmath>
#include <limits>

#include "benchmarks/estimation/estimation.h"
#include "estimators/estimation/quantiles.h"
#include "estimators/estimation/robust_common.h"

namespace sb::estimation {
namespace {

// Coordinate-wise Huber M-estimator of location: the root of
// sum_i psi_c((x_i - mu) / s) = 0, psi_c(r) = clamp(r, -c, c), with the scale
// s = MAD / 0.6745 about the median held fixed. Solved by iteratively
// reweighted means (weights min(1, c s / |x_i - mu|)) from the median until
// the step is below 1e-10 * s (at most 1000 steps). When s = 0 (more than
// half the values tie) the estimate is the median. CI for coordinate 0: the
// M-estimator sandwich SE^2 = s^2 mean(psi^2) / (n mean(psi')^2), normal quantile.
class HuberMean : public Estimator {
 public:
  struct Params { double c = 1.345; };
  explicit HuberMean(const Params& p) : c_(p.c) {}

  Estimate estimate(const Data& data, std::uint64_t) const override {
    SB_THROW_IF_NOT(MethodError, data.x.rows() >= 1 && data.x.cols() >= 1,
                    "Huber mean needs n >= 1 and d >= 1 (n={}, d={})", data.x.rows(),
                    data.x.cols());
    Estimate est;
    est.value.resize(data.x.cols());
    for (Eigen::Index j = 0; j < data.x.cols(); ++j) {
      const auto v = robust::column(data.x, j);
      const double med = robust::median(v);
      const double s = robust::median_absolute_deviation(v, med) / robust::kMadToSigma;
      const double mu = s > 0 ? solve(v, med, s) : med;
      est.value(j) = mu;
      if (j == 0 && s > 0) sandwich_ci(v, mu, s, est);
    }
    return est;
  }

 private:
  double solve(const std::vector<double>& v, double start, double s) const {
    double mu = start;
    for (int iter = 0; iter < 1000; ++iter) {
      double num = 0, den = 0;
      for (double x : v) {
        const double a = std::abs(x - mu);
        const double w = a <= c_ * s ? 1.0 : c_ * s / a;
        num += w * x;
        den += w;
      }
      const double next = num / den;
      if (std::abs(next - mu) <= 1e-10 * s) return next;
      mu = next;
    }
    throw MethodError("Huber mean did not converge in 1000 iterations (c={}, s={})", c_, s);
  }

  void sandwich_ci(const std::vector<double>& v, double mu, double s, Estimate& est) const {
    double psi2 = 0, dpsi = 0;
    for (double x : v) {
      const double r = (x - mu) / s;
      const double psi = std::clamp(r, -c_, c_);
      psi2 += psi * psi;
      dpsi += std::abs(r) < c_ ? 1.0 : 0.0;
    }
    const double n = static_cast<double>(v.size());
    if (dpsi == 0) return;
    robust::set_normal_ci(est, mu, s * std::sqrt(psi2 / n) / (dpsi / n) / std::sqrt(n));
  }

  double c_;
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_ESTIMATOR(sb::estimation::HuberMean, "huber-mean")
    .describe("Coordinate-wise Huber M-estimator (IRLS, MAD scale, tol 1e-10*scale); sandwich CI")
    .paper("Huber (1964), Robust estimation of a location parameter, Ann. Math. Statist. 35(1)")
    .tag("task:location")
    .field(&sb::estimation::HuberMean::Params::c, "c", 0.01, 100.0, "tuning constant in units of the scale");
