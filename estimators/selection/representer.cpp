// Representer points: Yeh, Kim, Yen & Ravikumar (2018), Representer point selection for explaining deep neural networks, NeurIPS
#include "estimators/selection/representer.h"

#include "benchmarks/selection/selection.h"
#include "estimators/models/classifier.h"
#include "estimators/models/margin.h"
#include "estimators/selection/attribution.h"
#include "harness/core/errors.h"

namespace sb::selection {

Eigen::MatrixXd representer_alpha(const Eigen::MatrixXd& x, const Eigen::VectorXi& y, const Eigen::MatrixXd& weight,
                                  const Eigen::VectorXd& bias, double l2) {
  Eigen::MatrixXd r = models::softmax_rows((x * weight.transpose()).rowwise() + bias.transpose());
  for (Eigen::Index i = 0; i < x.rows(); ++i) r(i, y(i)) -= 1.0;
  return -r / (static_cast<double>(x.rows()) * l2);
}

Valuation penalized_representer_valuation(const ValuationContext& ctx, const std::string& method,
                                          models::WeightPenalty penalty, const PenalizedRepresenterOptions& options,
                                          const RepresenterKernels& kernels) {
  const auto& train = ctx.data->train;
  const auto& valid = ctx.data->valid;
  models::RegularizedLogisticOptions o;
  o.penalty = penalty;
  o.strength = options.strength;
  o.tolerance = options.tolerance;
  o.max_iterations = static_cast<int>(options.max_iterations);
  models::RegularizedLogisticFit fit;
  try {
    fit = models::fit_regularized_logistic(train.x, train.y, ctx.data->num_classes, o);
  } catch (const InputError& e) {
    throw MethodError("{}: {}", method, e.what());
  }
  const Eigen::MatrixXd alpha = representer_alpha(train.x, train.y, fit.weight, fit.bias, options.strength);
  const auto k = fit.weight.rows();
  return representer_valuation(alpha, kernels(train.x, valid.x, fit.weight), valid.y,
                               models::margin_gradients(valid.x, valid.y, fit.weight, fit.bias).rightCols(k));
}

namespace {

class Representer : public Valuer {
 public:
  Eigen::VectorXd values(const ValuationContext& ctx) const override { return valuate(ctx).values; }

  Valuation valuate(const ValuationContext& ctx) const override {
    const auto& train = ctx.data->train;
    const auto& valid = ctx.data->valid;
    const auto model = fit_all_classes(ctx, "representer");
    const Eigen::MatrixXd alpha = representer_alpha(train.x, train.y, model.weight, model.bias, ctx.utility->options().l2);
    // Row i's contribution to validation row t's logit of its true class:
    // alpha_{i, y_t} (x_i . x_t); the value sums it over the validation rows.
    const Eigen::MatrixXd similarity = train.x * valid.x.transpose();  // n x m
    Eigen::VectorXd values = Eigen::VectorXd::Zero(train.rows());
    for (Eigen::Index t = 0; t < valid.rows(); ++t) values += alpha.col(valid.y(t)).cwiseProduct(similarity.col(t));
    Valuation out{values, {}};
    if (ctx.want_attribution) {
      const auto k = model.weight.rows();
      out.attribution = representer_margin_attribution(
          alpha, similarity, models::margin_gradients(valid.x, valid.y, model.weight, model.bias).rightCols(k));
    }
    return out;
  }
};

}  // namespace

SB_REGISTER_VALUER(Representer, "representer")
    .describe("Representer values: row i's share alpha_{i,y_t} (x_i . x_t) of each validation row's true-class "
              "logit under the fitted L2-penalised logistic regression, summed over validation rows (one fit)")
    .paper("Yeh, Kim, Yen & Ravikumar (2018), Representer point selection for explaining deep neural networks, NeurIPS");

}  // namespace sb::selection
