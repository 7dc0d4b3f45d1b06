// Gaussian fine-tuning's targets, exposed for tests.
#pragma once

#include <Eigen/Dense>

#include <random>

namespace sb::unlearning {

// m rows of targets, column c drawn from N(mean_c, sd_c^2) with the mean and
// population sd of column c of `logits` (portable normal draws).
Eigen::MatrixXd gaussian_logit_targets(const Eigen::MatrixXd& logits, Eigen::Index m, std::mt19937_64& rng);

}  // namespace sb::unlearning
