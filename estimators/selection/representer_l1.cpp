// High-dimensional representers (L1): Tsai, Yeh & Ravikumar (2023), Representer point selection for explaining regularized high-dimensional models, ICML
#include "estimators/models/margin.h"
#include "estimators/models/regularized_logistic.h"
#include "estimators/selection/attribution.h"
#include "estimators/selection/representer.h"
#include "harness/core/errors.h"

namespace sb::selection {

std::vector<Eigen::MatrixXd> l1_representer_kernels(const Eigen::MatrixXd& x, const Eigen::MatrixXd& x_eval,
                                                    const Eigen::MatrixXd& weight) {
  std::vector<Eigen::MatrixXd> out;
  for (Eigen::Index c = 0; c < weight.rows(); ++c) {
    out.push_back(x * weight.row(c).cwiseAbs().asDiagonal() * x_eval.transpose());
  }
  return out;
}

namespace {

class RepresenterL1 : public Valuer {
 public:
  struct Params {
    double strength = 1e-2;
    double tolerance = 1e-7;
    std::int64_t max_iterations = 200000;
  };
  explicit RepresenterL1(const Params& p) : params_(p) {}

  Eigen::VectorXd values(const ValuationContext& ctx) const override { return valuate(ctx).values; }

  Valuation valuate(const ValuationContext& ctx) const override {
    const auto& train = ctx.data->train;
    const auto& valid = ctx.data->valid;
    models::RegularizedLogisticOptions o;
    o.penalty = models::WeightPenalty::l1;
    o.strength = params_.strength;
    o.tolerance = params_.tolerance;
    o.max_iterations = static_cast<int>(params_.max_iterations);
    models::RegularizedLogisticFit fit;
    try {
      fit = models::fit_regularized_logistic(train.x, train.y, ctx.data->num_classes, o);
    } catch (const InputError& e) {
      throw MethodError("representer-l1: {}", e.what());
    }
    const Eigen::MatrixXd alpha = representer_alpha(train.x, train.y, fit.weight, fit.bias, params_.strength);
    const auto k = fit.weight.rows();
    return representer_valuation(alpha, l1_representer_kernels(train.x, valid.x, fit.weight), valid.y,
                                 models::margin_gradients(valid.x, valid.y, fit.weight, fit.bias).rightCols(k));
  }

 private:
  Params params_;
};

}  // namespace

SB_REGISTER_VALUER(RepresenterL1, "representer-l1")
    .describe("L1 representer values: logistic regression with an L1 penalty (FISTA); row i's share alpha_{i,y_t} "
              "sum_j |W_{y_t j}| x_ij x_tj of each validation row's true-class logit, summed over validation rows")
    .paper("Tsai, Yeh & Ravikumar (2023), Representer point selection for explaining regularized high-dimensional "
           "models, ICML")
    .field(&RepresenterL1::Params::strength, "strength", 1e-8, 1e6, "lambda of the penalty lambda ||W||_1")
    .field(&RepresenterL1::Params::tolerance, "tolerance", 1e-14, 1e-2, "FISTA stop: max |gradient mapping|")
    .field(&RepresenterL1::Params::max_iterations, "max_iterations", 1, 100000000, "FISTA iterations at most");

}  // namespace sb::selection
