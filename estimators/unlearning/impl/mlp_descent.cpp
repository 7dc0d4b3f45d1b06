#include "estimators/unlearning/impl/mlp_descent.h"

#include "estimators/models/sgd_mlp_regression.h"
#include "harness/core/errors.h"

namespace sb::unlearning {

Eigen::MatrixXd mlp_rows(const Eigen::MatrixXd& m, const std::vector<Eigen::Index>& rows) {
  Eigen::MatrixXd out(static_cast<Eigen::Index>(rows.size()), m.cols());
  for (size_t i = 0; i < rows.size(); ++i) out.row(static_cast<Eigen::Index>(i)) = m.row(rows[i]);
  return out;
}

Eigen::VectorXd mlp_descend(Eigen::VectorXd theta, Eigen::Index n_retain, Eigen::Index n_forget,
                            std::int64_t epochs, std::int64_t batch_size, double learning_rate, std::uint64_t seed,
                            const MlpStepGradient& step_gradient) {
  return models::sgd_descend(std::move(theta), n_retain + n_forget, epochs, batch_size, learning_rate, seed,
                             [&](const std::vector<Eigen::Index>& rows, const Eigen::VectorXd& t) {
                               std::vector<Eigen::Index> r, f;
                               for (auto i : rows) (i < n_retain ? r : f).push_back(i < n_retain ? i : i - n_retain);
                               return step_gradient(t, r, f);
                             });
}

Eigen::VectorXd mlp_cross_entropy_gradient(const models::SgdMlpShape& shape, const Eigen::VectorXd& theta,
                                           const Eigen::MatrixXd& x, const Eigen::VectorXi& y) {
  if (x.rows() == 0) return Eigen::VectorXd::Zero(theta.size());
  Eigen::VectorXd g;
  models::sgd_mlp_objective(shape, theta, x, y, 0.0, &g);
  return g;
}

Eigen::VectorXd mlp_squared_error_gradient(const models::SgdMlpShape& shape, const Eigen::VectorXd& theta,
                                           const Eigen::MatrixXd& x, const Eigen::VectorXd& t) {
  if (x.rows() == 0) return Eigen::VectorXd::Zero(theta.size());
  Eigen::VectorXd g;
  models::sgd_mlp_squared_objective(shape, theta, x, t, 0.0, &g);
  return g;
}

Eigen::VectorXd mlp_hidden_distance_gradient(const models::SgdMlpShape& shape, const Eigen::VectorXd& theta,
                                             const Eigen::MatrixXd& x, const Eigen::MatrixXd* hidden_target,
                                             double hidden_weight, const Eigen::MatrixXd* logit_target,
                                             double logit_weight) {
  if (x.rows() == 0) return Eigen::VectorXd::Zero(theta.size());
  const auto f = models::sgd_mlp_forward(shape, theta, x);
  const double n = static_cast<double>(x.rows());
  Eigen::MatrixXd d_hidden = Eigen::MatrixXd::Zero(f.hidden.back().rows(), f.hidden.back().cols());
  if (hidden_target) d_hidden = hidden_weight * 2.0 / n * (f.hidden.back() - *hidden_target);
  Eigen::MatrixXd d_logits = Eigen::MatrixXd::Zero(f.logits.rows(), f.logits.cols());
  if (logit_target) d_logits = logit_weight * 2.0 / n * (f.logits - *logit_target);
  return models::sgd_mlp_backward(shape, theta, x, f, d_logits, &d_hidden);
}

Eigen::VectorXd mlp_soft_label_gradient(const models::SgdMlpShape& shape, const Eigen::VectorXd& theta,
                                        const Eigen::MatrixXd& x, const Eigen::MatrixXd& q, double weight) {
  if (x.rows() == 0 || weight == 0) return Eigen::VectorXd::Zero(theta.size());
  const auto f = models::sgd_mlp_forward(shape, theta, x);
  const Eigen::MatrixXd d_logits = weight / static_cast<double>(x.rows()) * (models::softmax_rows(f.logits) - q);
  return models::sgd_mlp_backward(shape, theta, x, f, d_logits);
}

Eigen::Index mlp_output_layer_begin(const models::SgdMlpShape& s) {
  return s.size() - (static_cast<Eigen::Index>(s.classes) * s.hidden + s.classes);
}

std::pair<Eigen::Index, Eigen::Index> mlp_last_hidden_layer(const models::SgdMlpShape& s) {
  const Eigen::Index end = mlp_output_layer_begin(s);
  const Eigen::Index in = s.layers == 1 ? s.inputs : s.hidden;
  return {end - (static_cast<Eigen::Index>(s.hidden) * in + s.hidden), end};
}

}  // namespace sb::unlearning
