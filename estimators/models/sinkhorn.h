// Entropic optimal transport by Sinkhorn's iterations in the log domain.
#pragma once

#include <Eigen/Dense>

namespace sb::models {

struct SinkhornOptions {
  double epsilon = 0.1;        // entropic regularisation, in the cost's units
  int max_iterations = 10000;
  double tolerance = 1e-9;     // stop when sum_i |(P 1)_i - a_i| <= this
};

struct SinkhornResult {
  Eigen::VectorXd f, g;   // dual potentials (n, m)
  Eigen::MatrixXd plan;   // n x m, P_ij = a_i b_j exp((f_i + g_j - C_ij) / epsilon)
  double transport_cost = 0;  // <P, C>
  int iterations = 0;
  bool converged = false;
};

// min_P <P, C> + epsilon KL(P | a b^T) over couplings of a (n, positive, sum
// 1) and b (m, positive, sum 1); cost: n x m. Alternates
//   f_i = -eps log sum_j b_j exp((g_j - C_ij) / eps),
//   g_j = -eps log sum_i a_i exp((f_i - C_ij) / eps)
// from g = 0 (Cuturi 2013; log-sum-exp for stability). Throws InputError on
// bad shapes or weights.
SinkhornResult sinkhorn(const Eigen::VectorXd& a, const Eigen::VectorXd& b, const Eigen::MatrixXd& cost,
                        const SinkhornOptions& options);

}  // namespace sb::models
