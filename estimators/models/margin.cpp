// The correct-class margin (Park et al. 2023, TRAK, section 3's multiclass output function) and its derivatives
#include "estimators/models/margin.h"

#include <cmath>
#include <limits>

namespace sb::models {

namespace {

// log sum_{c != y} exp z_c (max-shifted); -infinity when every other logit is.
double log_sum_exp_others(const Eigen::RowVectorXd& z, int y) {
  double top = -std::numeric_limits<double>::infinity();
  for (Eigen::Index c = 0; c < z.size(); ++c)
    if (c != y) top = std::max(top, z(c));
  if (!std::isfinite(top)) return top;
  double sum = 0;
  for (Eigen::Index c = 0; c < z.size(); ++c)
    if (c != y) sum += std::exp(z(c) - top);
  return top + std::log(sum);
}

}  // namespace

Eigen::VectorXd correct_class_margins(const LogisticClassifier& model, const Eigen::MatrixXd& x,
                                      const Eigen::VectorXi& y) {
  const Eigen::MatrixXd z = model.logits(x);
  Eigen::VectorXd out(x.rows());
  for (Eigen::Index t = 0; t < x.rows(); ++t) {
    const double own = z(t, y(t)), others = log_sum_exp_others(z.row(t), y(t));
    if (own == -std::numeric_limits<double>::infinity()) out(t) = own;  // the class was never seen
    else out(t) = own - others;                                          // +infinity: the only class seen
  }
  return out;
}

Eigen::MatrixXd margin_gradients(const Eigen::MatrixXd& x, const Eigen::VectorXi& y, const Eigen::MatrixXd& weight,
                                 const Eigen::VectorXd& bias) {
  const Eigen::Index n = x.rows(), p = x.cols(), k = weight.rows();
  const Eigen::MatrixXd z = (x * weight.transpose()).rowwise() + bias.transpose();
  Eigen::MatrixXd out(n, k * (p + 1));
  Eigen::VectorXd a(k);
  for (Eigen::Index t = 0; t < n; ++t) {
    const double others = log_sum_exp_others(z.row(t), y(t));
    for (Eigen::Index c = 0; c < k; ++c) a(c) = c == y(t) ? 1.0 : -std::exp(z(t, c) - others);
    for (Eigen::Index j = 0; j < p; ++j) out.row(t).segment(j * k, k) = a.transpose() * x(t, j);
    out.row(t).tail(k) = a.transpose();
  }
  return out;
}

Eigen::VectorXd one_minus_true_probability(const Eigen::MatrixXd& x, const Eigen::VectorXi& y,
                                           const Eigen::MatrixXd& weight, const Eigen::VectorXd& bias) {
  const Eigen::MatrixXd z = (x * weight.transpose()).rowwise() + bias.transpose();
  Eigen::VectorXd out(x.rows());
  for (Eigen::Index t = 0; t < x.rows(); ++t) {
    // 1 - p_y = sum_{c != y} p_c = 1 / (1 + exp(z_y - lse_others)).
    out(t) = 1.0 / (1.0 + std::exp(z(t, y(t)) - log_sum_exp_others(z.row(t), y(t))));
  }
  return out;
}

}  // namespace sb::models
