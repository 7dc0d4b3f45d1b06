// External unlearning methods: the unlearning suite's side of the file
// protocol of harness/core/external.h (documented in docs/EXTERNAL.md,
// "unlearning"). Inputs: what a built-in's UnlearningContext holds that a
// method may use: the standardised training split (the forget rows' labels
// hidden under a label-free request), the forget and retain rows, the base
// model's definition and the original model; never the test or held-out
// splits (they grade) nor the oracle. Output: theta.npy, the unlearned model
// in the original's format (a linear theta, the MLP's flat parameters, or
// the kNN's stored training rows). Successive requests run the command once
// each in the same directory, where the method keeps its state.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>

#include "benchmarks/unlearning/external.h"
#include "datasets/npy.h"
#include "harness/core/errors.h"
#include "harness/core/json.h"
#include "harness/core/suite.h"

namespace sb::unlearning {

namespace {

const char* base_label(const Prepared& p) {
  switch (p.base.kind) {
    case BaseKind::kKnn: return "knn";
    case BaseKind::kMlp: return "mlp";
    case BaseKind::kLinear: break;
  }
  return p.model.loss == models::LinearLoss::kSquared ? "ridge" : "logistic";
}

// The request's inputs (`view`: the replication, or the view of one of
// successive requests: forget = its rows, retain = the rows still kept),
// written over the previous request's; the method's own files stay.
void write_inputs(const ExternalCellDir& dir, const Prepared& prepared, const UnlearningData& view, size_t request,
                  const ExternalMethod& method, const ParamSet& params, std::uint64_t seed) {
  Eigen::VectorXi labels = view.train.y;
  if (prepared.label_free) labels = without_forget_labels(view).train.y;  // -1 at the forget rows
  std::vector<ExternalArray> arrays;
  data::write_npy(dir.file("train_x.npy"), view.train.x);
  arrays.push_back({"train_x", {view.train.x.rows(), view.train.x.cols()}, "float64"});
  data::write_npy_int64(dir.file("train_y.npy"), {labels.data(), labels.data() + labels.size()});
  arrays.push_back({"train_y", {labels.size()}, "int64"});
  data::write_npy_int64(dir.file("forget.npy"), {view.forget.begin(), view.forget.end()});
  arrays.push_back({"forget", {static_cast<std::int64_t>(view.forget.size())}, "int64"});
  data::write_npy_int64(dir.file("retain.npy"), {view.retain.begin(), view.retain.end()});
  arrays.push_back({"retain", {static_cast<std::int64_t>(view.retain.size())}, "int64"});
  data::write_npy(dir.file("original.npy"), prepared.original);
  arrays.push_back({"original", {prepared.original.rows(), prepared.original.cols()}, "float64"});
  const auto& shape = prepared.base.mlp_shape;
  const auto& options = prepared.base.mlp_options;
  const std::string base = fmt::format(
      "{{\"model\": {}, \"lambda\": {}, \"tolerance\": {}, \"knn_k\": {}, \"mlp\": {{\"inputs\": {}, \"hidden\": {}, "
      "\"layers\": {}, \"classes\": {}, \"epochs\": {}, \"batch_size\": {}, \"learning_rate\": {}, \"l2\": {}}}}}",
      json_quote(base_label(prepared)), json_number(prepared.model.lambda), json_number(prepared.model.tolerance),
      prepared.base.knn_k, shape.inputs, shape.hidden, shape.layers, shape.classes, options.epochs,
      options.batch_size, json_number(options.learning_rate), json_number(options.l2));
  const std::string json = external_cell_json(
      "unlearning", method.name, params, seed, arrays,
      {{"method_seed", std::to_string(derive_seed(seed, "unlearning/method"))},
       {"base_seed", std::to_string(mlp_seed(seed))},
       {"num_classes", std::to_string(view.num_classes)},
       {"label_free", prepared.label_free ? "true" : "false"},
       {"request", std::to_string(request)},
       {"requests", std::to_string(std::max<size_t>(1, prepared.data.requests.size()))},
       {"base", base}});
  dir.write_text("cell.json", json);
}

// theta.npy: float64 or float32, finite, of the original's shape ((rows,)
// accepted for one column); kNN: a column of distinct row indices of the
// training split (integers accepted), any number >= 1.
Eigen::MatrixXd read_theta(const ExternalCellDir& dir, const Prepared& prepared, const ExternalMethod& method) {
  const std::string who = fmt::format("external unlearner '{}'", method.name);
  if (prepared.base.kind != BaseKind::kKnn) {
    const std::vector<std::int64_t> shape = {prepared.original.rows(), prepared.original.cols()};
    return data::read_method_output(dir.file("theta.npy"), who, {shape, "the shape of original.npy"});
  }
  const Eigen::MatrixXd theta =
      data::read_method_output(dir.file("theta.npy"), who, {{-1}, "the m >= 1 training rows kept", true});
  std::vector<char> seen(static_cast<size_t>(prepared.data.train.rows()), 0);
  for (Eigen::Index r = 0; r < theta.rows(); ++r) {
    const double v = theta(r, 0);
    const bool index = v == std::floor(v) && v >= 0 && v < static_cast<double>(seen.size());
    if (!index || seen[static_cast<size_t>(v)]) {
      throw MethodError("{}: theta.npy row {} is {} (knn: distinct row indices of train_x, 0 <= i < {})", who, r, v,
                        seen.size());
    }
    seen[static_cast<size_t>(v)] = 1;
  }
  return theta;
}

}  // namespace

CellOutput run_external_unlearner(const Prepared& prepared, const ExternalMethod& method, const ParamSet& params,
                                  std::uint64_t seed) {
  const ExternalCellDir dir;
  // One timed run of the command on `view` (request `j`), its theta.npy read back.
  auto unlearn = [&](const UnlearningData& view, size_t j, double& seconds) {
    std::filesystem::remove(dir.file("theta.npy"));  // the previous request's answer
    write_inputs(dir, prepared, view, j, method, params, seed);
    const auto start = std::chrono::steady_clock::now();
    run_external_method(method, dir.path());
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return UnlearnedModel{{read_theta(dir, prepared, method)}, {}};
  };
  CellOutput out;
  if (prepared.data.requests.empty()) {
    out.metrics = grade(prepared, unlearn(prepared.data, 0, out.method_seconds));
  } else {
    // Successive requests, graded as run_unlearner grades a built-in's: request j against the oracle of the
    // rows still kept (metrics name/request_{j+1}), the last also unsuffixed. The cell directory stays: the
    // method keeps its state there between requests.
    const size_t k = prepared.data.requests.size();
    for (size_t j = 0; j < k; ++j) {
      const UnlearnedModel unlearned = unlearn(request_view(prepared.data, j, false), j, out.method_seconds);
      Prepared as_of = prepared;
      as_of.data = request_view(prepared.data, j, true);
      as_of.oracle = prepared.request_oracles.at(j);
      if (j + 1 < k) as_of.noise_floor.clear();  // the noise floor is the final oracle's
      const auto metrics = grade(as_of, unlearned);
      for (const auto& [name, value] : metrics) out.metrics.emplace_back(fmt::format("{}/request_{}", name, j + 1), value);
      if (j + 1 == k) out.metrics.insert(out.metrics.end(), metrics.begin(), metrics.end());
    }
  }
  out.metrics.emplace_back("speedup", prepared.oracle_seconds / std::max(out.method_seconds, 1e-9));
  return out;
}

}  // namespace sb::unlearning
