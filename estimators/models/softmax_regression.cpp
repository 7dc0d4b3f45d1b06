// Multinomial logistic regression (textbook), fitted by L-BFGS: Liu & Nocedal (1989), Math. Programming 45
#include "estimators/models/softmax_regression.h"

#include "estimators/models/lbfgs.h"
#include "harness/core/errors.h"

namespace sb::models {

void check_training_data(const Eigen::MatrixXd& x, const Eigen::VectorXi& y, int num_classes,
                         const char* who) {
  SB_THROW_IF_NOT(InputError, x.rows() > 0 && x.rows() == y.size(),
                  "{}: {} input rows but {} labels", who, x.rows(), y.size());
  SB_THROW_IF_NOT(InputError, num_classes >= 2, "{}: num_classes = {} (need >= 2)", who,
                  num_classes);
  SB_THROW_IF_NOT(InputError, y.minCoeff() >= 0 && y.maxCoeff() < num_classes,
                  "{}: labels in [{}, {}] but num_classes = {}", who, y.minCoeff(), y.maxCoeff(),
                  num_classes);
  SB_THROW_IF_NOT(InputError, x.allFinite(), "{}: inputs contain NaN or infinity", who);
}

double softmax_objective(const Eigen::MatrixXd& x, const Eigen::VectorXi& y,
                         const Eigen::MatrixXd& weight, const Eigen::VectorXd& bias, double l2,
                         Eigen::MatrixXd* weight_gradient, Eigen::VectorXd* bias_gradient) {
  const Eigen::Index n = x.rows();
  Eigen::MatrixXd logits = (x * weight.transpose()).rowwise() + bias.transpose();
  const Eigen::VectorXd row_max = logits.rowwise().maxCoeff();
  logits.colwise() -= row_max;
  Eigen::MatrixXd p = logits.array().exp();
  const Eigen::VectorXd norm = p.rowwise().sum();
  double loss = 0;
  for (Eigen::Index i = 0; i < n; ++i) loss += std::log(norm(i)) - logits(i, y(i));
  loss = loss / n + 0.5 * l2 * weight.squaredNorm();
  if (weight_gradient || bias_gradient) {
    p.array().colwise() /= norm.array();
    for (Eigen::Index i = 0; i < n; ++i) p(i, y(i)) -= 1.0;  // dloss_i/dlogits
    if (weight_gradient) *weight_gradient = (p.transpose() * x) / n + l2 * weight;
    if (bias_gradient) *bias_gradient = p.colwise().sum().transpose() / n;
  }
  return loss;
}

SoftmaxRegression::SoftmaxRegression(Eigen::MatrixXd weight, Eigen::VectorXd bias) {
  SB_THROW_IF_NOT(InputError, weight.rows() == bias.size(), "softmax regression: weight {}x{} but bias {}",
                  weight.rows(), weight.cols(), bias.size());
  weight_ = std::move(weight);
  bias_ = std::move(bias);
}

SoftmaxRegression::SoftmaxRegression(const Eigen::MatrixXd& x, const Eigen::VectorXi& y,
                                     int num_classes, const SoftmaxRegressionOptions& options) {
  check_training_data(x, y, num_classes, "softmax regression");
  SB_THROW_IF_NOT(InputError, options.l2 >= 0, "softmax regression: l2 = {} must be >= 0",
                  options.l2);
  const Eigen::Index k = num_classes, p = x.cols();
  // Parameters packed as [vec(W) column-major (k x p), b].
  auto unpack = [k, p](const Eigen::VectorXd& theta, Eigen::MatrixXd& w, Eigen::VectorXd& b) {
    w = Eigen::Map<const Eigen::MatrixXd>(theta.data(), k, p);
    b = theta.tail(k);
  };
  auto objective = [&](const Eigen::VectorXd& theta, Eigen::VectorXd& grad) {
    Eigen::MatrixXd w, gw;
    Eigen::VectorXd b, gb;
    unpack(theta, w, b);
    const double f = softmax_objective(x, y, w, b, options.l2, &gw, &gb);
    grad.resize(theta.size());
    grad.head(k * p) = Eigen::Map<const Eigen::VectorXd>(gw.data(), k * p);
    grad.tail(k) = gb;
    return f;
  };
  LbfgsOptions lbfgs;
  lbfgs.max_iterations = options.max_iterations;
  lbfgs.gradient_tolerance = options.gradient_tolerance;
  if (options.initial) {
    SB_THROW_IF_NOT(InputError, options.initial->size() == k * p + k,
                    "softmax regression: a starting point of {} parameters for {}", options.initial->size(), k * p + k);
  }
  const auto result =
      minimize_lbfgs(objective, options.initial ? *options.initial : Eigen::VectorXd::Zero(k * p + k), lbfgs);
  unpack(result.x, weight_, bias_);
  iterations_ = result.iterations;
  converged_ = result.converged;
  gradient_max_ = result.gradient_max;
}

Eigen::MatrixXd SoftmaxRegression::features(const Eigen::MatrixXd& inputs) const {
  SB_THROW_IF_NOT(InputError, inputs.cols() == weight_.cols(),
                  "softmax regression: inputs have {} columns, model expects {}", inputs.cols(),
                  weight_.cols());
  return inputs;
}

Eigen::MatrixXd SoftmaxRegression::input_gradient(const Eigen::MatrixXd& inputs,
                                                  double temperature) const {
  return odin_feature_gradient(logits_from_features(features(inputs)), weight_, temperature);
}

}  // namespace sb::models
