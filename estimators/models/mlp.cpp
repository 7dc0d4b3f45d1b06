// Paper: Kingma & Ba (2015), Adam: A method for stochastic optimization, ICLR (trainer); He et al. (2015) init
#include "estimators/models/mlp.h"

#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "estimators/models/softmax_regression.h"
#include "harness/core/errors.h"
#include "harness/core/suite.h"

namespace sb::models {

namespace {

// Portable draws (std:: distributions differ across standard libraries).
double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }
double standard_normal(std::mt19937_64& rng) {
  double u = uniform01(rng);
  while (u <= 0) u = uniform01(rng);
  return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * M_PI * uniform01(rng));
}
void shuffle(std::vector<Eigen::Index>& v, std::mt19937_64& rng) {
  for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng() % i]);
}

struct Adam {
  // Zero moments shaped as p.
  Adam(double learning_rate, const MlpParameters& p) : lr(learning_rate) {
    m = {Eigen::MatrixXd::Zero(p.w1.rows(), p.w1.cols()), Eigen::VectorXd::Zero(p.b1.size()),
         Eigen::MatrixXd::Zero(p.w2.rows(), p.w2.cols()), Eigen::VectorXd::Zero(p.b2.size())};
    v = m;
  }
  double lr, beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  long t = 0;
  MlpParameters m, v;
  template <class A>
  void update(A& param, const A& grad, A& m1, A& m2, double c1, double c2) {
    m1 = beta1 * m1 + (1 - beta1) * grad;
    m2 = beta2 * m2 + (1 - beta2) * grad.cwiseProduct(grad);
    param.array() -= lr * (m1.array() / c1) / ((m2.array() / c2).sqrt() + eps);
  }
  void step(MlpParameters& p, const MlpParameters& g) {
    ++t;
    const double c1 = 1 - std::pow(beta1, t), c2 = 1 - std::pow(beta2, t);
    update(p.w1, g.w1, m.w1, v.w1, c1, c2);
    update(p.b1, g.b1, m.b1, v.b1, c1, c2);
    update(p.w2, g.w2, m.w2, v.w2, c1, c2);
    update(p.b2, g.b2, m.b2, v.b2, c1, c2);
  }
};

}  // namespace

double mlp_objective(const MlpParameters& params, const Eigen::MatrixXd& x,
                     const Eigen::VectorXi& y, double l2, MlpParameters* gradient) {
  const Eigen::MatrixXd pre = (x * params.w1.transpose()).rowwise() + params.b1.transpose();
  const Eigen::MatrixXd h = pre.cwiseMax(0.0);
  Eigen::MatrixXd w2_grad;
  Eigen::VectorXd b2_grad;
  const double data_loss = softmax_objective(h, y, params.w2, params.b2, 0.0,
                                             gradient ? &w2_grad : nullptr,
                                             gradient ? &b2_grad : nullptr);
  const double loss =
      data_loss + 0.5 * l2 * (params.w1.squaredNorm() + params.w2.squaredNorm());
  if (gradient) {
    // Recompute dloss/dlogits (softmax_objective returns only parameter gradients).
    Eigen::MatrixXd d = softmax_rows((h * params.w2.transpose()).rowwise() + params.b2.transpose());
    for (Eigen::Index i = 0; i < x.rows(); ++i) d(i, y(i)) -= 1.0;
    d /= static_cast<double>(x.rows());
    Eigen::MatrixXd dpre = (d * params.w2).cwiseProduct((pre.array() > 0).cast<double>().matrix());
    gradient->w2 = w2_grad + l2 * params.w2;
    gradient->b2 = b2_grad;
    gradient->w1 = dpre.transpose() * x + l2 * params.w1;
    gradient->b1 = dpre.colwise().sum().transpose();
  }
  return loss;
}

Mlp::Mlp(MlpParameters params)
    : w1_(std::move(params.w1)), b1_(std::move(params.b1)) {
  weight_ = std::move(params.w2);
  bias_ = std::move(params.b2);
  SB_THROW_IF_NOT(InputError, w1_.rows() == b1_.size() && weight_.cols() == w1_.rows() &&
                                  weight_.rows() == bias_.size(),
                  "mlp: inconsistent shapes w1 {}x{}, b1 {}, w2 {}x{}, b2 {}", w1_.rows(),
                  w1_.cols(), b1_.size(), weight_.rows(), weight_.cols(), bias_.size());
}

