#include "estimators/selection/attribution.h"

#include <numeric>

#include "harness/core/errors.h"

namespace sb::selection {

std::vector<Eigen::Index> all_rows(Eigen::Index n) {
  std::vector<Eigen::Index> out(static_cast<size_t>(n));
  std::iota(out.begin(), out.end(), Eigen::Index{0});
  return out;
}

models::LogisticClassifier fit_all_classes(const ValuationContext& ctx, const char* who) {
  auto model = ctx.utility->fit(all_rows(ctx.data->train.rows()));
  if (model.constant_class >= 0 || !model.bias.allFinite()) {
    throw MethodError("{}: the training split misses a class", who);
  }
  return model;
}

Eigen::MatrixXd projected_gradient_kernel(const Eigen::MatrixXd& train_features, const Eigen::MatrixXd& eval_features,
                                          double damping) {
  const Eigen::Index d = train_features.cols();
  Eigen::MatrixXd gram = train_features.transpose() * train_features;
  gram.diagonal().array() += damping * gram.trace() / static_cast<double>(d);
  // (Phi^T Phi + lambda I)^+ phi_t for every t, then dotted with every phi_i.
  const Eigen::MatrixXd solved = gram.completeOrthogonalDecomposition().solve(eval_features.transpose());
  return train_features * solved;
}

Eigen::VectorXd mean_attribution(const Eigen::MatrixXd& tau) { return tau.rowwise().mean(); }

Eigen::MatrixXd representer_margin_attribution(const Eigen::MatrixXd& alpha, const Eigen::MatrixXd& kernel,
                                               const Eigen::MatrixXd& margin_logit_gradients) {
  return kernel.cwiseProduct(alpha * margin_logit_gradients.transpose());
}

Valuation representer_valuation(const Eigen::MatrixXd& alpha, const std::vector<Eigen::MatrixXd>& kernels,
                                const Eigen::VectorXi& valid_y, const Eigen::MatrixXd& margin_logit_gradients) {
  const Eigen::Index n = alpha.rows(), k = alpha.cols(), m = valid_y.size();
  const auto kernel = [&](Eigen::Index c) -> const Eigen::MatrixXd& {
    return kernels.size() == 1 ? kernels[0] : kernels[static_cast<size_t>(c)];
  };
  Valuation out;
  out.values = Eigen::VectorXd::Zero(n);
  for (Eigen::Index t = 0; t < m; ++t) out.values += alpha.col(valid_y(t)).cwiseProduct(kernel(valid_y(t)).col(t));
  out.attribution = Eigen::MatrixXd::Zero(n, m);
  for (Eigen::Index c = 0; c < k; ++c) {
    out.attribution += kernel(c).cwiseProduct(alpha.col(c) * margin_logit_gradients.col(c).transpose());
  }
  return out;
}

}  // namespace sb::selection
