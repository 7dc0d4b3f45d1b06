// Semivalues: phi_i = sum over S in N \ {i} of w(|S|) [U(S + i) - U(S)],
// with w(k) the weight of one subset of size k of the other n - 1 rows
// (sum_k C(n-1, k) w(k) = 1). Shapley, Banzhaf and Beta(alpha, beta) Shapley
// differ only in w (docs/SELECTION.md).
#pragma once

#include <vector>

namespace sb::selection {

// w(k), k = 0..n-1.
std::vector<double> shapley_weights(int n);   // k! (n-1-k)! / n!
std::vector<double> banzhaf_weights(int n);   // 1 / 2^(n-1)
// Kwon & Zou (2022): w(k) = B(k + beta, n - 1 - k + alpha) / B(alpha, beta);
// alpha = beta = 1 is Shapley, a large alpha weighs small subsets.
std::vector<double> beta_weights(int n, double alpha, double beta);

// n C(n-1, k) w(k): the factor that turns a marginal contribution at
// position k of a uniformly random permutation into an unbiased sample of
// the semivalue (1 for every k under Shapley).
std::vector<double> permutation_importance(const std::vector<double>& weights);

// The semivalue of every row from the utilities of all 2^n subsets
// (utilities[mask], bit i of mask = row i); n <= 20.
std::vector<double> semivalues_from_utilities(const std::vector<double>& utilities, int n,
                                              const std::vector<double>& weights);

}  // namespace sb::selection
