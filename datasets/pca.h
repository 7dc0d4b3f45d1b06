// Principal component projections (a fixed linear map fitted once), e.g. the
// 32-dimensional Fashion-MNIST features on which data valuation benchmarks
// compare nearest-neighbour methods (pyDVL's image examples reduce images
// before KNN-Shapley).
#pragma once

#include <Eigen/Dense>

#include <string>

namespace sb::data {

// x ~ mean + components * z: `components` is d x k with orthonormal columns,
// the eigenvectors of the sample covariance (1/(n-1)) of the rows with the k
// largest eigenvalues, in decreasing order (`variances`, the eigenvalues).
// Each column's sign makes its entry of largest magnitude positive (the
// first such entry on ties), so the map is a function of the data alone.
struct PcaProjection {
  Eigen::RowVectorXd mean;
  Eigen::MatrixXd components;
  Eigen::VectorXd variances;
  // (x - mean) * components, one row per row of x.
  Eigen::MatrixXd project(const Eigen::MatrixXd& x) const;
};

// Fits on the rows of x (n >= 2, 1 <= dims <= d); throws sb::InputError.
PcaProjection fit_pca(const Eigen::MatrixXd& x, int dims);

// The projection of Fashion-MNIST pixels / 255 fitted on the 10,000 test
// images of `dir` (t10k-images-idx3-ubyte.gz; fashion_mnist_dir resolves an
// empty dir), which the suites never draw rows from: one fixed map per
// (dir, dims), independent of seeds and splits, cached for the process.
const PcaProjection& fashion_mnist_pca(const std::string& dir, int dims);

}  // namespace sb::data
