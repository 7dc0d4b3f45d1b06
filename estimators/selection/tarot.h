// TAROT's whitened feature distance and fixed-size selection (for the
// method and its tests).
#pragma once

#include <Eigen/Dense>

#include <vector>

namespace sb::selection {

// Cholesky whitening: Sigma = L L^T, the population covariance of the rows
// of `reference` plus ridge * (trace(Sigma) / d) * I; a row x maps to
// L^{-1} (x - mean)^T, so whitened Euclidean distances are Mahalanobis
// distances under Sigma.
struct Whitening {
  Eigen::RowVectorXd mean;
  Eigen::MatrixXd lower;  // L (d x d)
};
Whitening fit_whitening(const Eigen::MatrixXd& reference, double ridge);
Eigen::MatrixXd whiten(const Whitening& w, const Eigen::MatrixXd& x);  // n x d -> n x d

// TAROT's fixed-size selection order of all candidate rows, by layers:
// layer i holds the i-th nearest candidate of every target row (squared
// Euclidean distance, ties: lower index), taken in target order and skipped
// when an earlier layer (or target) already took it. `layer_end[i]`: the
// number of rows in layers 0..i (empty layers omitted).
struct LayeredOrder {
  std::vector<Eigen::Index> order;
  std::vector<Eigen::Index> layer_end;
};
LayeredOrder layered_order(const Eigen::MatrixXd& candidates, const Eigen::MatrixXd& target);

}  // namespace sb::selection
