// Shared by the MLP unlearning methods (blindspot, gaussian-finetune,
// label-agnostic, lunar, ood-gated): minibatch descent over the retain and
// forget rows together, and the pieces of their objectives.
#pragma once

#include <Eigen/Dense>

#include <cstdint>
#include <functional>
#include <vector>

#include "benchmarks/unlearning/unlearning.h"

namespace sb::unlearning {

// Rows `rows` of m.
Eigen::MatrixXd mlp_rows(const Eigen::MatrixXd& m, const std::vector<Eigen::Index>& rows);

// `epochs` passes over the n_r + n_f rows (retain rows first) in minibatches
// of batch_size (a seeded permutation per epoch, models::sgd_descend); each
// step theta -= lr * step_gradient(theta, retain rows of the batch, forget
// rows of the batch) (either list may be empty; rows index retain / forget).
using MlpStepGradient = std::function<Eigen::VectorXd(
    const Eigen::VectorXd& theta, const std::vector<Eigen::Index>& retain_rows,
    const std::vector<Eigen::Index>& forget_rows)>;
Eigen::VectorXd mlp_descend(Eigen::VectorXd theta, Eigen::Index n_retain, Eigen::Index n_forget,
                            std::int64_t epochs, std::int64_t batch_size, double learning_rate, std::uint64_t seed,
                            const MlpStepGradient& step_gradient);

// Gradient of (1/n) sum over the rows of -log softmax(logits)_y on x (n x inputs); zero when x is empty.
Eigen::VectorXd mlp_cross_entropy_gradient(const models::SgdMlpShape& shape, const Eigen::VectorXd& theta,
                                           const Eigen::MatrixXd& x, const Eigen::VectorXi& y);

// Regression networks (one output): gradient of (1/n) sum over the rows of (1/2)(out(x_i) - t_i)^2; zero
// when x is empty.
Eigen::VectorXd mlp_squared_error_gradient(const models::SgdMlpShape& shape, const Eigen::VectorXd& theta,
                                           const Eigen::MatrixXd& x, const Eigen::VectorXd& t);

// Gradient of (1/n) sum over the rows of hidden_weight ||h_L(x_i) - hidden_target_i||^2 (h_L the last
// hidden layer) + logit_weight ||logits(x_i) - logit_target_i||^2 (a null target: no term); zero when x is empty.
Eigen::VectorXd mlp_hidden_distance_gradient(const models::SgdMlpShape& shape, const Eigen::VectorXd& theta,
                                             const Eigen::MatrixXd& x, const Eigen::MatrixXd* hidden_target,
                                             double hidden_weight, const Eigen::MatrixXd* logit_target = nullptr,
                                             double logit_weight = 0.0);

// Gradient of weight * (1/n) sum over the rows of the soft-label cross-entropy
// -sum_c q_ic log softmax(logits(x_i))_c (q: target probabilities, rows summing to 1),
// i.e. of the mean KL(q_i || p_i) up to a constant: d/dlogits = weight (p - q) / n,
// bounded whatever the inputs' scale; zero when x is empty.
Eigen::VectorXd mlp_soft_label_gradient(const models::SgdMlpShape& shape, const Eigen::VectorXd& theta,
                                        const Eigen::MatrixXd& x, const Eigen::MatrixXd& target_probabilities,
                                        double weight);

// The parameter positions of the layer that produces the last hidden layer
// (its weights and biases): [begin, end) in theta.
std::pair<Eigen::Index, Eigen::Index> mlp_last_hidden_layer(const models::SgdMlpShape& shape);
// The positions of the output layer: [begin, theta.size()).
Eigen::Index mlp_output_layer_begin(const models::SgdMlpShape& shape);

}  // namespace sb::unlearning
