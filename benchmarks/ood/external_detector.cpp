// External detectors: the ood suite's side of the file protocol of
// harness/core/external.h (documented in docs/OOD.md, "External detectors").
// Inputs: the ID training split's features, logits and labels, the final
// layer, and the rows to score (ID test split, then each OOD set) as features
// and logits; output: scores.npy, one finite score per row to score.
#include <chrono>

#include "benchmarks/ood/npy.h"
#include "benchmarks/ood/protocol.h"
#include "harness/core/errors.h"
#include "harness/core/json.h"

namespace sb::ood {

namespace {

// Rows of `blocks` stacked (all with the same number of columns).
Eigen::MatrixXd stack(const std::vector<const Eigen::MatrixXd*>& blocks) {
  Eigen::Index rows = 0;
  for (const auto* b : blocks) rows += b->rows();
  Eigen::MatrixXd out(rows, blocks.front()->cols());
  Eigen::Index at = 0;
  for (const auto* b : blocks) {
    out.middleRows(at, b->rows()) = *b;
    at += b->rows();
  }
  return out;
}

ExternalArray array(const std::string& name, const Eigen::MatrixXd& m) {
  return {name, {m.rows(), m.cols()}, "float64"};
}

// Writes the cell's inputs to `dir`; returns the number of rows to score.
Eigen::Index write_inputs(const ExternalCellDir& dir, const PreparedData& prepared, const ExternalMethod& method,
                          const ParamSet& params, std::uint64_t seed) {
  const OodData& data = prepared.data;
  std::vector<const Eigen::MatrixXd*> features = {&data.test.features}, logits = {&data.test.logits};
  std::string splits = "[{\"name\": \"id_test\", \"group\": \"id\", \"rows\": [0, " +
                       std::to_string(data.test.features.rows()) + "]}";
  Eigen::Index at = data.test.features.rows();
  for (const auto& set : data.ood) {
    features.push_back(&set.split.features);
    logits.push_back(&set.split.logits);
    splits += ", {\"name\": " + json_quote(set.name) + ", \"group\": " + json_quote(set.group) + ", \"rows\": [" +
              std::to_string(at) + ", " + std::to_string(at + set.split.features.rows()) + "]}";
    at += set.split.features.rows();
  }
  splits += "]";
  const Eigen::MatrixXd eval_features = stack(features), eval_logits = stack(logits);
  std::vector<std::int64_t> labels(data.train.labels.data(), data.train.labels.data() + data.train.labels.size());

  write_npy(dir.file("train_features.npy"), data.train.features);
  write_npy(dir.file("train_logits.npy"), data.train.logits);
  data::write_npy_int64(dir.file("train_labels.npy"), labels);
  write_npy(dir.file("weight.npy"), prepared.weight);
  data::write_npy_vector(dir.file("bias.npy"), prepared.bias);
  write_npy(dir.file("eval_features.npy"), eval_features);
  write_npy(dir.file("eval_logits.npy"), eval_logits);
  const std::vector<ExternalArray> arrays = {
      array("train_features", data.train.features),
      array("train_logits", data.train.logits),
      {"train_labels", {data.train.labels.size()}, "int64"},
      array("weight", prepared.weight),
      {"bias", {prepared.bias.size()}, "float64"},
      array("eval_features", eval_features),
      array("eval_logits", eval_logits)};
  const std::string json = external_cell_json(
      "ood", method.name, params, seed, arrays,
      {{"method_seed", std::to_string(derive_seed(seed, "ood/detector"))},
       {"num_classes", std::to_string(data.num_classes)},
       {"splits", splits}});
  dir.write_text("cell.json", json);
  return eval_features.rows();
}

}  // namespace

CellOutput run_external_detector(const PreparedData& prepared, const ExternalMethod& method,
                                 const ParamSet& method_params, std::uint64_t seed) {
  const ExternalCellDir dir;
  const Eigen::Index rows = write_inputs(dir, prepared, method, method_params, seed);
  const auto start = std::chrono::steady_clock::now();
  run_external_method(method, dir.path());
  DetectorScores scores;
  scores.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const Eigen::VectorXd all =
      data::read_method_output(dir.file("scores.npy"), fmt::format("external detector '{}'", method.name),
                               {{rows}, "one score per row of eval_features"});
  const OodData& data = prepared.data;
  Eigen::Index at = data.test.features.rows();
  scores.id_test = all.head(at);
  for (const auto& set : data.ood) {
    scores.ood.push_back(all.segment(at, set.split.features.rows()));
    at += set.split.features.rows();
  }
  return grade_detector(prepared, method.name, scores);
}

}  // namespace sb::ood
