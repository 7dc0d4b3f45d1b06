// GraSS's gradient compression (sparsify, then a sparse random projection),
// exposed for tests.
#pragma once

#include <Eigen/Dense>

#include <random>
#include <vector>

namespace sb::selection {

// Each row keeps its k largest-magnitude entries (ties: the lower column),
// the others become 0.
Eigen::MatrixXd keep_top_k(const Eigen::MatrixXd& rows, Eigen::Index k);

// Sparse Johnson-Lindenstrauss transform (Kane & Nelson 2014): input
// coordinate j goes to `nonzeros` distinct output coordinates (uniform) with
// independent signs +-1/sqrt(nonzeros). Applied in O(input_dim + nonzero inputs x
// nonzeros) per row.
class SparseProjection {
 public:
  SparseProjection(Eigen::Index input_dim, Eigen::Index output_dim, Eigen::Index nonzeros, std::mt19937_64& rng);
  // rows (r x input_dim) -> r x output_dim.
  Eigen::MatrixXd apply(const Eigen::MatrixXd& rows) const;

 private:
  Eigen::Index input_dim_, output_dim_, nonzeros_;
  std::vector<Eigen::Index> bucket_;  // input_dim x nonzeros, row-major
  std::vector<double> sign_;
};

}  // namespace sb::selection
