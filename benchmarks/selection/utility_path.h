// The utility on the growing prefixes of one permutation (permutation-sampled
// semivalues, estimators/selection/permutation_sampler.h): U(pi_1..pi_k) for
// k = 1, 2, ..., each prefix's model fitted from the previous prefix's.
//
// The utility is Utility's (selection.h): validation accuracy of the L2
// logistic regression fitted to the tolerance. Two-class data go through
// models::BinaryLogisticPath (Newton's method on the reduced two-class
// parametrisation, the same objective and stopping rule as the softmax fit,
// with running sums over the prefix), falling back to the softmax fit when
// Newton's method gives up; other classification data through Utility::scored
// warm-started from the previous prefix's model; regression data through the
// closed-form ridge fit of each prefix.
#pragma once

#include <Eigen/Dense>

#include <optional>
#include <vector>

#include "benchmarks/selection/selection.h"
#include "estimators/models/binary_logistic_path.h"

namespace sb::selection {

class PrefixUtility {
 public:
  explicit PrefixUtility(const Utility& utility);
  // Back to the empty prefix (U = 0), the next fit from zero.
  void clear();
  // U(prefix + {row}) for the rows added since clear(); one fit of the utility.
  double add(Eigen::Index row);

 private:
  double binary_accuracy();
  const Utility* utility_;
  std::vector<Eigen::Index> prefix_;
  Eigen::VectorXi positive_;  // two-class data: 1 = class 1
  std::optional<models::BinaryLogisticPath> binary_;
  Eigen::VectorXd valid_margin_;
  std::optional<models::LogisticClassifier> previous_;  // other classification data: the last prefix's model
};

}  // namespace sb::selection
