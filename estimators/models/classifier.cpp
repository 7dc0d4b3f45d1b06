#include "estimators/models/classifier.h"

#include "harness/core/errors.h"

namespace sb::models {

Eigen::MatrixXd softmax_rows(const Eigen::MatrixXd& logits, double temperature) {
  // Dividing by 1 changes no bit: skip the copy.
  if (temperature != 1.0) return softmax_rows(Eigen::MatrixXd(logits / temperature));
  Eigen::MatrixXd p = logits.colwise() - logits.rowwise().maxCoeff();
  p = p.array().exp();
  p.array().colwise() /= p.rowwise().sum().array();
  return p;
}

Eigen::MatrixXd odin_logit_gradient(const Eigen::MatrixXd& logits, double temperature) {
  SB_THROW_IF_NOT(InputError, temperature > 0, "ODIN temperature {} must be > 0", temperature);
  Eigen::MatrixXd d = softmax_rows(logits / temperature);
  for (Eigen::Index i = 0; i < logits.rows(); ++i) {
    Eigen::Index c;
    logits.row(i).maxCoeff(&c);
    d(i, c) -= 1.0;
  }
  return d / temperature;
}

Eigen::MatrixXd odin_feature_gradient(const Eigen::MatrixXd& logits, const Eigen::MatrixXd& weight,
                                      double temperature) {
  return odin_logit_gradient(logits, temperature) * weight;
}

}  // namespace sb::models
