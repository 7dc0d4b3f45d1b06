// Coverage-centric coreset selection's stratified sampling (for the method
// and its tests).
#pragma once

#include <Eigen/Dense>

#include <random>
#include <vector>

namespace sb::selection {

// Stratum of each score: min(floor((s - lo) / (hi - lo) * strata), strata - 1)
// over equal-width bins of [lo, hi] = [min, max] of the scores (all in
// stratum 0 when they are equal).
std::vector<int> strata_of(const std::vector<double>& scores, int strata);

// CCS's budget allocation: strata by increasing size (ties: lower index);
// each takes min(its size, floor(remaining budget / strata left)).
std::vector<Eigen::Index> allocate_budget(const std::vector<Eigen::Index>& sizes, Eigen::Index budget);

// The round(prune_fraction * n) rows of highest difficulty (ties: the higher
// index first) are pruned; the others are stratified by difficulty and each
// stratum contributes its allocation of min(budget, rows kept) rows drawn
// uniformly without replacement (rng).
struct CcsSelection {
  std::vector<char> pruned, selected;
};
CcsSelection ccs_select(const Eigen::VectorXd& difficulty, double prune_fraction, int strata, Eigen::Index budget,
                        std::mt19937_64& rng);

// Area under the margin (Pleiss et al. 2020) of each row over checkpoints
// (weights k x p, biases k): the mean over checkpoints of
// z_y - max_{c != y} z_c with logits z = W x + b.
Eigen::VectorXd area_under_margin(const Eigen::MatrixXd& x, const Eigen::VectorXi& y,
                                  const std::vector<Eigen::MatrixXd>& weights,
                                  const std::vector<Eigen::VectorXd>& biases);

}  // namespace sb::selection
