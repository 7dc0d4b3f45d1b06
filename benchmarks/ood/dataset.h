// Datasets of the `ood` suite. A dataset builds, from its parameters and a
// seed, the ID training split, the ID test split and named OOD sets, each in
// group "near" or "far". Data with raw inputs get a base classifier trained by
// the suite; data given as features (npy) may bring their own final layer.
#pragma once

#include <Eigen/Dense>

#include <cstdint>
#include <string>
#include <vector>

#include "benchmarks/ood/ood.h"

namespace sb::ood {

struct OodSet {
  std::string name;   // metric suffix: auroc/<name>; [a-z0-9-] only
  std::string group;  // "near" or "far"
  Split split;        // labels all -1
};

struct OodData {
  int num_classes = 0;
  Split train;  // ID training split (inputs or features, labels in [0, k))
  Split test;   // ID test split
  std::vector<OodSet> ood;
  // Set by datasets given as features with their own final layer (k x m, k);
  // empty when the suite trains (or fits) the model.
  Eigen::MatrixXd weight;
  Eigen::VectorXd bias;
  bool has_inputs() const { return train.inputs.size() > 0; }
};

class OodDataset {
 public:
  virtual ~OodDataset() = default;
  // Deterministic: the same parameters and seed give the same data on any rank.
  // Throws sb::InputError for missing or malformed files.
  virtual OodData load(std::uint64_t seed) const = 0;
  // Cheap checks of user-supplied files (headers, shapes, labels), run once
  // at planning so that bad data is a config error (exit 2) before anything
  // runs. Throws sb::InputError naming the file; default: nothing to check.
  virtual void validate() const {}
};

using OodDatasetRegistry = Registry<OodDataset>;

// Tag of datasets that come as raw inputs: the suite adds the base-model
// parameters (model, hidden, epochs, ...) to them.
inline constexpr const char* kTrainsModelTag = "trains-model";

// Checks the invariants above (shapes agree, labels in range, groups valid,
// names unique); throws sb::InternalError naming the dataset on a violation.
void check_ood_data(const OodData& data, const std::string& dataset);

}  // namespace sb::ood

#define SB_REGISTER_OOD_DATASET(Type, name) \
  SB_REGISTER_COMPONENT(::sb::ood::OodDataset, Type, "ood", "dataset", name)
