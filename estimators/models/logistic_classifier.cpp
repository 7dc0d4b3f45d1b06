// Multinomial logistic regression with L2 (textbook); derivatives as in Bishop (2006), PRML section 4.3.4
#include "estimators/models/logistic_classifier.h"

#include <cmath>
#include <limits>
#include <vector>

#include "estimators/models/classifier.h"
#include "harness/core/errors.h"

namespace sb::models {

Eigen::MatrixXd LogisticClassifier::logits(const Eigen::MatrixXd& x) const {
  return (x * weight.transpose()).rowwise() + bias.transpose();
}

Eigen::VectorXi LogisticClassifier::predict(const Eigen::MatrixXd& x) const {
  Eigen::VectorXi out(x.rows());
  if (constant_class >= 0) return out.setConstant(constant_class);
  const Eigen::MatrixXd z = logits(x);
  for (Eigen::Index i = 0; i < z.rows(); ++i) {
    Eigen::Index best = 0;
    for (Eigen::Index c = 1; c < z.cols(); ++c) {
      if (z(i, c) > z(i, best)) best = c;
    }
    out(i) = static_cast<int>(best);
  }
  return out;
}

double LogisticClassifier::accuracy(const Eigen::MatrixXd& x, const Eigen::VectorXi& y) const {
  if (y.size() == 0) return 0;
  return static_cast<double>((predict(x).array() == y.array()).count()) / static_cast<double>(y.size());
}

LogisticClassifier fit_logistic(const Eigen::MatrixXd& x, const Eigen::VectorXi& y, int num_classes,
                                const SoftmaxRegressionOptions& options, const LogisticClassifier* start) {
  check_training_data(x, y, num_classes, "logistic regression");
  LogisticClassifier out;
  out.num_classes = num_classes;
  std::vector<int> present_index(static_cast<size_t>(num_classes), -1);
  std::vector<int> present;  // original class of each compact class
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    int& slot = present_index[static_cast<size_t>(y(i))];
    if (slot < 0) {
      slot = static_cast<int>(present.size());
      present.push_back(y(i));
    }
  }
  out.weight = Eigen::MatrixXd::Zero(num_classes, x.cols());
  out.bias = Eigen::VectorXd::Constant(num_classes, -std::numeric_limits<double>::infinity());
  if (present.size() == 1) {
    out.constant_class = present[0];
    out.bias(present[0]) = 0;
    return out;
  }
  // Compact labels in order of first appearance; map back in class order.
  Eigen::VectorXi compact(y.size());
  for (Eigen::Index i = 0; i < y.size(); ++i) compact(i) = present_index[static_cast<size_t>(y(i))];
  // A warm start needs the start's classes to be exactly the present ones.
  SoftmaxRegressionOptions o = options;
  Eigen::VectorXd initial;
  bool same_classes = start && start->constant_class < 0 && start->weight.rows() == num_classes &&
                      start->weight.cols() == x.cols();
  for (int c = 0; same_classes && c < num_classes; ++c)
    same_classes = std::isfinite(start->bias(c)) == (present_index[static_cast<size_t>(c)] >= 0);
  if (same_classes) {
    const auto k = static_cast<Eigen::Index>(present.size()), p = x.cols();
    initial.resize(k * p + k);
    Eigen::Map<Eigen::MatrixXd> w(initial.data(), k, p);
    for (Eigen::Index c = 0; c < k; ++c) {
      w.row(c) = start->weight.row(present[static_cast<size_t>(c)]);
      initial(k * p + c) = start->bias(present[static_cast<size_t>(c)]);
    }
    o.initial = &initial;
  }
  const SoftmaxRegression fit(x, compact, static_cast<int>(present.size()), o);
  for (size_t c = 0; c < present.size(); ++c) {
    out.weight.row(present[c]) = fit.weight().row(static_cast<Eigen::Index>(c));
    out.bias(present[c]) = fit.bias()(static_cast<Eigen::Index>(c));
  }
  out.converged = fit.converged();
  return out;
}

