// What the attribution methods share (TRAK, GraSS, gradient-final, the
// representers): an attribution tau is n_train x n_valid, tau(i, t) = how
// much training row i raises validation row t's correct-class margin
// (estimators/models/margin.h); their value of row i is the mean over t.
#pragma once

#include <Eigen/Dense>

#include <vector>

#include "benchmarks/selection/selection.h"
#include "estimators/models/logistic_classifier.h"

namespace sb::selection {

std::vector<Eigen::Index> all_rows(Eigen::Index n);

// The utility's model fitted on every training row (a counted fit); throws
// MethodError naming `who` when a class is missing (gradients undefined).
models::LogisticClassifier fit_all_classes(const ValuationContext& ctx, const char* who);

// TRAK's kernel on features phi (one row per example): n x m, entry (i, t) =
// phi_i^T (Phi^T Phi + lambda I)^+ phi_t with Phi = train_features,
// lambda = damping * trace(Phi^T Phi) / d (d = feature count); the
// minimum-norm solve (complete orthogonal decomposition) when lambda = 0.
Eigen::MatrixXd projected_gradient_kernel(const Eigen::MatrixXd& train_features, const Eigen::MatrixXd& eval_features,
                                          double damping);

// value_i = mean over the validation rows t of tau(i, t).
Eigen::VectorXd mean_attribution(const Eigen::MatrixXd& tau);

// A representer decomposition logits(x_t) - b = sum_i alpha_i K(i, t)
// (alpha: n x k, kernel: n x m) attributes the margin's first-order expansion
// in the logits: tau(i, t) = K(i, t) sum_c a_{t,c} alpha_{i,c}, a_t = e_{y_t} - q_t
// the margin's gradient in the logits (m x k, models::margin_gradients' bias part).
Eigen::MatrixXd representer_margin_attribution(const Eigen::MatrixXd& alpha, const Eigen::MatrixXd& kernel,
                                               const Eigen::MatrixXd& margin_logit_gradients);

// A representer decomposition with one kernel per class (kernels: k
// matrices n x m, or one shared by every class): value_i = sum_t
// alpha_{i,y_t} K_{y_t}(i, t), row i's share of the validation rows'
// true-class logits; attribution as representer_margin_attribution.
Valuation representer_valuation(const Eigen::MatrixXd& alpha, const std::vector<Eigen::MatrixXd>& kernels,
                                const Eigen::VectorXi& valid_y, const Eigen::MatrixXd& margin_logit_gradients);

}  // namespace sb::selection
