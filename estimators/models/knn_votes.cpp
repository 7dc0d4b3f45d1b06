#include "estimators/models/knn_votes.h"

#include <algorithm>
#include <utility>

#include "harness/core/errors.h"

namespace sb::models {

namespace {

// The kk stored rows nearest `query` (squared Euclidean distance, ties by the
// lower row) in by_distance[0..kk) (by_distance: |index| of scratch).
void nearest(const Eigen::MatrixXd& points, const std::vector<Eigen::Index>& index, const Eigen::MatrixXd& queries,
             Eigen::Index q, size_t kk, std::vector<std::pair<double, Eigen::Index>>& by_distance) {
  for (size_t j = 0; j < index.size(); ++j)
    by_distance[j] = {(points.row(index[j]) - queries.row(q)).squaredNorm(), index[j]};
  std::partial_sort(by_distance.begin(), by_distance.begin() + static_cast<std::ptrdiff_t>(kk), by_distance.end());
}

}  // namespace

Eigen::MatrixXd knn_vote_probabilities(const Eigen::MatrixXd& points, const Eigen::VectorXi& labels,
                                       const std::vector<Eigen::Index>& index, const Eigen::MatrixXd& queries, int k,
                                       int classes) {
  SB_THROW_IF_NOT(InputError, !index.empty() && k >= 1 && classes >= 1 && points.cols() == queries.cols(),
                  "knn: {} indexed rows (need >= 1), k = {} (>= 1), {} classes (>= 1), {} point and {} query "
                  "columns (must match)",
                  index.size(), k, classes, points.cols(), queries.cols());
  const auto kk = std::min<size_t>(static_cast<size_t>(k), index.size());
  Eigen::MatrixXd out(queries.rows(), classes);
  std::vector<std::pair<double, Eigen::Index>> by_distance(index.size());
  for (Eigen::Index q = 0; q < queries.rows(); ++q) {
    nearest(points, index, queries, q, kk, by_distance);
    out.row(q).setConstant(1.0);
    for (size_t j = 0; j < kk; ++j) {
      const int c = labels(by_distance[j].second);
      SB_THROW_IF_NOT(InputError, c >= 0 && c < classes, "knn: label {} not in 0..{}", c, classes - 1);
      out(q, c) += 1.0;
    }
    out.row(q) /= static_cast<double>(kk) + classes;
  }
  return out;
}

Eigen::VectorXd knn_mean_targets(const Eigen::MatrixXd& points, const Eigen::VectorXd& targets,
                                 const std::vector<Eigen::Index>& index, const Eigen::MatrixXd& queries, int k) {
  SB_THROW_IF_NOT(InputError, !index.empty() && k >= 1 && points.cols() == queries.cols(),
                  "knn: {} indexed rows (need >= 1), k = {} (>= 1), {} point and {} query columns (must match)",
                  index.size(), k, points.cols(), queries.cols());
  const auto kk = std::min<size_t>(static_cast<size_t>(k), index.size());
  Eigen::VectorXd out(queries.rows());
  std::vector<std::pair<double, Eigen::Index>> by_distance(index.size());
  for (Eigen::Index q = 0; q < queries.rows(); ++q) {
    nearest(points, index, queries, q, kk, by_distance);
    double sum = 0;
    for (size_t j = 0; j < kk; ++j) sum += targets(by_distance[j].second);
    out(q) = sum / static_cast<double>(kk);
  }
  return out;
}

}  // namespace sb::models
