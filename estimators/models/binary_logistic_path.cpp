// Newton's method for L2 logistic regression (textbook; Nocedal & Wright (2006), Numerical Optimization, ch. 3 and 6),
// warm-started along a growing set of rows with lazily refreshed curvature weights.
#include "estimators/models/binary_logistic_path.h"

#include <cmath>
#include <limits>

#include "harness/core/errors.h"

namespace sb::models {
namespace {

// sigma(u), writing e = exp(-|u|) (the loss needs it: loss()).
inline double sigmoid(double u, double& e) {
  e = std::exp(-std::abs(u));
  return u >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
}

// The logistic loss log(1 + e^u) - t u, without overflow (e = exp(-|u|)).
inline double loss(double u, double e, double t) { return std::max(u, 0.0) + std::log1p(e) - t * u; }

}  // namespace

BinaryLogisticPath::BinaryLogisticPath(const Eigen::MatrixXd& x, const Eigen::VectorXi& positive, double l2,
                                       double tolerance)
    : x_(&x), positive_(&positive), p_(x.cols()), half_l2_(l2 / 2), tolerance_(tolerance) {
  SB_THROW_IF_NOT(InputError, positive.size() == x.rows(), "binary logistic path: {} rows but {} labels", x.rows(),
                  positive.size());
  SB_THROW_IF_NOT(InputError, l2 >= 0 && tolerance > 0, "binary logistic path: l2 = {}, tolerance = {}", l2,
                  tolerance);
  const Eigen::Index n = x.rows(), q = p_ + 1;
  z_.resize(q, n);
  refresh_.resize(q, n);
  for (auto* v : {&t_, &u_, &sigma_, &e_, &curvature_, &v_, &r_, &u_trial_, &sigma_trial_, &e_trial_}) v->resize(n);
  for (auto* v : {&theta_, &residual_sum_, &gradient_, &theta_trial_, &residual_sum_trial_, &gradient_trial_})
    v->setZero(q);
  hessian_sum_.setZero(q, q);
  system_.resize(q, q);
  step_.resize(q);
  cholesky_ = Eigen::LLT<Eigen::MatrixXd>(q);
}

void BinaryLogisticPath::clear() {
  m_ = positives_ = 0;
  theta_.setZero();
  gradient_.setZero();
  last_iterations_ = 0;
}

bool BinaryLogisticPath::add(Eigen::Index row) {
  SB_THROW_IF_NOT(InternalError, row >= 0 && row < x_->rows() && m_ < x_->rows(),
                  "binary logistic path: row {} of {} with {} added", row, x_->rows(), m_);
  const bool fitting = both_classes();
  const Eigen::Index i = m_++;
  z_.col(i).head(p_) = x_->row(row).transpose();
  z_(p_, i) = 1.0;
  t_(i) = (*positive_)(row) != 0 ? 1.0 : 0.0;
  positives_ += (*positive_)(row) != 0 ? 1 : 0;
  last_iterations_ = 0;
  if (!both_classes()) return true;  // one class: a constant predictor, nothing to fit
  if (!fitting) {
    start_fit();
  } else {
    // The new row enters the running sums at the current parameters.
    u_(i) = z_.col(i).dot(theta_);
    sigma_(i) = sigmoid(u_(i), e_(i));
    if (loss_known_) loss_sum_ += loss(u_(i), e_(i), t_(i));
    residual_sum_ += (sigma_(i) - t_(i)) * z_.col(i);
    curvature_(i) = sigma_(i) * (1 - sigma_(i));
    hessian_sum_.selfadjointView<Eigen::Lower>().rankUpdate(z_.col(i), curvature_(i));
    gradient_ = residual_sum_ / static_cast<double>(m_);
    gradient_.head(p_) += half_l2_ * theta_.head(p_);
  }
  return newton();
}

void BinaryLogisticPath::start_fit() {
  theta_.setZero();
  recompute();
}

void BinaryLogisticPath::set(const Eigen::VectorXd& weight, double bias) {
  SB_THROW_IF_NOT(InternalError, weight.size() == p_, "binary logistic path: {} weights for {} inputs",
                  weight.size(), p_);
  theta_.head(p_) = weight;
  theta_(p_) = bias;
  recompute();
}

void BinaryLogisticPath::recompute() {
  u_.head(m_).noalias() = z_.leftCols(m_).transpose() * theta_;
  for (Eigen::Index i = 0; i < m_; ++i) sigma_(i) = sigmoid(u_(i), e_(i));
  loss_known_ = false;
  gradient_at(theta_, sigma_, residual_sum_, gradient_);
  refresh_curvature(true);
}

void BinaryLogisticPath::gradient_at(const Eigen::VectorXd& theta, const Eigen::VectorXd& sigma,
                                     Eigen::VectorXd& residual_sum, Eigen::VectorXd& gradient) {
  r_.head(m_) = sigma.head(m_) - t_.head(m_);
  residual_sum.noalias() = z_.leftCols(m_) * r_.head(m_);
  gradient = residual_sum / static_cast<double>(m_);
  gradient.head(p_) += half_l2_ * theta.head(p_);
}

double BinaryLogisticPath::objective(const Eigen::VectorXd& theta, const Eigen::VectorXd& u,
                                     const Eigen::VectorXd& e, double& loss_sum) const {
  loss_sum = 0;
  for (Eigen::Index i = 0; i < m_; ++i) loss_sum += loss(u(i), e(i), t_(i));
  return loss_sum / static_cast<double>(m_) + 0.5 * half_l2_ * theta.head(p_).squaredNorm();
}

void BinaryLogisticPath::refresh_curvature(bool all) {
  if (all) {
    hessian_sum_.setZero();
    curvature_.head(m_).setZero();
  }
  // The rows to refresh, scaled by sqrt|change|: rises from the left of
  // refresh_, falls from the right, then one rank-k update for each.
  const Eigen::Index n = refresh_.cols();
  Eigen::Index rises = 0, falls = 0;
  for (Eigen::Index i = 0; i < m_; ++i) {
    const double s = sigma_(i) * (1 - sigma_(i)), change = s - curvature_(i);
    if (all || std::abs(change) > curvature_refresh * curvature_(i)) {
      refresh_.col(change >= 0 ? rises++ : n - 1 - falls++) = std::sqrt(std::abs(change)) * z_.col(i);
      curvature_(i) = s;
    }
  }
  auto h = hessian_sum_.selfadjointView<Eigen::Lower>();
  if (rises > 0) h.rankUpdate(refresh_.leftCols(rises), 1.0);
  if (falls > 0) h.rankUpdate(refresh_.rightCols(falls), -1.0);
}

bool BinaryLogisticPath::factor() {
  const auto m = static_cast<double>(m_);
  system_.triangularView<Eigen::Lower>() = hessian_sum_ / m;
  system_.diagonal().head(p_).array() += half_l2_;
  cholesky_.compute(system_);
  if (cholesky_.info() == Eigen::Success) return true;
  // Stale weights lost definiteness to rounding: rebuild them at theta.
  refresh_curvature(true);
  system_.triangularView<Eigen::Lower>() = hessian_sum_ / m;
  system_.diagonal().head(p_).array() += half_l2_;
  system_.diagonal().array() += 1e-12 * system_.diagonal().maxCoeff();
  cholesky_.compute(system_);
  return cholesky_.info() == Eigen::Success;
}

void BinaryLogisticPath::solve(Eigen::VectorXd& x) const {
  // L L^T x = b by column-oriented substitutions (for a 31 x 31 factor
  // Eigen's blocked triangular solver spends more on blocking than on flops).
  const Eigen::MatrixXd& l = cholesky_.matrixLLT();
  const Eigen::Index q = x.size();
  for (Eigen::Index j = 0; j < q; ++j) {
    x(j) /= l(j, j);
    x.tail(q - j - 1) -= x(j) * l.col(j).tail(q - j - 1);
  }
  for (Eigen::Index j = q - 1; j >= 0; --j)
    x(j) = (x(j) - l.col(j).tail(q - j - 1).dot(x.tail(q - j - 1))) / l(j, j);
}

void BinaryLogisticPath::trial(double alpha) {
  theta_trial_ = theta_ + alpha * step_;
  for (Eigen::Index i = 0; i < m_; ++i) {
    u_trial_(i) = u_(i) + alpha * v_(i);
    sigma_trial_(i) = sigmoid(u_trial_(i), e_trial_(i));
  }
}

bool BinaryLogisticPath::newton() {
  bool refactor = true;
  for (;;) {
    const double gradient_max_now = gradient_max();
    if (gradient_max_now <= tolerance_) return true;
    if (last_iterations_ >= max_iterations) return false;
    ++last_iterations_;
    ++total_iterations_;
    // The factorisation is reused while its steps shrink the gradient
    // fourfold; the curvature refreshed meanwhile enters the next one.
    if (refactor && !factor()) return false;
    step_ = -gradient_;
    solve(step_);
    v_.head(m_).noalias() = z_.leftCols(m_).transpose() * step_;
    trial(1.0);
    bool trial_loss_known = false;
    double trial_loss_sum = 0;
    // The full step is taken when it at least halves the largest gradient
    // entry (the objective is then not needed); otherwise the Armijo
    // condition on the objective decides, halving the step until it holds.
    gradient_at(theta_trial_, sigma_trial_, residual_sum_trial_, gradient_trial_);
    if (gradient_trial_.cwiseAbs().maxCoeff() > std::max(0.5 * gradient_max_now, tolerance_)) {
      if (!loss_known_) objective(theta_, u_, e_, loss_sum_), loss_known_ = true;
      const double f0 = loss_sum_ / static_cast<double>(m_) + 0.5 * half_l2_ * theta_.head(p_).squaredNorm();
      const double slope = gradient_.dot(step_);
      const double slack = 4 * std::numeric_limits<double>::epsilon() * (1 + std::abs(f0));
      double alpha = 1;
      for (int halvings = 0;; ++halvings) {
        if (objective(theta_trial_, u_trial_, e_trial_, trial_loss_sum) <= f0 + 1e-4 * alpha * slope + slack) break;
        if (halvings == 60) return false;
        alpha /= 2;
        trial(alpha);
      }
      trial_loss_known = true;
      if (alpha < 1) gradient_at(theta_trial_, sigma_trial_, residual_sum_trial_, gradient_trial_);
    }
    refactor = gradient_trial_.cwiseAbs().maxCoeff() > 0.25 * gradient_max_now;
    theta_.swap(theta_trial_);
    u_.swap(u_trial_);
    sigma_.swap(sigma_trial_);
    e_.swap(e_trial_);
    residual_sum_.swap(residual_sum_trial_);
    gradient_.swap(gradient_trial_);
    loss_known_ = trial_loss_known;
    loss_sum_ = trial_loss_sum;
    refresh_curvature(false);
  }
}

}  // namespace sb::models
