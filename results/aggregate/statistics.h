// Statistics over seeds and over data sets: summaries with Student-t
// intervals, binomial (Wilson) intervals, average ranks, the Friedman test
// with the Nemenyi critical difference (Demšar 2006), and the Wilcoxon
// signed-rank test with Holm's correction. Pure functions; formulas and
// conventions are written down in docs/STATISTICS.md.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "harness/stats/distributions.h"  // normal_quantile, student_t_quantile

namespace sb::stats {

// Arithmetic mean; NaN for an empty input.
double mean(const std::vector<double>& x);
// Sample standard deviation (divisor n - 1); NaN when n < 2.
double sample_sd(const std::vector<double>& x);

// Mean with a two-sided Student-t interval at `level` (e.g. 0.95):
// mean ± t_{(1+level)/2, n-1} * sd / sqrt(n). half_width is NaN when n < 2.
struct MeanCI {
  std::size_t n = 0;
  double mean = 0;
  double sd = 0;
  double half_width = 0;
  double low() const { return mean - half_width; }
  double high() const { return mean + half_width; }
};
MeanCI mean_ci(const std::vector<double>& x, double level = 0.95);

// Wilson score interval for a binomial proportion `successes / n` at
// `level`. For n == 0 the estimate and both ends are NaN.
struct ProportionCI {
  std::size_t successes = 0;
  std::size_t n = 0;
  double estimate = 0;
  double low = 0;
  double high = 0;
};
ProportionCI wilson_ci(std::size_t successes, std::size_t n, double level = 0.95);

// Ranks 1..n with ties given the average of the ranks they span. Rank 1 is
// the best value: the largest when `higher_is_better`, else the smallest.
// NaN values share the worst ranks (averaged among themselves).
std::vector<double> average_ranks(const std::vector<double>& values, bool higher_is_better);

// Friedman test over N blocks (data sets) x k treatments (methods).
struct FriedmanResult {
  std::size_t n_blocks = 0;      // N
  std::size_t k = 0;             // number of methods
  std::vector<double> mean_ranks;  // per method, 1 = best
  double chi_square = 0;         // Friedman's chi^2_F, k - 1 df
  double chi_square_p = 0;
  double iman_davenport_f = 0;   // F_F, (k-1, (k-1)(N-1)) df
  double iman_davenport_p = 0;
};
// `scores[b][j]` is method j's score on block b; every row has k entries and
// no NaN. Requires N >= 2 and k >= 2.
FriedmanResult friedman_test(const std::vector<std::vector<double>>& scores,
                             bool higher_is_better);
// The same statistics from mean ranks already computed (Demšar's formulas).
FriedmanResult friedman_from_mean_ranks(const std::vector<double>& mean_ranks,
                                        std::size_t n_blocks);

// Distribution of the range of k iid N(0, 1) variables (the studentized
// range with infinite degrees of freedom): P(R <= w) =
// k * integral phi(z) (Phi(z + w) - Phi(z))^(k-1) dz, by Simpson's rule
// (abs. error < 1e-10), and its p-quantile (bisection to 1e-12). k >= 2.
double normal_range_cdf(double w, std::size_t k);
double normal_range_quantile(double p, std::size_t k);

// Critical value q_alpha of the two-tailed Nemenyi test: the (1 - alpha)
// quantile of the normal range divided by sqrt(2) (Demšar 2006, Table 5(a)
// tabulates k <= 10; this computes any k >= 2 and alpha in (0, 1)).
double nemenyi_q(double alpha, std::size_t k);
// Nemenyi critical difference CD = q_alpha * sqrt(k (k + 1) / (6 N)).
double nemenyi_cd(double alpha, std::size_t k, std::size_t n_blocks);
// Bonferroni-Dunn test of k - 1 methods against one control (Demšar 2006,
// Table 5(b)): q_alpha = z_{1 - alpha / (2 (k - 1))}; its CD has the same form.
double bonferroni_dunn_q(double alpha, std::size_t k);
double bonferroni_dunn_cd(double alpha, std::size_t k, std::size_t n_blocks);

// Two-sided Wilcoxon signed-rank test of paired samples x, y (x - y).
// Zero differences are dropped (Wilcoxon's convention); ties among |d| get
// average ranks. Exact null distribution (by dynamic programming over the
// tied ranks) when the number of non-zero differences is <= 25, else the
// normal approximation with the tie-corrected variance and a continuity
// correction of 0.5.
struct WilcoxonResult {
  std::size_t n_nonzero = 0;  // pairs left after dropping zero differences
  double w_plus = 0;          // sum of ranks of positive differences
  double w_minus = 0;
  double p_value = 1;         // two-sided; 1 when n_nonzero == 0
  bool exact = true;
};
WilcoxonResult wilcoxon_signed_rank(const std::vector<double>& x, const std::vector<double>& y);

// Two-sided paired Student t test of x - y: t = mean(d) / (sd(d) / sqrt(n)),
// n - 1 degrees of freedom. p is NaN when n < 2; when every difference is
// the same (sd = 0), p is 1 for d = 0 and 0 otherwise (t = +-inf).
struct PairedTResult {
  std::size_t n = 0;
  double mean_difference = 0;
  double t = 0;
  double p_value = 1;
};
PairedTResult paired_t_test(const std::vector<double>& x, const std::vector<double>& y);

// Holm's step-down adjusted p-values, in the input order.
std::vector<double> holm_adjust(const std::vector<double>& p_values);

// Wilcoxon over every pair of methods, with Holm-adjusted p-values.
struct PairwiseTest {
  std::size_t a = 0, b = 0;  // indices of the methods compared (a < b)
  WilcoxonResult test;
  double p_holm = 1;
};
// `samples[j]` are method j's paired values (same length for all methods).
std::vector<PairwiseTest> pairwise_wilcoxon_holm(const std::vector<std::vector<double>>& samples);

}  // namespace sb::stats
