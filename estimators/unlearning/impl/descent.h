// Shared by the descent-based unlearning methods (finetune, gradient-ascent,
// neggrad-plus, random-labels): seeded minibatch (stochastic) gradient steps
// on a weighted retain term minus a weighted forget term.
#pragma once

#include <Eigen/Dense>

#include <cstdint>
#include <random>
#include <vector>

#include "benchmarks/unlearning/linear_rows.h"
#include "estimators/models/penalized_linear.h"

namespace sb::unlearning {

// Rows `rows` of y.
Eigen::VectorXi select_labels(const Eigen::VectorXi& y, const std::vector<Eigen::Index>& rows);

// Each label replaced by one drawn uniformly from the other classes,
// (y + U{1..k-1}) mod k (num_classes >= 2).
Eigen::VectorXi random_other_labels(const Eigen::VectorXi& y, int num_classes, std::mt19937_64& rng);

struct DescentPart {
  const Eigen::MatrixXd* z = nullptr;  // n x (p+1)
  const Eigen::VectorXi* y = nullptr;  // n
  double weight = 0;                   // 0: the part is not used
  const Eigen::VectorXd* t = nullptr;  // regression targets (then y is unused)
};
// A part of the data's rows, whatever the task (linear_rows.h).
inline DescentPart descent_part(const LinearRows& rows, double weight) { return {rows.z, rows.y, weight, rows.t}; }

struct DescentOptions {
  std::int64_t epochs = 5;
  double learning_rate = 0.1;
  std::int64_t batch_size = 64;
};

// From theta, `epochs` passes over the leading part (the retain part when
// its weight is positive, else the forget part) in minibatches of
// batch_size rows (a seeded permutation per epoch); each step
//   theta -= lr * ( w_r * [mean grad of loss over the retain batch + (lambda / n_r) theta]
//                 - w_f * mean grad of loss over the forget batch ),
// the other part's batches cycling through its own permutation. With
// w_f = 0 and batch_size >= n_r this is gradient descent on L_R / n_r (whose
// minimiser is the retrain oracle). `mask` ((p+1) x k of 0/1, or null):
// only the entries where it is 1 move.
Eigen::MatrixXd descend(const models::PenalizedLinear& model, Eigen::MatrixXd theta, const DescentPart& retain,
                        const DescentPart& forget, const DescentOptions& options, std::uint64_t seed,
                        const Eigen::MatrixXd* mask = nullptr);

}  // namespace sb::unlearning
