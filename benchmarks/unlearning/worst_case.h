// The `worst-case` forget set (after Fan et al. 2024, "Challenging Forgets"):
// of a given size, the rows whose removal moves the exact retrain optimum
// furthest from the original model, found greedily with exact retraining of
// the strongly convex base models (docs/UNLEARNING.md, "Forget sets").
#pragma once

#include <Eigen/Dense>

#include <vector>

#include "estimators/models/penalized_linear.h"

namespace sb::unlearning {

// The retrain gap of a forget set F of the rows (z, y):
//   G(F) = || theta_{D \ F} - theta_D ||_F,
// theta_S the minimiser of L_S (models::fit_linear). It is the distance every
// approximate method must cover from the original model to the oracle.
struct WorstCaseForgetSet {
  std::vector<Eigen::Index> forget;  // increasing
  double gap = 0;                    // G(forget)
  Eigen::MatrixXd original;          // theta_D
  Eigen::MatrixXd retrained;         // theta_{D \ forget}
};

// Greedy: F_0 = {}; step t adds to F_{t-1} the candidate c maximising
// G(F_{t-1} + c) (ties: the lower row), each G by an exact refit warm-started
// at theta_{D \ F_{t-1}}. Candidates: every row outside F_{t-1} when pool is 0
// or at least their number, else the `pool` of them with the largest
// per-example gradient norm ||grad loss_i(theta_{D \ F_{t-1}})||_F (ties: the
// lower row): the first-order size of their removal step, ||H^{-1} g_i|| <=
// ||g_i|| / lambda. Cost: size * min(pool, n) warm-started Newton fits.
// Throws InputError unless 1 <= size < rows.
WorstCaseForgetSet worst_case_forget_set(const models::PenalizedLinear& model, const Eigen::MatrixXd& z,
                                         const Eigen::VectorXi& y, int num_classes, Eigen::Index size,
                                         Eigen::Index pool);

// G(F) computed directly: both models fitted from zero.
double retrain_gap(const models::PenalizedLinear& model, const Eigen::MatrixXd& z, const Eigen::VectorXi& y,
                   int num_classes, const std::vector<Eigen::Index>& forget);

}  // namespace sb::unlearning
