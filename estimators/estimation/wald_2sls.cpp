// Just-identified two-stage least squares of y on [1, D (, x)] instrumented
// by [1, Z (, x)]: b = (Z'X)^{-1} Z'y. Without covariates (default) the
// coefficient of D is the Wald ratio cov(y, Z)/cov(D, Z), which targets the
// complier average effect (LATE) when Z is randomised. SE of the D
// coefficient from the HC0 sandwich (Z'X)^{-1} [sum u_i^2 z_i z_i'] (X'Z)^{-1}.
#include <cmath>

#include "benchmarks/estimation/estimation.h"
#include "estimators/estimation/causal_common.h"

namespace sb::estimation {
namespace {

// Paper: Imbens & Angrist (1994), Identification and estimation of local average treatment effects, Econometrica 62(2)
class Wald2sls : public Estimator {
 public:
  struct Params { bool covariates = false; };
  explicit Wald2sls(const Params& p) : covariates_(p.covariates) {}

  Estimate estimate(const Data& data, std::uint64_t) const override {
    const Eigen::Index n = data.y.size();
    causal::check_binary(data.instrument, n, 2, "instrument", "wald-2sls");
    causal::check_binary(data.treatment, n, 0, "treatment", "wald-2sls");
    const Eigen::Index d = covariates_ && data.x.size() > 0 ? data.x.cols() : 0;
    Eigen::MatrixXd regressors(n, 2 + d), instruments(n, 2 + d);
    regressors.col(0).setOnes();
    regressors.col(1) = data.treatment;
    instruments.col(0).setOnes();
    instruments.col(1) = data.instrument;
    if (d > 0) {
      regressors.rightCols(d) = data.x;
      instruments.rightCols(d) = data.x;
    }
    const Eigen::MatrixXd zx = instruments.transpose() * regressors;
    Eigen::FullPivLU<Eigen::MatrixXd> lu(zx);
    SB_THROW_IF_NOT(MethodError, lu.isInvertible(),
                    "wald-2sls: Z'X ({} x {}) is singular: the instrument does not move the "
                    "treatment",
                    zx.rows(), zx.cols());
    const Eigen::MatrixXd zx_inv = lu.inverse();
    const Eigen::VectorXd coef = zx_inv * (instruments.transpose() * data.y);
    const Eigen::VectorXd u = data.y - regressors * coef;
    const Eigen::MatrixXd meat =
        instruments.transpose() * u.array().square().matrix().asDiagonal() * instruments;
    const Eigen::MatrixXd cov = zx_inv * meat * zx_inv.transpose();
    return causal::normal_estimate(coef(1), std::sqrt(cov(1, 1)));
  }

 private:
  bool covariates_;
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_ESTIMATOR(sb::estimation::Wald2sls, "wald-2sls")
    .describe("2SLS (Wald ratio without covariates) with HC0 sandwich SE")
    .paper("Imbens & Angrist (1994), Identification and estimation of local average treatment "
           "effects, Econometrica 62(2)")
    .tag("task:iv")
    .field(&sb::estimation::Wald2sls::Params::covariates, "covariates",
           "add x as exogenous regressors (then the target is a covariate-weighted LATE)");