Eigen::MatrixXd per_example_gradients(const Eigen::MatrixXd& x, const Eigen::VectorXi& y,
                                      const Eigen::MatrixXd& weight, const Eigen::VectorXd& bias) {
  const Eigen::Index n = x.rows(), p = x.cols(), k = weight.rows();
  Eigen::MatrixXd residual = softmax_rows((x * weight.transpose()).rowwise() + bias.transpose());
  for (Eigen::Index i = 0; i < n; ++i) residual(i, y(i)) -= 1.0;  // d loss_i / d logits
  Eigen::MatrixXd g(n, k * (p + 1));
  for (Eigen::Index j = 0; j < p; ++j) {
    g.middleCols(j * k, k) = residual.array().colwise() * x.col(j).array();
  }
  g.rightCols(k) = residual;
  return g;
}

Eigen::MatrixXd softmax_hessian(const Eigen::MatrixXd& x, const Eigen::MatrixXd& weight,
                                const Eigen::VectorXd& bias, double l2) {
  const Eigen::Index n = x.rows(), p = x.cols(), k = weight.rows(), dim = k * (p + 1);
  const Eigen::MatrixXd prob = softmax_rows((x * weight.transpose()).rowwise() + bias.transpose());
  Eigen::MatrixXd h = Eigen::MatrixXd::Zero(dim, dim);
  Eigen::VectorXd z(p + 1);
  for (Eigen::Index i = 0; i < n; ++i) {
    const Eigen::VectorXd pi = prob.row(i).transpose();
    const Eigen::MatrixXd a = Eigen::MatrixXd(pi.asDiagonal()) - pi * pi.transpose();  // k x k
    z << x.row(i).transpose(), 1.0;
    // Parameter index of (class c, input j) is j * k + c (input p = the bias).
    const Eigen::MatrixXd zz = z * z.transpose();
    for (Eigen::Index j = 0; j <= p; ++j) {
      for (Eigen::Index l = 0; l <= j; ++l) h.block(j * k, l * k, k, k).noalias() += zz(j, l) * a;
    }
  }
  for (Eigen::Index j = 0; j <= p; ++j) {
    for (Eigen::Index l = 0; l < j; ++l) h.block(l * k, j * k, k, k) = h.block(j * k, l * k, k, k).transpose();
  }
  h /= static_cast<double>(n);
  h.topLeftCorner(k * p, k * p).diagonal().array() += l2;
  return h;
}

Eigen::VectorXd softmax_hessian_vector(const Eigen::MatrixXd& x, const Eigen::MatrixXd& weight,
                                       const Eigen::VectorXd& bias, double l2, const Eigen::VectorXd& v) {
  const Eigen::Index n = x.rows(), p = x.cols(), k = weight.rows();
  // With Theta = [W, b] (k x (p+1)) and z_i = [x_i; 1]: H vec(V) =
  // vec((1/n) sum_i A_i V z_i z_i^T) + l2 vec([V_W, 0]), A_i = diag(p_i) - p_i p_i^T.
  const Eigen::Map<const Eigen::MatrixXd> vw(v.data(), k, p);
  const Eigen::Map<const Eigen::VectorXd> vb(v.data() + k * p, k);
  const Eigen::MatrixXd prob = softmax_rows((x * weight.transpose()).rowwise() + bias.transpose());
  const Eigen::MatrixXd u = (x * vw.transpose()).rowwise() + vb.transpose();  // n x k: rows (V z_i)^T
  Eigen::MatrixXd a = prob.cwiseProduct(u);
  const Eigen::VectorXd pu = a.rowwise().sum();
  a -= prob.cwiseProduct(pu.replicate(1, k));  // rows (A_i V z_i)^T
  Eigen::VectorXd out(k * (p + 1));
  Eigen::Map<Eigen::MatrixXd> ow(out.data(), k, p);
  ow = (a.transpose() * x) / static_cast<double>(n) + l2 * vw;
  out.tail(k) = a.colwise().sum().transpose() / static_cast<double>(n);
  return out;
}

}  // namespace sb::models
