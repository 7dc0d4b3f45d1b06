// Hashed features of numeric rows: the analogue, for tables, of the hashed
// n-grams of DSIR (Xie et al. 2023). Shared by the `dsir` method and the
// targeted-selection metric (KL reduction toward the target); defined
// exactly in docs/SELECTION.md.
#pragma once

#include <Eigen/Dense>

#include <cstdint>
#include <vector>

namespace sb::selection {

struct HashedFeatureOptions {
  int buckets = 1024;   // hash buckets
  int bins = 8;         // equal-width bins of a standardised value over [-range, range]
  double range = 3.0;   // values outside fall into the first or last bin
  bool bigrams = true;  // also hash pairs of adjacent columns
};

// The bin of a value: clamp(floor((v + range) / (2 range) * bins), 0, bins - 1).
int quantise(double value, const HashedFeatureOptions& options);

// The bucket of a token (a unigram: column j in bin q; a bigram: columns j,
// j + 1 in bins q, r) by a fixed 64-bit hash (splitmix64 chained over the
// token's fields) modulo buckets.
int unigram_bucket(Eigen::Index column, int bin, const HashedFeatureOptions& options);
int bigram_bucket(Eigen::Index column, int bin, int next_bin, const HashedFeatureOptions& options);

// n x buckets token counts: row i counts its d unigrams and (bigrams) d - 1
// bigrams of adjacent columns.
Eigen::MatrixXd hashed_counts(const Eigen::MatrixXd& x, const HashedFeatureOptions& options);

// Add-one smoothed multinomial over the buckets of the rows `rows` of
// `counts` (all rows when empty): (sum of counts + 1) / (total + buckets).
Eigen::VectorXd smoothed_distribution(const Eigen::MatrixXd& counts, const std::vector<Eigen::Index>& rows = {});

// KL(p || q) = sum_b p_b log(p_b / q_b) (terms with p_b = 0 are 0).
double kl_divergence(const Eigen::VectorXd& p, const Eigen::VectorXd& q);

}  // namespace sb::selection
