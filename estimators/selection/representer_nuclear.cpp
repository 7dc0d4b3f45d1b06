// High-dimensional representers (nuclear norm): Tsai, Yeh & Ravikumar (2023), Representer point selection for explaining regularized high-dimensional models, ICML
#include "estimators/models/margin.h"
#include "estimators/models/regularized_logistic.h"
#include "estimators/selection/attribution.h"
#include "estimators/selection/representer.h"
#include "harness/core/errors.h"

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
  struct Params {
    double strength = 1e-2;
    double tolerance = 1e-7;
    std::int64_t max_iterations = 200000;
  };
  explicit RepresenterNuclear(const Params& p) : params_(p) {}

  Eigen::VectorXd values(const ValuationContext& ctx) const override { return valuate(ctx).values; }

  Valuation valuate(const ValuationContext& ctx) const override {
    const auto& train = ctx.data->train;
    const auto& valid = ctx.data->valid;
    models::RegularizedLogisticOptions o;
    o.penalty = models::WeightPenalty::nuclear;
    o.strength = params_.strength;
    o.tolerance = params_.tolerance;
    o.max_iterations = static_cast<int>(params_.max_iterations);
    models::RegularizedLogisticFit fit;
    try {
      fit = models::fit_regularized_logistic(train.x, train.y, ctx.data->num_classes, o);
    } catch (const InputError& e) {
      throw MethodError("representer-nuclear: {}", e.what());
    }
    const Eigen::MatrixXd alpha = representer_alpha(train.x, train.y, fit.weight, fit.bias, params_.strength);
    const auto k = fit.weight.rows();
    return representer_valuation(alpha, {nuclear_representer_kernel(train.x, valid.x, fit.weight)}, valid.y,
                                 models::margin_gradients(valid.x, valid.y, fit.weight, fit.bias).rightCols(k));
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
