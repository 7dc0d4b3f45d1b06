// The k-nearest-neighbour classifier (and regressor) as a base model of the unlearning suite:
// the model is the set of training rows it stores (its index), so deleting a
// row from the index is exactly retraining without it.
#pragma once

#include <Eigen/Dense>

#include <vector>

namespace sb::models {

// Class probabilities (queries.rows() x classes) of the kNN vote over the
// stored rows `index` of `points` (labels `labels`): the k = min(k, |index|)
// stored rows nearest each query (squared Euclidean distance, ties by the
// lower row), p_c = (votes_c + 1) / (k + classes) (add-one smoothing, so that
// per-example log-losses are finite; the argmax is the majority vote, ties to
// the lower class).
Eigen::MatrixXd knn_vote_probabilities(const Eigen::MatrixXd& points, const Eigen::VectorXi& labels,
                                       const std::vector<Eigen::Index>& index, const Eigen::MatrixXd& queries, int k,
                                       int classes);

// kNN regression on the same neighbours: each query's prediction is the mean
// target of its k = min(k, |index|) nearest stored rows (queries.rows()).
Eigen::VectorXd knn_mean_targets(const Eigen::MatrixXd& points, const Eigen::VectorXd& targets,
                                 const std::vector<Eigen::Index>& index, const Eigen::MatrixXd& queries, int k);

}  // namespace sb::models
