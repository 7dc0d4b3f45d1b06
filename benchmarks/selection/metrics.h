// The selection suite's grades of a value vector (docs/SELECTION.md defines
// each). Pure functions of plain vectors; values: one per training row,
// higher = more valuable; corrupted: 1 where the row was corrupted.
#pragma once

#include <vector>

#include <Eigen/Dense>

namespace sb::selection {

// The low cluster of the global optimum of 1-D 2-means (k-means with k = 2)
// on the values: the split of the sorted values into a low and a high part
// with the least within-cluster sum of squares (ties: the lowest split).
// All values equal: no split, the low cluster is empty.
std::vector<char> low_cluster_1d(const std::vector<double>& values);

// F1 of `predicted` against `truth` (both 0/1 masks); 0 with no true positive.
double f1_score(const std::vector<char>& predicted, const std::vector<char>& truth);

// OpenDataVal's noisy-point detection: F1 of low_cluster_1d(values) as the
// predicted corrupted rows.
double noisy_f1_kmeans(const std::vector<double>& values, const std::vector<char>& corrupted);

// Share of corrupted rows among the m lowest values, m = the number of
// corrupted rows (ties in value: the lower index first). m >= 1.
double precision_at_rate(const std::vector<double>& values, const std::vector<char>& corrupted);

// AUROC of -value as a score for "corrupted" (Mann-Whitney; ties count
// 1/2). Needs a corrupted and a clean row.
double auroc_low_values(const std::vector<double>& values, const std::vector<char>& corrupted);

// Row indices by increasing value (lowest_first) or decreasing value, ties
// by increasing index either way.
std::vector<Eigen::Index> value_order(const std::vector<double>& values, bool lowest_first);

// Mean of the points of a removal curve (accuracy after removing 0%, 5%,
// ..., 95% of the rows): its area over [0, 1) by the left Riemann sum.
double curve_area(const std::vector<double>& curve);

// pyDVL's weighted accuracy drop (Schoch et al. 2023, CS-Shapley) of a
// highest-first removal curve a_0, a_1, ..., a_J:
//   WAD = sum_{j=1}^{J} (1/j) sum_{i=1}^{j} (a_{i-1} - a_i) = sum_j (a_0 - a_j) / j.
double weighted_accuracy_drop(const std::vector<double>& curve);

// Spearman rank correlation (average ranks for ties); NaN when either
// vector is constant.
double spearman(const std::vector<double>& a, const std::vector<double>& b);

// ||v - truth||_2 / ||truth||_2; NaN when truth is zero.
double relative_l2(const std::vector<double>& v, const std::vector<double>& truth);

// The linear datamodeling score (Park et al. 2023, TRAK): for every
// evaluation point t, the Spearman correlation over the subsets s of the
// predicted sum_{i in S_s} attribution(i, t) and the actual output
// outputs(s, t); the mean over the points where it is defined (neither side
// constant). masks: subsets x n (0/1), outputs: subsets x m, attribution:
// n x m. NaN when no point is defined.
double linear_datamodeling_score(const Eigen::MatrixXd& masks, const Eigen::MatrixXd& outputs,
                                 const Eigen::MatrixXd& attribution);

}  // namespace sb::selection
