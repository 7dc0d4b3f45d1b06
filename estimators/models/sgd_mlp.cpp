// The SGD-trained ReLU network of sgd_mlp.h.
#include "estimators/models/sgd_mlp.h"

#include <cmath>
#include <random>

#include "datasets/random.h"
#include "harness/core/errors.h"

namespace sb::models {
namespace {

// Views of the layers in theta: weights (out x in) then biases (out).
struct Layer {
  Eigen::Index offset, out, in;
};
std::vector<Layer> layers_of(const SgdMlpShape& s) {
  SB_THROW_IF_NOT(InputError, s.layers == 1 || s.layers == 2, "sgd_mlp: layers must be 1 or 2, got {}", s.layers);
  SB_THROW_IF_NOT(InputError, s.inputs > 0 && s.hidden > 0 && s.classes >= 1,
                  "sgd_mlp: bad shape ({} inputs, {} hidden, {} outputs)", s.inputs, s.hidden, s.classes);
  std::vector<Layer> out;
  Eigen::Index offset = 0, in = s.inputs;
  for (int l = 0; l <= s.layers; ++l) {
    const Eigen::Index o = l == s.layers ? s.classes : s.hidden;
    out.push_back({offset, o, in});
    offset += o * in + o;
    in = o;
  }
  return out;
}
Eigen::Map<const Eigen::MatrixXd> weight(const Eigen::VectorXd& theta, const Layer& l) {
  return {theta.data() + l.offset, l.out, l.in};
}
Eigen::Map<const Eigen::VectorXd> bias(const Eigen::VectorXd& theta, const Layer& l) {
  return {theta.data() + l.offset + l.out * l.in, l.out};
}

}  // namespace

Eigen::Index SgdMlpShape::size() const {
  const auto l = layers_of(*this);
  return l.back().offset + l.back().out * l.back().in + l.back().out;
}

Eigen::VectorXd sgd_mlp_init(const SgdMlpShape& shape, std::uint64_t seed) {
  Eigen::VectorXd theta = Eigen::VectorXd::Zero(shape.size());
  std::mt19937_64 rng(seed);
  for (const auto& l : layers_of(shape)) {
    const double sd = std::sqrt(2.0 / static_cast<double>(l.in));
    for (Eigen::Index i = 0; i < l.out * l.in; ++i) theta(l.offset + i) = sd * data::standard_normal(rng);
  }
  return theta;
}

SgdMlpForward sgd_mlp_forward(const SgdMlpShape& shape, const Eigen::VectorXd& theta, const Eigen::MatrixXd& x) {
  SB_THROW_IF_NOT(InputError, x.cols() == shape.inputs && theta.size() == shape.size(),
                  "sgd_mlp: {} inputs and {} parameters, expected {} and {}", x.cols(), theta.size(), shape.inputs,
                  shape.size());
  const auto ls = layers_of(shape);
  SgdMlpForward f;
  const Eigen::MatrixXd* h = &x;
  for (size_t l = 0; l + 1 < ls.size(); ++l) {
    Eigen::MatrixXd a = *h * weight(theta, ls[l]).transpose();
    a.rowwise() += bias(theta, ls[l]).transpose();
    f.hidden.push_back(a.cwiseMax(0.0));
    h = &f.hidden.back();
  }
  f.logits = *h * weight(theta, ls.back()).transpose();
  f.logits.rowwise() += bias(theta, ls.back()).transpose();
  return f;
}

Eigen::VectorXd sgd_mlp_backward(const SgdMlpShape& shape, const Eigen::VectorXd& theta, const Eigen::MatrixXd& x,
                                 const SgdMlpForward& f, const Eigen::MatrixXd& d_logits,
                                 const Eigen::MatrixXd* d_last_hidden) {
  const auto ls = layers_of(shape);
  Eigen::VectorXd g = Eigen::VectorXd::Zero(theta.size());
  Eigen::MatrixXd delta = d_logits;  // gradient w.r.t. the layer's pre-activation output
  for (size_t l = ls.size(); l-- > 0;) {
    const Eigen::MatrixXd& in = l == 0 ? x : f.hidden[l - 1];
    Eigen::Map<Eigen::MatrixXd>(g.data() + ls[l].offset, ls[l].out, ls[l].in) = delta.transpose() * in;
    Eigen::Map<Eigen::VectorXd>(g.data() + ls[l].offset + ls[l].out * ls[l].in, ls[l].out) =
        delta.colwise().sum().transpose();
    if (l == 0) break;
    Eigen::MatrixXd d_in = delta * weight(theta, ls[l]);
    if (l + 1 == ls.size() && d_last_hidden) d_in += *d_last_hidden;
    delta = d_in.cwiseProduct((f.hidden[l - 1].array() > 0).cast<double>().matrix());
  }
  return g;
}

Eigen::MatrixXd sgd_mlp_probabilities(const SgdMlpShape& shape, const Eigen::VectorXd& theta,
                                      const Eigen::MatrixXd& x) {
  return softmax_rows(sgd_mlp_forward(shape, theta, x).logits);
}

double sgd_mlp_objective(const SgdMlpShape& shape, const Eigen::VectorXd& theta, const Eigen::MatrixXd& x,
                         const Eigen::VectorXi& y, double l2, Eigen::VectorXd* gradient) {
  const auto f = sgd_mlp_forward(shape, theta, x);
  Eigen::MatrixXd p = softmax_rows(f.logits);
  const double n = static_cast<double>(x.rows());
  double loss = 0;
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    SB_THROW_IF_NOT(InputError, y(i) >= 0 && y(i) < shape.classes, "sgd_mlp: label {} out of range", y(i));
    loss -= std::log(p(i, y(i)));
    p(i, y(i)) -= 1.0;
  }
  if (gradient) *gradient = sgd_mlp_backward(shape, theta, x, f, p / n) + l2 * theta;
  return loss / n + 0.5 * l2 * theta.squaredNorm();
}

