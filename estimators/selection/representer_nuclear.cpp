// High-dimensional representers (nuclear norm): Tsai, Yeh & Ravikumar (2023), Representer point selection for explaining regularized high-dimensional models, ICML
#include "benchmarks/selection/selection.h"
#include "estimators/selection/representer.h"

namespace sb::selection {

Eigen::MatrixXd nuclear_representer_kernel(const Eigen::MatrixXd& x, const Eigen::MatrixXd& x_eval,
                                           const Eigen::MatrixXd& weight) {
  // (W^T W)^{1/2} = V Sigma V^T from the thin SVD W = U Sigma V^T.
  Eigen::JacobiSVD<Eigen::MatrixXd> svd(weight, Eigen::ComputeThinV);
  const Eigen::MatrixXd v = svd.matrixV();
  return (x * v) * svd.singularValues().asDiagonal() * (x_eval * v).transpose();
}

namespace {

class RepresenterNuclear : public Valuer {
 public:
  using Params = PenalizedRepresenterOptions;
  explicit RepresenterNuclear(const Params& p) : params_(p) {}

  Eigen::VectorXd values(const ValuationContext& ctx) const override { return valuate(ctx).values; }

  Valuation valuate(const ValuationContext& ctx) const override {
    const auto kernel = [](const Eigen::MatrixXd& x, const Eigen::MatrixXd& x_eval, const Eigen::MatrixXd& w) {
      return std::vector<Eigen::MatrixXd>{nuclear_representer_kernel(x, x_eval, w)};
    };
    return penalized_representer_valuation(ctx, "representer-nuclear", models::WeightPenalty::nuclear, params_,
                                           kernel);
  }

 private:
  Params params_;
};

}  // namespace

SB_REGISTER_VALUER(RepresenterNuclear, "representer-nuclear")
    .describe("Nuclear-norm representer values: logistic regression with a nuclear-norm penalty (FISTA, singular "
              "value thresholding); row i's share alpha_{i,y_t} x_i^T (W^T W)^{1/2} x_t of each validation row's "
              "true-class logit, summed over validation rows")
    .paper("Tsai, Yeh & Ravikumar (2023), Representer point selection for explaining regularized high-dimensional "
           "models, ICML")
    .field(&RepresenterNuclear::Params::strength, "strength", 1e-8, 1e6, "lambda of the penalty lambda ||W||_* (sum of singular values)")
    .field(&RepresenterNuclear::Params::tolerance, "tolerance", 1e-14, 1e-2, "FISTA stop: max |gradient mapping|")
    .field(&RepresenterNuclear::Params::max_iterations, "max_iterations", 1, 100000000, "FISTA iterations at most");

}  // namespace sb::selection
