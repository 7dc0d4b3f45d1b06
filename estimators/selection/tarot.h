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

// Round-robin nearest-neighbour selection order of all candidate rows:
// target rows take turns (0, 1, ..., m-1, 0, ...), each taking its nearest
// candidate not yet taken (squared Euclidean distance, ties: lower index).
std::vector<Eigen::Index> round_robin_order(const Eigen::MatrixXd& candidates, const Eigen::MatrixXd& target);

}  // namespace sb::selection
