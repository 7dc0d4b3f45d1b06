#include "benchmarks/selection/semivalue.h"

#include <bit>
#include <cmath>
#include <cstdint>

#include "harness/core/errors.h"

namespace sb::selection {

namespace {
double log_beta(double a, double b) { return std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b); }
double log_choose(int n, int k) { return -std::log(n + 1.0) - log_beta(n - k + 1.0, k + 1.0); }
}  // namespace

std::vector<double> beta_weights(int n, double alpha, double beta) {
  SB_THROW_IF_NOT(InputError, n >= 1 && alpha > 0 && beta > 0, "beta weights: n = {}, alpha = {}, beta = {}",
                  n, alpha, beta);
  std::vector<double> w(static_cast<size_t>(n));
  for (int k = 0; k < n; ++k) {
    w[static_cast<size_t>(k)] = std::exp(log_beta(k + beta, n - 1 - k + alpha) - log_beta(alpha, beta));
  }
  return w;
}

std::vector<double> shapley_weights(int n) { return beta_weights(n, 1.0, 1.0); }

std::vector<double> banzhaf_weights(int n) {
  return std::vector<double>(static_cast<size_t>(n), std::ldexp(1.0, -(n - 1)));
}

std::vector<double> permutation_importance(const std::vector<double>& weights) {
  const int n = static_cast<int>(weights.size());
  std::vector<double> out(weights.size());
  for (int k = 0; k < n; ++k) {
    out[static_cast<size_t>(k)] = n * std::exp(log_choose(n - 1, k)) * weights[static_cast<size_t>(k)];
  }
  return out;
}

std::vector<double> semivalues_from_utilities(const std::vector<double>& utilities, int n,
                                              const std::vector<double>& weights) {
  SB_THROW_IF_NOT(InternalError, n >= 1 && n <= 20 && utilities.size() == (size_t{1} << n) &&
                                     weights.size() == static_cast<size_t>(n),
                  "semivalues: n = {}, {} utilities, {} weights", n, utilities.size(), weights.size());
  std::vector<double> phi(static_cast<size_t>(n), 0.0);
  for (std::uint32_t mask = 0; mask < (1u << n); ++mask) {
    const int size = std::popcount(mask);
    for (int i = 0; i < n; ++i) {
      if (mask & (1u << i)) continue;
      phi[static_cast<size_t>(i)] +=
          weights[static_cast<size_t>(size)] * (utilities[mask | (1u << i)] - utilities[mask]);
    }
  }
  return phi;
}

}  // namespace sb::selection
