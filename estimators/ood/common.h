// Shared numerics of the post-hoc OOD detectors: checks of the inputs a
// detector receives, softmax/energy, percentiles, class statistics,
// principal subspaces and an exact k-nearest-neighbour search.
#pragma once

#include <Eigen/Dense>

#include <string>
#include <vector>

#include "benchmarks/ood/ood.h"

namespace sb::ood::detail {

// --- input checks (throw InputError naming the detector and the shapes) ---

// The ID training split of `ctx` with features (n x m, m >= 1) and labels in
// [0, num_classes), and a final layer of matching shape.
const Split& require_train(const FitContext& ctx, const std::string& detector);
// Logits of the training split: its own when they have num_classes columns,
// else features * W^T + b from the final layer.
Eigen::MatrixXd train_logits(const FitContext& ctx);
// Split has logits with `num_classes` columns (any number when < 0).
void require_logits(const Split& split, long num_classes, const std::string& detector);
// Split has features with `dim` columns (any number when < 0).
void require_features(const Split& split, long dim, const std::string& detector);

// --- softmax family (rows are examples; softmax itself is models::softmax_rows) ---

// log(sum_j exp(x_ij)) per row, computed stably.
Eigen::VectorXd logsumexp_rows(const Eigen::MatrixXd& x);
// Negative free energy T * logsumexp(logits / T) per row (Liu et al. 2020).
Eigen::VectorXd energy_score(const Eigen::MatrixXd& logits, double temperature = 1.0);
// Index of the largest entry of each row (first one on ties).
Eigen::VectorXi argmax_rows(const Eigen::MatrixXd& x);

// --- statistics ---

// Percentile p in [0, 100] of `values` with linear interpolation between
// order statistics (numpy's default): v[floor(h)] + (h - floor(h)) * (...),
// h = p / 100 * (n - 1). Throws InputError when `values` is empty.
double percentile(std::vector<double> values, double p);

// Per-class means of rows of `x` (k x m) and the class counts; a class
// without examples has a zero mean and count 0.
struct ClassStats {
  Eigen::MatrixXd means;    // k x m
  std::vector<long> counts; // k
};
ClassStats class_means(const Eigen::MatrixXd& x, const Eigen::VectorXi& labels, int num_classes);

// Moore-Penrose pseudo-inverse of a symmetric positive semi-definite matrix
// (eigenvalues below rcond * largest are treated as zero, like scipy's pinvh).
Eigen::MatrixXd pinv_symmetric(const Eigen::MatrixXd& s, double rcond = 1e-10);

// Rows of `x` scaled to unit Euclidean norm (zero rows stay zero).
Eigen::MatrixXd l2_normalize_rows(const Eigen::MatrixXd& x);

// --- Gaussian class models (Mahalanobis family) ---

// Class means and a whitening map L with L L^T = Sigma^+ (pseudo-inverse of
// the shared within-class covariance, 1/N normalised), so that the squared
// Mahalanobis distance is ||(f - mu) L||^2.
struct ClassGaussians {
  Eigen::MatrixXd whitening;        // m x m
  Eigen::MatrixXd whitened_means;   // k x m, mu_c L
  std::vector<bool> present;        // class has training rows
};
ClassGaussians fit_class_gaussians(const Eigen::MatrixXd& features, const Eigen::VectorXi& labels,
                                   int num_classes);
// Whitening map of one Gaussian with covariance `cov` (pseudo-inverse).
Eigen::MatrixXd whitening_of(const Eigen::MatrixXd& cov);
// min over present classes of the squared distance, per row of `features`.
Eigen::VectorXd min_class_distance(const ClassGaussians& g, const Eigen::MatrixXd& features);

// --- principal subspace of ViM / Residual (Wang et al. 2022) ---

// Origin u = -pinv(W) b (the point whose logits are all zero) and an
// orthonormal basis (m x (m - dim)) of the complement of the `dim` leading
// eigenvectors of the uncentred second moment of (f - u) on training rows.
struct ResidualSubspace {
  Eigen::VectorXd origin;          // m
  Eigen::MatrixXd residual_basis;  // m x (m - dim)
};
ResidualSubspace fit_residual_subspace(const Eigen::MatrixXd& train_features,
                                       const Eigen::MatrixXd& weight, const Eigen::VectorXd& bias,
                                       long dim);
// ||(f - u) R|| per row of `features`.
Eigen::VectorXd residual_norms(const ResidualSubspace& s, const Eigen::MatrixXd& features);

// --- exact k-nearest-neighbour search ---

// Euclidean distance from every query (row of `queries`, q x d) to its k-th
// nearest row of `reference` (n x d), 1 <= k <= n. Exact: candidates are
// screened with blocked single-precision matrix products
// (||a||^2 + ||b||^2 - 2 a.b) and a bounded max-heap per query, then the
// k + `kRefineMargin` best candidates are re-measured in double precision as
// ||a - b|| and the k-th smallest of those is returned. The result is the
// exact k-th distance unless single-precision rounding reorders points
// beyond the margin (differences below ~1e-6 of the squared norms).
inline constexpr int kRefineMargin = 16;
class KnnIndex {
 public:
  // Keeps a copy of `reference` (n x d).
  explicit KnnIndex(const Eigen::MatrixXd& reference);
  long size() const { return reference_.rows(); }
  long dim() const { return reference_.cols(); }
  // q-vector of k-th nearest-neighbour distances.
  Eigen::VectorXd kth_distance(const Eigen::MatrixXd& queries, int k) const;

 private:
  Eigen::MatrixXd reference_;          // n x d (double, for refinement)
  Eigen::MatrixXf reference_t_;        // d x n (float, for screening)
  Eigen::VectorXf reference_sq_norms_; // n
};

}  // namespace sb::ood::detail
