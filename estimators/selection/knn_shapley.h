// Exact Shapley values of the kNN utility (models::knn_utility), for tests
// and for the suite's ground truths.
#pragma once

#include <Eigen/Dense>

#include <cstdint>
#include <vector>

namespace sb::selection {

// Where the time of knn_shapley_values goes (seconds, added to).
struct KnnShapleyProfile {
  double distances = 0, ordering = 0, recursion = 0;
};

// x_train: n x d, x_test: T x d. Sum over rows = U(D) - U(empty) = U(D).
// Squared distances are ||x||^2 + ||t||^2 - 2 x.t (knn_distances.h: the same
// bits on every x86-64 instruction set; exact for integer-valued features);
// training rows are ordered by them, ties by the lower index.
Eigen::VectorXd knn_shapley_values(const Eigen::MatrixXd& x_train, const Eigen::VectorXi& y_train,
                                   const Eigen::MatrixXd& x_test, const Eigen::VectorXi& y_test, int k,
                                   KnnShapleyProfile* profile = nullptr);

// The indices 0..n-1 ordered by key (increasing; ties by the lower index):
// a stable LSD radix sort of the keys' order-preserving 64-bit images.
// `order` and `scratch` are resized to n.
void order_by_key(const double* key, std::int64_t n, std::vector<std::uint32_t>& order,
                  std::vector<std::uint64_t>& scratch);

}  // namespace sb::selection
