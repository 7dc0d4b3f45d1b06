// Exact Shapley values of the kNN utility (models::knn_utility), for tests
// and for the suite's ground truths.
#pragma once

#include <Eigen/Dense>

namespace sb::selection {

// x_train: n x d, x_test: T x d. Sum over rows = U(D) - U(empty) = U(D).
Eigen::VectorXd knn_shapley_values(const Eigen::MatrixXd& x_train, const Eigen::VectorXi& y_train,
                                   const Eigen::MatrixXd& x_test, const Eigen::VectorXi& y_test, int k);

}  // namespace sb::selection
