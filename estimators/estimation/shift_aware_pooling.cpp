// Shift-aware combination of experimental and historical controls. The
// control mean is mu0 = (1 - lambda) ybar_c + lambda ybar_h, where lambda
// minimises a pessimistic (worst-case) MSE of that mean:
//   delta-hat = ybar_h - ybar_c,  sd_delta = sqrt(v_c + v_h),
//   v_c = s_c^2/n_c, v_h = s_h^2/n_h,
//   delta_up = |delta-hat| + pessimism * sd_delta   (upper bound on |shift|)
//   lambda = argmin (1-l)^2 v_c + l^2 (v_h + delta_up^2) = v_c / (v_c + v_h + delta_up^2),
// so the historical weight shrinks as the estimated shift grows and never
// reaches the naive pooling weight. ATE = ybar_t - mu0;
// SE = sqrt(v_t + (1-lambda)^2 v_c + lambda^2 v_h) (lambda held fixed), and
// the CI is widened by the worst-case bias: ATE +- (z SE + lambda delta_up).
#include <cmath>

#include "benchmarks/estimation/estimation.h"
#include "estimators/estimation/causal_common.h"
#include "estimators/estimation/quantiles.h"

namespace sb::estimation {
namespace {

// Paper: Pessimistic Data Integration for Policy Evaluation (pessimistic, worst-case-bias weighting of experimental and historical data)
class ShiftAwarePooling : public Estimator {
 public:
  struct Params { double pessimism = 1.96; };
  explicit ShiftAwarePooling(const Params& p) : pessimism_(p.pessimism) {}

  Estimate estimate(const Data& data, std::uint64_t) const override {
    causal::check_ate_data(data, "shift-aware-pooling");
    const Eigen::Index n = data.y.size();
    SB_THROW_IF_NOT(MethodError, data.source.size() == n,
                    "shift-aware-pooling: source has {} entries for {} units", data.source.size(),
                    n);
    std::vector<Eigen::Index> treated, control, historical;
    for (Eigen::Index i = 0; i < n; ++i) {
      if (data.source(i) != 0) {
        SB_THROW_IF_NOT(MethodError, data.treatment(i) == 0.0,
                        "shift-aware-pooling: historical unit {} is treated", i);
        historical.push_back(i);
      } else {
        (data.treatment(i) == 1.0 ? treated : control).push_back(i);
      }
    }
    SB_THROW_IF_NOT(MethodError, treated.size() >= 2 && control.size() >= 2 && historical.size() >= 2,
                    "shift-aware-pooling: {} treated, {} experimental controls, {} historical "
                    "controls (need 2 of each)",
                    treated.size(), control.size(), historical.size());
    const Eigen::VectorXd yt = models::select_rows(data.y, treated);
    const Eigen::VectorXd yc = models::select_rows(data.y, control);
    const Eigen::VectorXd yh = models::select_rows(data.y, historical);
    const double vt = causal::sample_variance(yt) / static_cast<double>(yt.size());
    const double vc = causal::sample_variance(yc) / static_cast<double>(yc.size());
    const double vh = causal::sample_variance(yh) / static_cast<double>(yh.size());
    const double shift = yh.mean() - yc.mean();
    const double shift_bound = std::abs(shift) + pessimism_ * std::sqrt(vc + vh);
    const double lambda = vc / (vc + vh + shift_bound * shift_bound);
    const double mu0 = (1 - lambda) * yc.mean() + lambda * yh.mean();
    const double value = yt.mean() - mu0;
    const double se = std::sqrt(vt + (1 - lambda) * (1 - lambda) * vc + lambda * lambda * vh);
    Estimate est = causal::normal_estimate(value, se);
    const double half_width = robust::z975() * se + lambda * shift_bound;
    est.ci_low = value - half_width;
    est.ci_high = value + half_width;
    return est;
  }

 private:
  double pessimism_;
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_ESTIMATOR(sb::estimation::ShiftAwarePooling, "shift-aware-pooling")
    .describe("Experimental + historical controls weighted to minimise a worst-case MSE given "
              "an upper confidence bound on the shift; bias-aware CI")
    .paper("Pessimistic Data Integration for Policy Evaluation (worst-case-bias weighting of "
           "experimental and historical data)")
    .tag("task:integration")
    .field(&sb::estimation::ShiftAwarePooling::Params::pessimism, "pessimism", 0.0, 10.0,
           "multiplier of the shift's SE added to |shift-hat| for the worst-case bound");
