// The L1 / nuclear-norm representers: the decomposition reproduces the
// fitted model's pre-activations, and the values are the true-class shares.
#include <gtest/gtest.h>

#include "benchmarks/selection/protocol.h"
#include "datasets/synthetic.h"
#include "estimators/models/margin.h"
#include "estimators/models/regularized_logistic.h"
#include "estimators/models/softmax_regression.h"
#include "estimators/selection/representer.h"

namespace sb::selection {
namespace {

SelectionData four_classes(std::uint64_t seed) {
  data::GaussianClassifierOptions g;
  g.n = 300, g.d = 6, g.classes = 4, g.separation = 1.0;
  CommonParams c;
  c.n_train = 150, c.n_valid = 40, c.n_test = 10;
  return make_selection_data(data::gaussian_classifier(g, seed), c, seed);
}

Valuation valuate(const std::string& method, const ParamSet& params, const SelectionData& data) {
  const Utility utility(data, UtilityOptions{});
  ValuationContext ctx;
  ctx.data = &data;
  ctx.utility = &utility;
  ctx.want_attribution = true;
  return ValuerRegistry::instance().find(method)->make(params)->valuate(ctx);
}

ParamSet with_strength(const std::string& method, double strength) {
  ParamSet p;
  for (const auto& spec : ValuerRegistry::instance().find(method)->info.params) p.set(spec.name, spec.default_value);
  p.set("strength", strength);
  p.set("tolerance", 1e-10);
  return p;
}

// Checks logits(x_t) - b = sum_i alpha_i (.) K(i, t) + defect(t), where the
// defect x_t (W - S (.) map)^T is what the fit's own inexactness leaves (S =
// -grad_W / lambda = sum_i alpha_i x_i^T holds exactly), and that the
// defect is small; then the values' sum is the true-class pre-activations.
void check_decomposition(const std::string& method, models::WeightPenalty penalty, double strength) {
  SCOPED_TRACE(method);
  const SelectionData data = four_classes(1);
  models::RegularizedLogisticOptions o;
  o.penalty = penalty;
  o.strength = strength;
  o.tolerance = 1e-10;
  const auto fit = models::fit_regularized_logistic(data.train.x, data.train.y, 4, o);
  ASSERT_TRUE(fit.converged);
  const Eigen::MatrixXd alpha = representer_alpha(data.train.x, data.train.y, fit.weight, fit.bias, strength);
  Eigen::MatrixXd gw;
  Eigen::VectorXd gb;
  models::softmax_objective(data.train.x, data.train.y, fit.weight, fit.bias, 0.0, &gw, &gb);
  const Eigen::MatrixXd s = -gw / strength;
  EXPECT_LT((s - alpha.transpose() * data.train.x).cwiseAbs().maxCoeff(), 1e-10);
  Eigen::MatrixXd from_points(40, 4), reconstructed;  // m x k
  if (penalty == models::WeightPenalty::l1) {
    const auto kernels = l1_representer_kernels(data.train.x, data.valid.x, fit.weight);
    for (Eigen::Index c = 0; c < 4; ++c) from_points.col(c) = kernels[static_cast<size_t>(c)].transpose() * alpha.col(c);
    reconstructed = s.cwiseProduct(fit.weight.cwiseAbs());
    EXPECT_GT((fit.weight.array() == 0).count(), 0) << "L1 should zero some weights";
  } else {
    from_points = nuclear_representer_kernel(data.train.x, data.valid.x, fit.weight).transpose() * alpha;
    Eigen::JacobiSVD<Eigen::MatrixXd> svd(fit.weight, Eigen::ComputeThinV);
    reconstructed = s * svd.matrixV() * svd.singularValues().asDiagonal() * svd.matrixV().transpose();
    EXPECT_LT(svd.singularValues()(2), 1e-8) << "the nuclear norm should lower the rank below k - 1";
  }
  const Eigen::MatrixXd pre_activation = data.valid.x * fit.weight.transpose();
  const Eigen::MatrixXd defect = data.valid.x * (fit.weight - reconstructed).transpose();
  EXPECT_LT((from_points + defect - pre_activation).cwiseAbs().maxCoeff(), 1e-10);
  EXPECT_LT(defect.cwiseAbs().maxCoeff(), 1e-6);
  EXPECT_GT(pre_activation.cwiseAbs().maxCoeff(), 0.1);
  // The method: values sum to the validation rows' true-class pre-activations;
  // the attribution sums (over rows) to the margin's first-order expansion.
  const Valuation v = valuate(method, with_strength(method, strength), data);
  double true_class = 0;
  for (Eigen::Index t = 0; t < 40; ++t) true_class += from_points(t, data.valid.y(t));
  EXPECT_NEAR(v.values.sum(), true_class, 1e-9 * std::max(1.0, std::abs(true_class)));
  const Eigen::MatrixXd a = models::margin_gradients(data.valid.x, data.valid.y, fit.weight, fit.bias).rightCols(4);
  const Eigen::VectorXd expansion = from_points.cwiseProduct(a).rowwise().sum();
  EXPECT_LT((v.attribution.colwise().sum().transpose() - expansion).cwiseAbs().maxCoeff(), 1e-9);
}

TEST(RepresenterHighDim, L1DecompositionReproducesThePreActivations) {
  check_decomposition("representer-l1", models::WeightPenalty::l1, 0.02);
}

TEST(RepresenterHighDim, NuclearDecompositionReproducesThePreActivations) {
  check_decomposition("representer-nuclear", models::WeightPenalty::nuclear, 0.3);
}

}  // namespace
}  // namespace sb::selection
