// How an unlearning cell runs, exposed for tests: prepare a replication
// (load, split, standardise, draw the forget set) with its original model and
// retrain oracle, run an unlearning method and grade its model against the oracle.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "benchmarks/unlearning/unlearning.h"
#include "harness/core/cell_output.h"
#include "harness/core/params.h"

namespace sb::unlearning {

// The parameters every unlearning dataset shares (declared once, appended to
// each dataset's own).
struct CommonParams {
  std::int64_t n_train = 500;
  std::int64_t n_test = 200;
  std::int64_t n_heldout = 200;
  std::string forget = "random";
  double fraction = 0.05;
  std::int64_t forget_class = 0;
  std::int64_t clusters = 5;
  std::int64_t worst_pool = 8;
  std::string memorization = "influence";
  bool label_free = false;
  std::string model = "logistic";
  double l2 = 1e-2;
  double tolerance = 1e-10;
  std::int64_t knn_k = 5;
  std::int64_t mlp_hidden = 32;
  std::int64_t mlp_layers = 1;
  std::int64_t mlp_epochs = 20;
  std::int64_t mlp_batch_size = 32;
  double mlp_learning_rate = 0.05;
  double mlp_l2 = 1e-4;
  std::int64_t noise_seeds = 3;
  std::int64_t requests = 3;
};
std::vector<ParamSpec> common_params();
CommonParams bind_common_params(const ParamSet& params);

// The base model of the parameters: softmax (model = "logistic") or squared
// loss on one-hot labels (model = "ridge"), lambda = l2 * n_train.
models::PenalizedLinear base_model(const CommonParams& common);
// The base family and its options (the MLP's input width and classes from the data).
BaseSpec base_spec(const CommonParams& common, int inputs, int num_classes);

// The replication of a table for `seed`: splits by count (train, heldout,
// test), standardised by the training split, then the forget set drawn on
// the training split (which "mislabeled" corrupts first).
UnlearningData make_unlearning_data(const data::Table& table, const CommonParams& common, std::uint64_t seed);

struct Prepared {
  UnlearningData data;
  models::PenalizedLinear model;
  BaseSpec base;
  Eigen::MatrixXd original;     // fitted on every training row
  Eigen::MatrixXd oracle;       // fitted on the retain rows: the retrain oracle
  // MLP: retrains on the retain rows from `noise_seeds` other seeds, and the
  // noise floor of each gap metric (its mean over them, graded as methods).
  std::vector<Eigen::MatrixXd> noise_retrains;
  std::vector<std::pair<std::string, double>> noise_floor;
  // forget = "sequential": the oracle after each request j (the retrain on the
  // rows no request up to j named); the last is `oracle`.
  std::vector<Eigen::MatrixXd> request_oracles;
  double oracle_seconds = 0;    // the oracle's fit (the cost `speedup` divides)
  bool label_free = false;      // the request names the forget rows without their labels
};

// The references: "original" (the model fitted on every training row) and
// "oracle" (the retrain oracle), each computed once per (dataset, dataset
// params, seed) across a run. Both are of the cell's dataset and have no
// parameters of their own.
inline constexpr const char* kOriginalReference = "original";
inline constexpr const char* kOracleReference = "oracle";
CellOutput compute_original(const std::string& dataset, const ParamSet& params, std::uint64_t seed);
CellOutput compute_oracle(const std::string& dataset, const ParamSet& params, std::uint64_t seed);

// The replication; the models from the references' outputs, computed here when null.
std::shared_ptr<const Prepared> prepare(const std::string& dataset, const ParamSet& params, std::uint64_t seed,
                                        const CellOutput* original = nullptr, const CellOutput* oracle = nullptr);

// Predictions of a model or an ensemble (the mean of its members'
// predictions: class probabilities, or ridge outputs), n x k.
Eigen::MatrixXd ensemble_predictions(const models::PenalizedLinear& model, const std::vector<Eigen::MatrixXd>& thetas,
                                     const Eigen::MatrixXd& z);
// Predictions of a model or an ensemble of the prepared base family, n x k.
Eigen::MatrixXd base_predictions(const Prepared& prepared, const std::vector<Eigen::MatrixXd>& thetas,
                                 const Eigen::MatrixXd& z);
// The MLP's input: z without its ones column.
inline Eigen::MatrixXd mlp_inputs(const Eigen::MatrixXd& z) { return z.leftCols(z.cols() - 1); }
// The base model fitted on rows `rows` of the training split (linear: fit_linear;
// kNN: the rows themselves; MLP: SGD from the seed).
Eigen::MatrixXd fit_base(const UnlearningContext& ctx, const std::vector<Eigen::Index>& rows, std::uint64_t mlp_seed);
// The seed of the MLP's original and oracle fits in a replication.
std::uint64_t mlp_seed(std::uint64_t seed);

// Per-example losses of predictions: -log p_y (softmax) or (1/2)||out - e_y||^2 (squared).
std::vector<double> prediction_losses(const models::PenalizedLinear& model, const Eigen::MatrixXd& predictions,
                                      const Eigen::VectorXi& y);

// Grades an unlearned model against the prepared oracle (every metric but speedup).
std::vector<std::pair<std::string, double>> grade(const Prepared& prepared, const UnlearnedModel& unlearned);

// The parts of a replication read from its training split and its forget /
// retain rows: forget_z, retain_z, forget_y, retain_y (and, for a regression
// table, forget_t, retain_t).
void select_parts(UnlearningData& data);

// Sequential requests: the data as of request j (0-based): forget = the union of
// requests 0..j (cumulative = true; what grading reads) or request j alone
// (false; what the method's unlearn sees), retain = the rows no request up to j named.
UnlearningData request_view(const UnlearningData& data, size_t j, bool cumulative);

// MLP: the oracle noise floor of each gap metric (noise_floor_metrics()): its
// mean over the prepared noise retrains, each graded as a method. Empty without retrains.
const std::vector<std::string>& noise_floor_metrics();
std::vector<std::pair<std::string, double>> noise_floor(const Prepared& prepared);

// The data a method's `unlearn` sees under a label-free request: the forget
// rows' labels (forget_y and train.y at the forget rows) replaced by -1, so
// that reading them fails (every loss checks its labels).
UnlearningData without_forget_labels(const UnlearningData& data);

// Runs `method` (train, then the timed unlearn) and grades it.
CellOutput run_unlearner(const Prepared& prepared, const std::string& method, const ParamSet& method_params,
                         std::uint64_t seed);

std::vector<MetricInfo> unlearning_metric_infos();

}  // namespace sb::unlearning
