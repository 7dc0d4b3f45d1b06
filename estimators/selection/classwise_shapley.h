// The class-wise utility of CS-Shapley (for its method and tests).
#pragma once

#include <vector>

#include "benchmarks/selection/selection.h"

namespace sb::selection {

// a_in exp(a_out) for the model fitted on `rows` (0 when empty): a_in =
// correctly classified validation rows of class `label` / all validation
// rows, a_out = correctly classified validation rows of the other classes /
// all validation rows (so a_in + a_out is the validation accuracy). One fit.
double classwise_utility(const Utility& utility, const std::vector<Eigen::Index>& rows, int label);

}  // namespace sb::selection
