// SalUn's weight-saliency mask, shared with its test.
#pragma once

#include <Eigen/Dense>

namespace sb::unlearning {

// 0/1 mask of the same shape as `gradient`: 1 on the ceil(share * size)
// entries of largest |gradient| (ties: the lower column-major index first).
Eigen::MatrixXd saliency_mask(const Eigen::MatrixXd& gradient, double share);

}  // namespace sb::unlearning