Mlp::Mlp(const Eigen::MatrixXd& x, const Eigen::VectorXi& y, int num_classes,
         const MlpOptions& options) {
  check_training_data(x, y, num_classes, "mlp");
  SB_THROW_IF_NOT(InputError, options.hidden >= 1 && options.epochs >= 1 && options.batch_size >= 1,
                  "mlp: hidden = {}, epochs = {}, batch_size = {} (all must be >= 1)",
                  options.hidden, options.epochs, options.batch_size);
  SB_THROW_IF_NOT(InputError, options.learning_rate > 0 && options.l2 >= 0,
                  "mlp: learning_rate = {} (> 0), l2 = {} (>= 0)", options.learning_rate,
                  options.l2);
  const Eigen::Index n = x.rows(), p = x.cols(), h = options.hidden, k = num_classes;
  std::mt19937_64 init_rng(derive_seed(options.seed, "mlp/init"));
  MlpParameters params{Eigen::MatrixXd(h, p), Eigen::VectorXd::Zero(h), Eigen::MatrixXd(k, h),
                       Eigen::VectorXd::Zero(k)};
  const double s1 = std::sqrt(2.0 / p), s2 = std::sqrt(1.0 / h);
  for (Eigen::Index j = 0; j < p; ++j)
    for (Eigen::Index i = 0; i < h; ++i) params.w1(i, j) = s1 * standard_normal(init_rng);
  for (Eigen::Index j = 0; j < h; ++j)
    for (Eigen::Index i = 0; i < k; ++i) params.w2(i, j) = s2 * standard_normal(init_rng);

  Adam adam(options.learning_rate, params);
  std::mt19937_64 shuffle_rng(derive_seed(options.seed, "mlp/shuffle"));
  std::vector<Eigen::Index> order(n);
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  MlpParameters grad;
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    shuffle(order, shuffle_rng);
    for (Eigen::Index start = 0; start < n; start += options.batch_size) {
      const Eigen::Index m = std::min<Eigen::Index>(options.batch_size, n - start);
      Eigen::MatrixXd xb(m, p);
      Eigen::VectorXi yb(m);
      for (Eigen::Index r = 0; r < m; ++r) {
        xb.row(r) = x.row(order[start + r]);
        yb(r) = y(order[start + r]);
      }
      const double loss = mlp_objective(params, xb, yb, options.l2, &grad);
      if (!std::isfinite(loss)) {
        throw MethodError("mlp: training diverged (loss {}) in epoch {}; lower learning_rate {}",
                          loss, epoch, options.learning_rate);
      }
      adam.step(params, grad);
    }
  }
  final_loss_ = mlp_objective(params, x, y, options.l2, nullptr);
  w1_ = std::move(params.w1);
  b1_ = std::move(params.b1);
  weight_ = std::move(params.w2);
  bias_ = std::move(params.b2);
}

Eigen::MatrixXd Mlp::features(const Eigen::MatrixXd& inputs) const {
  SB_THROW_IF_NOT(InputError, inputs.cols() == w1_.cols(),
                  "mlp: inputs have {} columns, model expects {}", inputs.cols(), w1_.cols());
  return ((inputs * w1_.transpose()).rowwise() + b1_.transpose()).cwiseMax(0.0);
}

Eigen::MatrixXd Mlp::input_gradient(const Eigen::MatrixXd& inputs, double temperature) const {
  SB_THROW_IF_NOT(InputError, inputs.cols() == w1_.cols(),
                  "mlp: inputs have {} columns, model expects {}", inputs.cols(), w1_.cols());
  const Eigen::MatrixXd pre = (inputs * w1_.transpose()).rowwise() + b1_.transpose();
  const Eigen::MatrixXd logits = logits_from_features(pre.cwiseMax(0.0));
  const Eigen::MatrixXd dh = odin_feature_gradient(logits, weight_, temperature);
  return dh.cwiseProduct((pre.array() > 0).cast<double>().matrix()) * w1_;
}

}  // namespace sb::models
