// The `unlearning` suite's typed interface: a model is trained on a training
// split, a forget set of its rows is to be removed, and a method returns the
// unlearned model; the suite grades it against the retrain oracle (the model
// fitted on the retain rows alone, unique for the strongly convex models
// here) by accuracies, membership inference, prediction and parameter
// distances (docs/UNLEARNING.md).
#pragma once

#include <Eigen/Dense>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "benchmarks/unlearning/linear_rows.h"
#include "datasets/table.h"
#include "estimators/models/penalized_linear.h"
#include "estimators/models/sgd_mlp.h"
#include "harness/core/registry.h"

namespace sb::unlearning {

// One replication: standardised splits and the forget set. A regression
// table (num_classes = 0) carries standardised targets (train/test/heldout
// .target, forget_t, retain_t) and labels of -1, which every classification
// loss refuses.
struct UnlearningData {
  data::Table train, test, heldout;  // heldout: non-members for membership inference
  Eigen::MatrixXd train_z, test_z, heldout_z;  // [x, 1] (models::augment)
  std::vector<Eigen::Index> forget, retain;    // rows of train, increasing; a partition
  Eigen::MatrixXd forget_z, retain_z;
  Eigen::VectorXi forget_y, retain_y;
  Eigen::VectorXd forget_t, retain_t;  // regression only
  int num_classes = 0;                 // 0: regression
  bool regression() const { return num_classes == 0; }
  // The rows of each part for the linear base, whatever the task (linear_rows.h).
  LinearRows train_rows() const { return {&train_z, &train.y, regression() ? &train.target : nullptr}; }
  LinearRows retain_rows() const { return {&retain_z, &retain_y, regression() ? &retain_t : nullptr}; }
  LinearRows forget_rows() const { return {&forget_z, &forget_y, regression() ? &forget_t : nullptr}; }
  // forget = "sequential": the successive requests (a partition of `forget`,
  // each sorted); empty otherwise. forget / retain are then the final state.
  std::vector<std::vector<Eigen::Index>> requests;
};

// A named data set of the suite (the split, forget-set and model parameters
// are declared once by the suite, benchmarks/unlearning/suite.cpp).
class UnlearningDataset {
 public:
  virtual ~UnlearningDataset() = default;
  // The whole table, deterministic given the seed.
  virtual data::Table load(std::uint64_t seed) const = 0;
  // True for a regression table (real-valued targets): graded by MSE, run by
  // the methods whose regression() is true.
  virtual bool regression() const { return false; }
  // Checks at planning that the data exist and hold `rows_needed` rows; throws InputError.
  virtual void validate(std::int64_t rows_needed) const = 0;
};

// The base model family (dataset parameter `model`): linear (logistic or
// one-hot ridge, theta (p+1) x k; on a regression table ridge regression,
// theta (p+1) x 1), kNN (theta: the stored training rows, a column of row
// indices into train; regression: the mean of the neighbours' targets) or the
// SGD-trained MLP (theta: the flat parameter vector, a column; input x = z
// without its ones column; regression: one output unit, squared loss).
enum class BaseKind { kLinear, kKnn, kMlp };
struct BaseSpec {
  BaseKind kind = BaseKind::kLinear;
  int knn_k = 5;
  models::SgdMlpShape mlp_shape;
  models::SgdMlpOptions mlp_options;
};
const char* base_name(BaseKind kind);

// What a method sees: the data (the forget set included), the base model's
// loss and penalty, the original model (fitted on every training row) and
// its own random stream.
struct UnlearningContext {
  const UnlearningData* data = nullptr;
  models::PenalizedLinear model;  // kKnn, kMlp: loss softmax (the losses of predictions), lambda unused
  BaseSpec base;
  const Eigen::MatrixXd* original = nullptr;  // linear: (p+1) x k; kNN, MLP: a column (BaseKind)
  std::uint64_t seed = 0;
  std::uint64_t base_seed = 0;  // the seed the original (and the oracle) were fitted with (MLP)
};

// A method's answer: one model, or an ensemble whose predictions (class
// probabilities, or ridge outputs) are averaged (SISA); plus diagnostics the
// method alone knows (declared by the suite as metrics, e.g. "retrained").
struct UnlearnedModel {
  std::vector<Eigen::MatrixXd> thetas;
  std::vector<std::pair<std::string, double>> diagnostics;
};

class Unlearner {
 public:
  virtual ~Unlearner() = default;
  // Training-time work, before the forget set is known to the method (SISA's
  // shard models, a loss-perturbed model, a stored inverse): not counted in
  // the unlearning cost. It must not read ctx.data->forget / retain.
  virtual void train(const UnlearningContext& ctx) { (void)ctx; }
  // The unlearned model (timed: the unlearning cost).
  virtual UnlearnedModel unlearn(const UnlearningContext& ctx) = 0;
  // True when the method answers successive requests: each `unlearn` (whose
  // ctx.data->forget is that request's rows, retain the rows still kept)
  // continues from the state the previous one left, so that k requests equal
  // one request of their union (the exact methods), or so that a certificate
  // or stored state carries over (newton-removal's budget, amnesiac's removed
  // batches). Others are chained by the suite: request j's ctx.original is
  // the model request j-1 returned.
  virtual bool sequential() const { return false; }
  // True when `unlearn` reads the forget rows' labels (forget_y): such a
  // method refuses label-free requests (its cells are incompatible).
  virtual bool needs_forget_labels() const { return false; }
  // True when the method applies to regression tables (real targets, the
  // squared loss); the others are incompatible with them.
  virtual bool regression() const { return false; }
  // The base model families the method applies to (the others are incompatible).
  virtual std::vector<BaseKind> bases() const { return {BaseKind::kLinear}; }
  // Linear bases: empty when the method applies to base models of this loss, else the reason.
  virtual std::string incompatibility(models::LinearLoss loss) const {
    (void)loss;
    return "";
  }
};

using UnlearningDatasetRegistry = Registry<UnlearningDataset>;
using UnlearnerRegistry = Registry<Unlearner>;

}  // namespace sb::unlearning

#define SB_REGISTER_UNLEARNING_DATASET(Type, name) \
  SB_REGISTER_COMPONENT(::sb::unlearning::UnlearningDataset, Type, "unlearning", "dataset", name)
#define SB_REGISTER_UNLEARNER(Type, name) \
  SB_REGISTER_COMPONENT(::sb::unlearning::Unlearner, Type, "unlearning", "method", name)
