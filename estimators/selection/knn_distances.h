// Squared Euclidean distances between every training row and a block of
// test rows, ||x||^2 + ||t||^2 - 2 x.t, for KNN-Shapley. The dot products
// run in a kernel compiled for AVX-512, AVX2 and baseline x86-64 and chosen
// at run time (the release build targets any x86-64 cluster node), with one
// summation order for every instruction set: 8 partial sums over the
// features j = l mod 8, added in a fixed tree, no fused multiply-add
// (-ffp-contract=off for this file, benchmarks/CMakeLists.txt). So a cell
// computed on an AVX-512 node and one on a baseline node agree bit for bit.
#pragma once

#include <Eigen/Dense>

#include <string>
#include <vector>

namespace sb::selection {

// Row-major copies of the rows, zero-padded to a multiple of 8 features.
class PaddedRows {
 public:
  explicit PaddedRows(const Eigen::MatrixXd& x);
  Eigen::Index rows() const { return rows_; }
  Eigen::Index stride() const { return stride_; }
  const double* row(Eigen::Index i) const { return data_.data() + i * stride_; }
  double squared_norm(Eigen::Index i) const { return norms_(i); }

 private:
  Eigen::Index rows_ = 0, stride_ = 0;
  Eigen::VectorXd data_;   // rows_ x stride_, row-major
  Eigen::VectorXd norms_;  // the same 8-lane order as the dot products
};

// dist(i, b) = ||train_i||^2 + ||test_{first+b}||^2 - 2 train_i . test_{first+b}
// for b < block; dist is resized to train.rows() x block (column b contiguous).
void squared_distances(const PaddedRows& train, const PaddedRows& test, Eigen::Index first, Eigen::Index block,
                       Eigen::MatrixXd& dist);

// The kernel the processor runs ("avx512f", "avx2" or "baseline").
std::string distance_kernel_name();

// For tests: the kernels this processor can run, and squared_distances
// through a named one of them (InputError for another name).
std::vector<std::string> available_distance_kernels();
void squared_distances_with(const std::string& kernel, const PaddedRows& train, const PaddedRows& test,
                            Eigen::Index first, Eigen::Index block, Eigen::MatrixXd& dist);

}  // namespace sb::selection
