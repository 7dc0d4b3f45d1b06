// Representer points of L2-penalised multinomial logistic regression.
#pragma once

#include <Eigen/Dense>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "estimators/models/regularized_logistic.h"

namespace sb::selection {

struct ValuationContext;
struct Valuation;

// alpha (n x k) with W = sum_i alpha_i x_i^T at a stationary point of
// mean_i loss_i + (l2/2)||W||^2: alpha_i = -(p_i - e_{y_i}) / (n l2), p_i the
// softmax of row i. Then logits(x) = sum_i alpha_i (x_i . x) + b.
Eigen::MatrixXd representer_alpha(const Eigen::MatrixXd& x, const Eigen::VectorXi& y, const Eigen::MatrixXd& weight,
                                  const Eigen::VectorXd& bias, double l2);

// The high-dimensional representers (Tsai, Yeh & Ravikumar 2023): at a
// stationary point of mean loss + lambda R(W), the subgradient is
// S = -grad_W / lambda = sum_i alpha_i x_i^T (representer_alpha with l2 =
// lambda), and W is S composed with a fixed positive map of the fit:
//   L1: W = S (.) |W| elementwise (S = sign W on the support), so
//     logit_c(x) - b_c = sum_i alpha_{i,c} K_c(x_i, x), K_c(u, v) = sum_j |W_cj| u_j v_j;
//   nuclear norm: W = U Sigma V^T, S = U V^T + R with U^T R = 0, R V = 0, so
//     W = S V Sigma V^T = S (W^T W)^{1/2}, and
//     logits(x) - b = sum_i alpha_i K(x_i, x), K(u, v) = u^T (W^T W)^{1/2} v.
// n x m kernels between the rows of x (n x p) and of x_eval (m x p): one per
// class (L1), one shared (nuclear).
std::vector<Eigen::MatrixXd> l1_representer_kernels(const Eigen::MatrixXd& x, const Eigen::MatrixXd& x_eval,
                                                    const Eigen::MatrixXd& weight);
Eigen::MatrixXd nuclear_representer_kernel(const Eigen::MatrixXd& x, const Eigen::MatrixXd& x_eval,
                                           const Eigen::MatrixXd& weight);

// What representer-l1 and representer-nuclear share: fit the penalised
// logistic regression (FISTA) on the training rows, then decompose the
// validation rows' logits with the penalty's kernels (as above). `method`
// names the method in a MethodError when the fit fails.
struct PenalizedRepresenterOptions {
  double strength = 1e-2;
  double tolerance = 1e-7;
  std::int64_t max_iterations = 200000;
};
using RepresenterKernels = std::function<std::vector<Eigen::MatrixXd>(
    const Eigen::MatrixXd& x, const Eigen::MatrixXd& x_eval, const Eigen::MatrixXd& weight)>;
Valuation penalized_representer_valuation(const ValuationContext& ctx, const std::string& method,
                                          models::WeightPenalty penalty, const PenalizedRepresenterOptions& options,
                                          const RepresenterKernels& kernels);

}  // namespace sb::selection
