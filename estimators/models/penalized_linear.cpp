#include "estimators/models/penalized_linear.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "estimators/models/linear_hessian.h"
#include "harness/core/errors.h"

namespace sb::models {
namespace {

// Row-wise softmax of logits (n x k), stable; writes log-sum-exp per row when asked.
Eigen::MatrixXd softmax_rows(const Eigen::MatrixXd& logits, Eigen::VectorXd* log_sum_exp = nullptr) {
  Eigen::MatrixXd p(logits.rows(), logits.cols());
  if (log_sum_exp) log_sum_exp->resize(logits.rows());
  for (Eigen::Index i = 0; i < logits.rows(); ++i) {
    const double top = logits.row(i).maxCoeff();
    p.row(i) = (logits.row(i).array() - top).exp();
    const double sum = p.row(i).sum();
    p.row(i) /= sum;
    if (log_sum_exp) (*log_sum_exp)(i) = top + std::log(sum);
  }
  return p;
}

Eigen::MatrixXd one_hot(const Eigen::VectorXi& y, Eigen::Index k) {
  Eigen::MatrixXd out = Eigen::MatrixXd::Zero(y.size(), k);
  for (Eigen::Index i = 0; i < y.size(); ++i) out(i, y(i)) = 1.0;
  return out;
}

void check_shapes(const Eigen::MatrixXd& z, const Eigen::VectorXi& y, const Eigen::MatrixXd& theta, const char* who) {
  SB_THROW_IF_NOT(InputError, z.rows() == y.size() && z.cols() == theta.rows(),
                  "{}: z is {}x{}, y has {} labels, theta is {}x{}", who, z.rows(), z.cols(), y.size(), theta.rows(),
                  theta.cols());
  for (Eigen::Index i = 0; i < y.size(); ++i)
    SB_THROW_IF_NOT(InputError, y(i) >= 0 && y(i) < theta.cols(), "{}: label {} of row {} not in [0, {})", who, y(i),
                    i, theta.cols());
}

}  // namespace

Eigen::MatrixXd augment(const Eigen::MatrixXd& x) {
  Eigen::MatrixXd z(x.rows(), x.cols() + 1);
  z.leftCols(x.cols()) = x;
  z.col(x.cols()).setOnes();
  return z;
}

Eigen::VectorXd example_losses(const PenalizedLinear& model, const Eigen::MatrixXd& z, const Eigen::VectorXi& y,
                               const Eigen::MatrixXd& theta) {
  check_shapes(z, y, theta, "example_losses");
  const Eigen::MatrixXd out = z * theta;
  Eigen::VectorXd loss(z.rows());
  if (model.loss == LinearLoss::kSoftmax) {
    Eigen::VectorXd lse;
    softmax_rows(out, &lse);
    for (Eigen::Index i = 0; i < z.rows(); ++i) loss(i) = lse(i) - out(i, y(i));
  } else {
    const Eigen::MatrixXd r = out - one_hot(y, theta.cols());
    loss = 0.5 * r.rowwise().squaredNorm();
  }
  return loss;
}

double linear_objective(const PenalizedLinear& model, const Eigen::MatrixXd& z, const Eigen::VectorXi& y,
                        const Eigen::MatrixXd& theta, Eigen::MatrixXd* gradient, bool penalty) {
  check_shapes(z, y, theta, "linear_objective");
  const Eigen::MatrixXd out = z * theta;
  const Eigen::MatrixXd target = one_hot(y, theta.cols());
  double value = 0;
  Eigen::MatrixXd residual;  // d loss / d outputs, n x k
  if (model.loss == LinearLoss::kSoftmax) {
    Eigen::VectorXd lse;
    residual = softmax_rows(out, &lse) - target;
    for (Eigen::Index i = 0; i < z.rows(); ++i) value += lse(i) - out(i, y(i));
  } else {
    residual = out - target;
    value = 0.5 * residual.squaredNorm();
  }
  const double scale = penalty ? model.lambda : 0.0;
  value += 0.5 * scale * theta.squaredNorm();
  if (gradient) *gradient = z.transpose() * residual + scale * theta;
  return value;
}

Eigen::MatrixXd linear_hessian_vector(const PenalizedLinear& model, const Eigen::MatrixXd& z,
                                      const Eigen::MatrixXd& theta, const Eigen::MatrixXd& v) {
  const Eigen::MatrixXd u = z * v;
  if (model.loss == LinearLoss::kSquared) return z.transpose() * u + model.lambda * v;
  const Eigen::MatrixXd p = softmax_rows(z * theta);
  const Eigen::MatrixXd pu = p.cwiseProduct(u);
  const Eigen::MatrixXd r = pu - p.cwiseProduct(pu.rowwise().sum().replicate(1, p.cols()));
  return z.transpose() * r + model.lambda * v;
}

Eigen::MatrixXd linear_hessian(const PenalizedLinear& model, const Eigen::MatrixXd& z, const Eigen::MatrixXd& theta) {
  const Eigen::Index q = z.cols(), k = theta.cols();
  Eigen::MatrixXd h = Eigen::MatrixXd::Zero(q * k, q * k);
  if (model.loss == LinearLoss::kSquared) {
    const Eigen::MatrixXd gram = z.transpose() * z;
    for (Eigen::Index c = 0; c < k; ++c) h.block(c * q, c * q, q, q) = gram;
  } else {
    const Eigen::MatrixXd p = softmax_rows(z * theta);
    for (Eigen::Index c = 0; c < k; ++c) {
      for (Eigen::Index d = c; d < k; ++d) {
        Eigen::VectorXd w = -p.col(c).cwiseProduct(p.col(d));
        if (c == d) w += p.col(c);
        const Eigen::MatrixXd block = z.transpose() * w.asDiagonal() * z;
        h.block(c * q, d * q, q, q) = block;
        if (d != c) h.block(d * q, c * q, q, q) = block.transpose();
      }
    }
  }
  h.diagonal().array() += model.lambda;
  return h;
}

Eigen::MatrixXd linear_hessian_diagonal(const PenalizedLinear& model, const Eigen::MatrixXd& z,
                                        const Eigen::MatrixXd& theta) {
  const Eigen::MatrixXd z2 = z.array().square().matrix();
  Eigen::MatrixXd d;
  if (model.loss == LinearLoss::kSquared) {
    d = z2.colwise().sum().transpose().replicate(1, theta.cols());
  } else {
    const Eigen::MatrixXd p = softmax_rows(z * theta);
    d = z2.transpose() * p.cwiseProduct((1.0 - p.array()).matrix());
  }
  return (d.array() + model.lambda).matrix();
}

Eigen::MatrixXd solve_linear_hessian(const PenalizedLinear& model, const Eigen::MatrixXd& z,
                                     const Eigen::MatrixXd& theta, const Eigen::MatrixXd& rhs,
                                     double relative_tolerance) {
  const Eigen::Index q = theta.rows(), k = theta.cols();
  if (q * k <= 3000) {
    const Eigen::LLT<Eigen::MatrixXd> llt(linear_hessian(model, z, theta));
    SB_THROW_IF_NOT(MethodError, llt.info() == Eigen::Success, "solve_linear_hessian: Cholesky failed");
    const Eigen::VectorXd x = llt.solve(rhs.reshaped());
    return x.reshaped(q, k);
  }
  // Conjugate gradients on Hessian-vector products, Kronecker-preconditioned (linear_hessian.h).
  LinearHessianOperator hessian(model, z, theta);
  KroneckerPreconditioner preconditioner(hessian);
  return preconditioned_conjugate_gradients(hessian, preconditioner, rhs, relative_tolerance, 10 * q * k);
}

Eigen::MatrixXd fit_linear(const PenalizedLinear& model, const Eigen::MatrixXd& z, const Eigen::VectorXi& y,
                           int num_classes, const Eigen::MatrixXd& start, const Eigen::MatrixXd& linear_term,
                           LinearFitTrace* trace) {
  SB_THROW_IF_NOT(InputError, model.lambda > 0, "fit_linear: lambda = {} must be > 0", model.lambda);
  Eigen::MatrixXd theta = start.size() ? start : Eigen::MatrixXd::Zero(z.cols(), num_classes);
  const bool linear = linear_term.size() > 0;
  auto objective = [&](const Eigen::MatrixXd& t, Eigen::MatrixXd* g) {
    double f = linear_objective(model, z, y, t, g);
    if (linear) {
      f += linear_term.cwiseProduct(t).sum();
      if (g) *g += linear_term;
    }
    return f;
  };
  const double scale = std::max<double>(1.0, static_cast<double>(z.rows()));
  Eigen::MatrixXd g;
  double f = objective(theta, &g);
  const bool factor = theta.size() <= 3000;
  std::optional<KroneckerPreconditioner> preconditioner;
  for (int it = 0; it < model.max_iterations; ++it) {
    if (g.cwiseAbs().maxCoeff() / scale <= model.tolerance) return theta;
    // Truncated Newton: the system is solved to a relative residual eta that
    // falls with the gradient (superlinear convergence; eta = g^(1/3) took
    // fewer Hessian products than g^(1/2) or g^(3/4) on Fashion-MNIST,
    // docs/PERFORMANCE.md), but never tighter than the tolerance needs (the
    // new gradient is about the residual).
    const double gradient_max = g.cwiseAbs().maxCoeff() / scale;
    const double forcing =
        std::max(std::min(0.1, std::cbrt(gradient_max)), 0.5 * model.tolerance * scale / g.norm());
    Eigen::MatrixXd step;
    if (factor) {
      step = solve_linear_hessian(model, z, theta, -g, forcing);
    } else {
      // The preconditioner's input factor (a Gram matrix and its eigendecomposition)
      // is computed once, at the start; its class factor follows theta.
      LinearHessianOperator hessian(model, z, theta);
      if (!preconditioner) {
        preconditioner.emplace(hessian);
      } else {
        preconditioner->update_class_factor(hessian);
      }
      Eigen::Index cg = 0;
      step = preconditioned_conjugate_gradients(hessian, *preconditioner, -g, forcing, 10 * theta.size(), &cg);
      if (trace) trace->cg_iterations += cg;
    }
    if (trace) ++trace->newton_iterations;
    const double slope = g.cwiseProduct(step).sum();  // < 0
    double t = 1.0;
    // Near the optimum the decrease is below rounding of f: take the full step.
    if (-slope > 1e-10 * std::max(1.0, std::abs(f))) {
      while (t > 1e-12 && objective(theta + t * step, nullptr) > f + 1e-4 * t * slope) t *= 0.5;
    }
    theta += t * step;
    f = objective(theta, &g);
  }
  if (g.cwiseAbs().maxCoeff() / scale <= model.tolerance) return theta;
  throw MethodError("fit_linear: Newton did not reach max |gradient| / n <= {} in {} iterations (at {})",
                    model.tolerance, model.max_iterations, g.cwiseAbs().maxCoeff() / scale);
}

Eigen::MatrixXd linear_predictions(const PenalizedLinear& model, const Eigen::MatrixXd& z,
                                   const Eigen::MatrixXd& theta) {
  const Eigen::MatrixXd out = z * theta;
  return model.loss == LinearLoss::kSoftmax ? softmax_rows(out) : out;
}

}  // namespace sb::models
