// The `ood` suite's typed interface. A base classifier is trained once per
// (dataset, seed) and shared by every detector cell; a detector fits on the
// ID training split and scores examples, higher = more in-distribution.
#pragma once

#include <Eigen/Dense>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "estimators/models/classifier.h"
#include "harness/core/registry.h"

namespace sb::ood {

// Rows are examples. `inputs` may be empty (data given as features, e.g. npy).
struct Split {
  Eigen::MatrixXd inputs;    // n x p raw inputs
  Eigen::MatrixXd features;  // n x m penultimate activations
  Eigen::MatrixXd logits;    // n x k
  Eigen::VectorXi labels;    // n; class for ID splits, -1 for OOD
};

// A trained base classifier (shared learners, estimators/models/classifier.h).
using Classifier = models::Classifier;

// What a detector may use when it fits.
struct FitContext {
  const Split* train = nullptr;          // ID training split
  const Classifier* model = nullptr;     // null when the data came without a model (npy)
  Eigen::MatrixXd weight;                // k x m final layer (always set)
  Eigen::VectorXd bias;                  // k
  int num_classes = 0;
  std::uint64_t seed = 0;
};

class Detector {
 public:
  virtual ~Detector() = default;
  virtual void fit(const FitContext& ctx) = 0;
  // One score per row of `split`; higher = more in-distribution.
  virtual Eigen::VectorXd score(const Split& split) const = 0;
};

using DetectorRegistry = Registry<Detector>;

}  // namespace sb::ood

#define SB_REGISTER_DETECTOR(Type, name) \
  SB_REGISTER_COMPONENT(::sb::ood::Detector, Type, "ood", "method", name)
