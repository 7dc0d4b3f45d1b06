// L1 / nuclear-norm penalised multinomial logistic regression by FISTA: Beck & Teboulle (2009), SIAM J. Imaging Sciences; restart: O'Donoghue & Candes (2015), Found. Comput. Math.
#include "estimators/models/regularized_logistic.h"

#include <algorithm>
#include <cmath>

#include "estimators/models/softmax_regression.h"
#include "harness/core/errors.h"

namespace sb::models {

double weight_penalty(const Eigen::MatrixXd& weight, WeightPenalty penalty) {
  if (penalty == WeightPenalty::l1) return weight.cwiseAbs().sum();
  return Eigen::JacobiSVD<Eigen::MatrixXd>(weight).singularValues().sum();
}

Eigen::MatrixXd penalty_prox(const Eigen::MatrixXd& weight, WeightPenalty penalty, double step) {
  const auto shrink = [step](double v) { return v > step ? v - step : (v < -step ? v + step : 0.0); };
  if (penalty == WeightPenalty::l1) return weight.unaryExpr(shrink);
  Eigen::JacobiSVD<Eigen::MatrixXd> svd(weight, Eigen::ComputeThinU | Eigen::ComputeThinV);
  const Eigen::VectorXd s = svd.singularValues().unaryExpr([step](double v) { return std::max(0.0, v - step); });
  return svd.matrixU() * s.asDiagonal() * svd.matrixV().transpose();
}

RegularizedLogisticFit fit_regularized_logistic(const Eigen::MatrixXd& x, const Eigen::VectorXi& y, int num_classes,
                                                const RegularizedLogisticOptions& options) {
  check_training_data(x, y, num_classes, "regularized logistic regression");
  std::vector<char> present(static_cast<size_t>(num_classes), 0);
  for (Eigen::Index i = 0; i < y.size(); ++i) present[static_cast<size_t>(y(i))] = 1;
  SB_THROW_IF_NOT(InputError, std::count(present.begin(), present.end(), 1) == num_classes,
                  "regularized logistic regression: every one of the {} classes must be present", num_classes);
  SB_THROW_IF_NOT(InputError, options.strength > 0, "regularized logistic regression: strength must be > 0");
  const Eigen::Index n = x.rows(), p = x.cols(), k = num_classes;
  Eigen::MatrixXd z(n, p + 1);
  z << x, Eigen::VectorXd::Ones(n);
  const double lipschitz =
      std::max(1e-12, Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(z.transpose() * z).eigenvalues().maxCoeff() /
                          (2.0 * static_cast<double>(n)));
  const double step = 1.0 / lipschitz;

  // One proximal gradient step from (w, b): returns the new point and the
  // gradient mapping's max entry.
  Eigen::MatrixXd grad_w;
  Eigen::VectorXd grad_b;
  const auto prox_step = [&](const Eigen::MatrixXd& w, const Eigen::VectorXd& b, Eigen::MatrixXd& w_out,
                             Eigen::VectorXd& b_out) {
    softmax_objective(x, y, w, b, 0.0, &grad_w, &grad_b);
    w_out = penalty_prox(w - step * grad_w, options.penalty, step * options.strength);
    b_out = b - step * grad_b;
    return std::max((w - w_out).cwiseAbs().maxCoeff(), (b - b_out).cwiseAbs().maxCoeff()) * lipschitz;
  };

  RegularizedLogisticFit fit;
  Eigen::MatrixXd w = Eigen::MatrixXd::Zero(k, p), w_prev = w, yw = w, w_next;
  Eigen::VectorXd b = Eigen::VectorXd::Zero(k), b_prev = b, yb = b, b_next;
  double t = 1;
  for (int it = 0; it < options.max_iterations; ++it) {
    fit.iterations = it + 1;
    const double mapping_at_y = prox_step(yw, yb, w_next, b_next);
    w_prev = w, b_prev = b;
    w = w_next, b = b_next;
    // Restart when the momentum points uphill (the step against it).
    const double uphill = ((yw - w).cwiseProduct(w - w_prev)).sum() + (yb - b).dot(b - b_prev);
    if (uphill > 0) t = 1;
    const double t_next = (1 + std::sqrt(1 + 4 * t * t)) / 2;
    yw = w + ((t - 1) / t_next) * (w - w_prev);
    yb = b + ((t - 1) / t_next) * (b - b_prev);
    t = t_next;
    if (mapping_at_y <= options.tolerance) {
      // Confirm at the iterate itself (the mapping above was at y).
      Eigen::MatrixXd w_check;
      Eigen::VectorXd b_check;
      fit.optimality = prox_step(w, b, w_check, b_check);
      if (fit.optimality <= options.tolerance) {
        fit.converged = true;
        break;
      }
    }
  }
  if (!fit.converged) {
    Eigen::MatrixXd w_check;
    Eigen::VectorXd b_check;
    fit.optimality = prox_step(w, b, w_check, b_check);
  }
  fit.weight = std::move(w);
  fit.bias = std::move(b);
  return fit;
}

}  // namespace sb::models
