// The evaluation protocol of the `ood` suite, exposed for tests and tools:
// what a cell shares through the CellCache, how a detector is run and graded.
#pragma once

#include <Eigen/Dense>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "benchmarks/ood/dataset.h"
#include "harness/core/external.h"
#include "harness/core/suite.h"

namespace sb::ood {

// A detector registered with this tag needs the base model itself (inputs
// and input gradients, e.g. ODIN); the suite refuses it on feature-only
// datasets (npy) before anything runs.
inline constexpr const char* kNeedsModelTag = "needs-model";

// One (dataset params, seed): the data with features/logits of every split
// filled, the trained base model (null for feature-only data) and the final
// layer every detector receives. Shared by all detector cells via CellCache.
struct PreparedData {
  OodData data;
  std::shared_ptr<const Classifier> model;
  Eigen::MatrixXd weight;  // k x m
  Eigen::VectorXd bias;    // k
  double id_accuracy = 0;  // argmax logits vs labels on the ID test split
};

// Base-model parameters the suite adds to every dataset tagged kTrainsModelTag.
std::vector<ParamSpec> base_model_params();

// "ood|<dataset label>|seed=<seed>"; the label includes the model params.
std::string prepared_cache_key(const CellSpec& cell);

// Loads `dataset` with resolved `params` and takes the base model from
// `base_model` (the output of the `base-model` reference), or trains it here
// when that is null; fits the final layer of feature-only data.
std::shared_ptr<const PreparedData> prepare_data(const std::string& dataset, const ParamSet& params,
                                                 std::uint64_t seed, const CellOutput* base_model = nullptr);

// The `base-model` reference: the classifier trained on the ID training split
// of (dataset, params, seed), as artifacts (its parameters and their shapes),
// and back. Reference parameters: the dataset's, plus "dataset" (its name).
inline constexpr const char* kBaseModelReference = "base-model";
CellOutput train_base_model(const std::string& dataset, const ParamSet& params, std::uint64_t seed);
std::shared_ptr<const Classifier> decode_base_model(const CellOutput& output);

// Fits detector `method` on the ID training split, scores the ID test split
// and each OOD set (timed as method_seconds) and grades them. Throws
// sb::MethodError when the detector returns a wrong number of scores or NaN.
CellOutput run_detector(const PreparedData& prepared, const std::string& method,
                        const ParamSet& method_params, std::uint64_t seed);

// A detector's scores of the ID test split and of each OOD set (in
// OodData::ood order), and the seconds the method took.
struct DetectorScores {
  Eigen::VectorXd id_test;
  std::vector<Eigen::VectorXd> ood;
  double seconds = 0;
};
// Checks the scores (one per example, no NaN: else sb::MethodError naming
// `method`) and grades them: metrics, id_accuracy and the score artifacts.
CellOutput grade_detector(const PreparedData& prepared, const std::string& method, const DetectorScores& scores);

// The external detector `method` (a command; docs/OOD.md, "External
// detectors"): writes the cell's inputs to a fresh directory, runs it, reads
// scores.npy back (shape, dtype and finiteness checked) and grades it.
CellOutput run_external_detector(const PreparedData& prepared, const ExternalMethod& method,
                                 const ParamSet& method_params, std::uint64_t seed);

// Metrics of ID scores against each OOD set: <metric>/<set>, then the means
// per group <metric>/near, <metric>/far and over all sets <metric>.
struct GradedScores {
  std::vector<std::pair<std::string, double>> metrics;
};
GradedScores grade(const Eigen::VectorXd& id_scores, const std::vector<OodSet>& sets,
                   const std::vector<Eigen::VectorXd>& ood_scores);

// The suite's metric declarations (per-set metrics "x/<set>" take the
// direction of "x").
std::vector<MetricInfo> ood_metric_infos();

}  // namespace sb::ood
