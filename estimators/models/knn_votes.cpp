#include "estimators/models/knn_votes.h"

#include <algorithm>
#include <utility>

#include "harness/core/errors.h"

namespace sb::models {

Eigen::MatrixXd knn_vote_probabilities(const Eigen::MatrixXd& points, const Eigen::VectorXi& labels,
                                       const std::vector<Eigen::Index>& index, const Eigen::MatrixXd& queries, int k,
                                       int classes) {
  SB_THROW_IF_NOT(InputError, !index.empty() && k >= 1 && classes >= 1 && points.cols() == queries.cols(),
                  "knn: empty index, bad k or mismatched columns");
  const auto kk = std::min<size_t>(static_cast<size_t>(k), index.size());
  Eigen::MatrixXd out(queries.rows(), classes);
  std::vector<std::pair<double, Eigen::Index>> by_distance(index.size());
  for (Eigen::Index q = 0; q < queries.rows(); ++q) {
    for (size_t j = 0; j < index.size(); ++j)
      by_distance[j] = {(points.row(index[j]) - queries.row(q)).squaredNorm(), index[j]};
    std::partial_sort(by_distance.begin(), by_distance.begin() + static_cast<std::ptrdiff_t>(kk), by_distance.end());
    out.row(q).setConstant(1.0);
    for (size_t j = 0; j < kk; ++j) {
      const int c = labels(by_distance[j].second);
      SB_THROW_IF_NOT(InputError, c >= 0 && c < classes, "knn: label {} out of range", c);
      out(q, c) += 1.0;
    }
    out.row(q) /= static_cast<double>(kk) + classes;
  }
  return out;
}

}  // namespace sb::models
