// Outcome-regression (g-computation) plug-in: OLS of y on [1, x] in each arm,
// ATE = mean over all units of mu1(x) - mu0(x). Its SE comes from the
// influence function of this plug-in (covariate mean + both OLS fits):
//   phi_i = (x_i - xbar)'(b1 - b0)
//         + xbar' S1^{-1} x_i u_i T_i - xbar' S0^{-1} x_i u_i (1 - T_i),
// S_a = (1/n) sum_{T_j = a} x_j x_j', u_i the OLS residual in i's arm
// (x with the intercept column). SE = sd(phi) / sqrt(n).
#include "benchmarks/estimation/estimation.h"
#include "estimators/estimation/causal_common.h"

namespace sb::estimation {
namespace {

// Paper: Robins (1986), A new approach to causal inference in mortality studies with a sustained exposure period, Mathematical Modelling 7
class OutcomeRegression : public Estimator {
 public:
  Estimate estimate(const Data& data, std::uint64_t) const override {
    causal::check_ate_data(data, "outcome-regression");
    const Eigen::Index n = data.y.size();
    const Eigen::MatrixXd design =
        models::add_intercept(data.x.size() == 0 ? Eigen::MatrixXd(n, 0) : data.x);
    const Eigen::RowVectorXd xbar = design.colwise().mean();
    Eigen::VectorXd beta[2];
    Eigen::VectorXd phi = Eigen::VectorXd::Zero(n);
    for (int arm = 0; arm < 2; ++arm) {
      const auto rows = causal::rows_where(data.treatment, arm);
      const Eigen::MatrixXd xa = models::select_rows(design, rows);
      const models::LeastSquaresFit fit =
          models::fit_least_squares(xa, models::select_rows(data.y, rows), /*with_leverage=*/false);
      beta[arm] = fit.coef;
      // xbar' S_a^{-1} x_i u_i with S_a = X_a'X_a / n.
      const Eigen::VectorXd g =
          static_cast<double>(n) * (fit.xtwx_inverse * xbar.transpose());
      const double sign = arm == 1 ? 1.0 : -1.0;
      for (size_t k = 0; k < rows.size(); ++k) {
        const Eigen::Index i = rows[k];
        phi(i) += sign * xa.row(static_cast<Eigen::Index>(k)).dot(g) *
                  fit.residuals(static_cast<Eigen::Index>(k));
      }
    }
    const Eigen::VectorXd delta = beta[1] - beta[0];
    const double value = xbar.dot(delta);
    phi += (design.rowwise() - xbar) * delta;
    return causal::normal_estimate(value, causal::influence_se(phi));
  }
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_ESTIMATOR(sb::estimation::OutcomeRegression, "outcome-regression")
    .describe("OLS of y on [1, x] per arm, ATE = mean(mu1(x) - mu0(x)); influence-function SE")
    .paper("Robins (1986), A new approach to causal inference in mortality studies with a "
           "sustained exposure period, Mathematical Modelling 7")
    .tag("task:ate");