Eigen::VectorXd sgd_descend(Eigen::VectorXd theta, Eigen::Index n, std::int64_t epochs, std::int64_t batch_size,
                            double learning_rate, std::uint64_t seed,
                            const std::function<Eigen::VectorXd(const std::vector<Eigen::Index>&,
                                                                const Eigen::VectorXd&)>& batch_gradient) {
  SB_THROW_IF_NOT(InputError, batch_size >= 1 && epochs >= 0, "sgd: batch_size = {} (need >= 1), epochs = {} (>= 0)",
                  batch_size, epochs);
  std::mt19937_64 rng(seed);
  std::vector<Eigen::Index> order(static_cast<size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i) order[static_cast<size_t>(i)] = i;
  for (std::int64_t e = 0; e < epochs; ++e) {
    data::shuffle_in_place(order, rng);
    for (size_t start = 0; start < order.size(); start += static_cast<size_t>(batch_size)) {
      const size_t end = std::min(order.size(), start + static_cast<size_t>(batch_size));
      const std::vector<Eigen::Index> rows(order.begin() + static_cast<std::ptrdiff_t>(start),
                                           order.begin() + static_cast<std::ptrdiff_t>(end));
      theta -= learning_rate * batch_gradient(rows, theta);
    }
    SB_THROW_IF_NOT(MethodError, theta.allFinite(), "sgd: the parameters became non-finite (epoch {})", e);
  }
  return theta;
}

Eigen::VectorXd sgd_mlp_train(const SgdMlpShape& shape, const Eigen::MatrixXd& x, const Eigen::VectorXi& y,
                              const SgdMlpOptions& o, std::uint64_t seed, const Eigen::VectorXd& start) {
  const Eigen::VectorXd theta0 = start.size() ? start : sgd_mlp_init(shape, seed);
  return sgd_descend(theta0, x.rows(), o.epochs, o.batch_size, o.learning_rate, seed ^ 0x5851f42d4c957f2dULL,
                     [&](const std::vector<Eigen::Index>& rows, const Eigen::VectorXd& theta) {
                       Eigen::MatrixXd xb(static_cast<Eigen::Index>(rows.size()), x.cols());
                       Eigen::VectorXi yb(static_cast<Eigen::Index>(rows.size()));
                       for (size_t i = 0; i < rows.size(); ++i) {
                         xb.row(static_cast<Eigen::Index>(i)) = x.row(rows[i]);
                         yb(static_cast<Eigen::Index>(i)) = y(rows[i]);
                       }
                       Eigen::VectorXd g;
                       sgd_mlp_objective(shape, theta, xb, yb, o.l2, &g);
                       return g;
                     });
}

}  // namespace sb::models
