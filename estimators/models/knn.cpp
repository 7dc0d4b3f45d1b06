// kNN utility: Jia et al. (2019), Efficient task-specific data valuation for nearest neighbor algorithms, PVLDB 12(11)
#include "estimators/models/knn.h"

#include <algorithm>
#include <numeric>

#include "harness/core/errors.h"

namespace sb::models {

std::vector<Eigen::Index> neighbours_by_distance(const Eigen::MatrixXd& x_train,
                                                 const Eigen::VectorXd& point) {
  const Eigen::VectorXd dist = (x_train.rowwise() - point.transpose()).rowwise().squaredNorm();
  std::vector<Eigen::Index> order(static_cast<size_t>(x_train.rows()));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  std::sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) {
    return dist(a) < dist(b) || (dist(a) == dist(b) && a < b);
  });
  return order;
}

double knn_utility(const Eigen::MatrixXd& x_train, const Eigen::VectorXi& y_train,
                   const Eigen::MatrixXd& x_test, const Eigen::VectorXi& y_test, int k,
                   const std::vector<Eigen::Index>& subset) {
  SB_THROW_IF_NOT(InputError, k >= 1 && x_test.rows() >= 1 && x_test.rows() == y_test.size(),
                  "knn utility: k = {}, {} test rows, {} labels", k, x_test.rows(), y_test.size());
  if (subset.empty()) return 0;
  std::vector<char> in_subset(static_cast<size_t>(x_train.rows()), 0);
  for (Eigen::Index i : subset) in_subset[static_cast<size_t>(i)] = 1;
  double total = 0;
  for (Eigen::Index t = 0; t < x_test.rows(); ++t) {
    int taken = 0, matches = 0;
    for (Eigen::Index i : neighbours_by_distance(x_train, x_test.row(t).transpose())) {
      if (!in_subset[static_cast<size_t>(i)]) continue;
      matches += y_train(i) == y_test(t);
      if (++taken == k) break;
    }
    total += static_cast<double>(matches) / k;
  }
  return total / static_cast<double>(x_test.rows());
}

}  // namespace sb::models
