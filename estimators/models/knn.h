// The k-nearest-neighbour classifier's utility of Jia et al. (2019): the
// share of the K nearest training points (Euclidean; ties by index) that
// carry the test point's label.
#pragma once

#include <Eigen/Dense>

#include <vector>

namespace sb::models {

// Indices of the training rows (x_train: n x d) by increasing squared
// Euclidean distance to `point` (d), ties broken by the lower index.
std::vector<Eigen::Index> neighbours_by_distance(const Eigen::MatrixXd& x_train,
                                                 const Eigen::VectorXd& point);

// U(S) = (1/T) sum_t (1/K) sum_{j=1}^{min(K,|S|)} 1[y_{alpha_j(S, t)} = y_t], alpha_j(S, t) the
// j-th nearest row of S to test point t: the soft kNN accuracy Jia et al.
// value. U(empty) = 0. `subset` holds distinct row indices of x_train.
double knn_utility(const Eigen::MatrixXd& x_train, const Eigen::VectorXi& y_train,
                   const Eigen::MatrixXd& x_test, const Eigen::VectorXi& y_test, int k,
                   const std::vector<Eigen::Index>& subset);

}  // namespace sb::models
