// DSIR's importance weights (for the method and its tests).
#pragma once

#include <Eigen/Dense>

#include "benchmarks/selection/hashed_features.h"

namespace sb::selection {

// log w_i = sum_b z_ib (log p_target(b) - log p_raw(b)) for each row i of
// `raw`: z_i its hashed feature counts, p_target and p_raw the add-one
// smoothed bag-of-hashed-features multinomials of `target` and `raw`.
Eigen::VectorXd dsir_log_weights(const Eigen::MatrixXd& raw, const Eigen::MatrixXd& target,
                                 const HashedFeatureOptions& options);

}  // namespace sb::selection
