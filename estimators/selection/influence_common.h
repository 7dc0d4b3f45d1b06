// What the influence-function methods share: the model fitted on all
// training rows, the per-row loss gradients and the mean validation-loss
// gradient; they differ in how they solve H s = gradient_valid.
#pragma once

#include <Eigen/Dense>

#include "benchmarks/selection/selection.h"
#include "estimators/models/logistic_classifier.h"

namespace sb::selection {

struct InfluenceProblem {
  const SelectionData* data = nullptr;
  models::LogisticClassifier model;  // every class present
  double l2 = 0;
  Eigen::MatrixXd train_gradients;   // n x k(p+1), d loss_i / d theta
  Eigen::VectorXd valid_gradient;    // k(p+1), mean over the validation rows

  // H v (models::softmax_hessian_vector on the training rows).
  Eigen::VectorXd hessian_vector(const Eigen::VectorXd& v) const;
  // value_i = train_gradients_i . s / n, s ~ H^{-1} valid_gradient: the
  // first-order rise of the validation loss when row i is removed.
  Eigen::VectorXd values(const Eigen::VectorXd& s) const;
  // m x k(p+1): the validation rows' correct-class-margin gradients
  // (models::margin_gradients), the right-hand sides of the attribution.
  Eigen::MatrixXd valid_margin_gradients() const;
  // tau(i, t) = -train_gradients_i . solved_t / n, solved_t ~ H^{-1} grad f_t
  // (columns, k(p+1) x m): minus the first-order change of validation row
  // t's margin when row i is removed, i.e. how much row i raises it.
  Eigen::MatrixXd attribution(const Eigen::MatrixXd& solved) const;
};

// One fit through the utility (counted). Throws MethodError when the
// training split misses a class (the full-class Hessian is then singular).
InfluenceProblem influence_problem(const ValuationContext& ctx);

}  // namespace sb::selection
