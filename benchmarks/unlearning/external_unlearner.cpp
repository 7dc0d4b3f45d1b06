// External unlearning methods: the unlearning suite's side of the file
// protocol of harness/core/external.h (documented in docs/EXTERNAL.md,
// "unlearning"). Inputs: what a built-in's UnlearningContext holds that a
// method may use: the standardised training split (the forget rows' labels
// hidden under a label-free request), the forget and retain rows, the base
// model's definition and the original model; never the test or held-out
// splits (they grade) nor the oracle. Output: theta.npy, the unlearned model
// in the original's format (a linear theta, the MLP's flat parameters, or
// the kNN's stored training rows).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>

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

void write_inputs(const ExternalCellDir& dir, const Prepared& prepared, const ExternalMethod& method,
                  const ParamSet& params, std::uint64_t seed) {
  const UnlearningData& d = prepared.data;
  Eigen::VectorXi labels = d.train.y;
  if (prepared.label_free) labels = without_forget_labels(d).train.y;  // -1 at the forget rows
  std::vector<ExternalArray> arrays;
  data::write_npy(dir.file("train_x.npy"), d.train.x);
  arrays.push_back({"train_x", {d.train.x.rows(), d.train.x.cols()}, "float64"});
  data::write_npy_int64(dir.file("train_y.npy"), {labels.data(), labels.data() + labels.size()});
  arrays.push_back({"train_y", {labels.size()}, "int64"});
  for (const auto& [name, rows] : {std::pair<std::string, const std::vector<Eigen::Index>*>{"forget", &d.forget},
                                   std::pair<std::string, const std::vector<Eigen::Index>*>{"retain", &d.retain}}) {
    data::write_npy_int64(dir.file(name + ".npy"), {rows->begin(), rows->end()});
    arrays.push_back({name, {static_cast<std::int64_t>(rows->size())}, "int64"});
  }
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
       {"num_classes", std::to_string(d.num_classes)},
       {"label_free", prepared.label_free ? "true" : "false"},
       {"base", base}});
  std::ofstream out(dir.file("cell.json"), std::ios::binary);
  out << json;
  if (!out) throw MethodError("cannot write '{}'", dir.file("cell.json"));
}

std::string shape_text(const std::vector<std::int64_t>& shape) {
  std::string out;
  for (auto d : shape) out += (out.empty() ? "" : ", ") + std::to_string(d);
  return "(" + out + (shape.size() == 1 ? ",)" : ")");
}

// theta.npy: float64 or float32 (kNN: also int32/int64), finite, of the
// original's shape ((rows,) accepted for one column); kNN: a column of
// distinct row indices of the training split, any number >= 1.
Eigen::MatrixXd read_theta(const ExternalCellDir& dir, const Prepared& prepared, const ExternalMethod& method) {
  const std::string path = dir.file("theta.npy");
  if (!std::filesystem::exists(path)) throw MethodError("external unlearner '{}' wrote no theta.npy", method.name);
  const bool knn = prepared.base.kind == BaseKind::kKnn;
  const Eigen::Index rows = prepared.original.rows(), cols = prepared.original.cols();
  data::NpyArray a;
  try {
    const data::NpyHeader h = data::read_npy_header(path);
    const bool float_type = h.descr == "<f8" || h.descr == "<f4";
    if (!float_type && !(knn && (h.descr == "<i8" || h.descr == "<i4"))) {
      throw MethodError("theta.npy has dtype '{}' (expected float64 '<f8' or float32 '<f4'{})", h.descr,
                        knn ? ", or int64 row indices" : "");
    }
    const bool shape_ok =
        knn ? ((h.shape.size() == 1 || (h.shape.size() == 2 && h.shape[1] == 1)) && h.shape[0] >= 1)
            : (h.shape.size() == 2 && h.shape[0] == rows && h.shape[1] == cols) ||
                  (cols == 1 && h.shape.size() == 1 && h.shape[0] == rows);
    if (!shape_ok) {
      throw MethodError("theta.npy has shape {} (expected {})", shape_text(h.shape),
                        knn ? std::string("(m,) or (m, 1): the m >= 1 training rows kept")
                            : fmt::format("({}, {}), the shape of original.npy", rows, cols));
    }
    a = data::read_npy(path);
  } catch (const InputError& e) {
    throw MethodError("external unlearner '{}': {}", method.name, e.what());
  } catch (const MethodError& e) {
    throw MethodError("external unlearner '{}': {}", method.name, e.what());
  }
  const Eigen::Index out_rows = knn ? static_cast<Eigen::Index>(a.values.size()) : rows;
  Eigen::MatrixXd theta(out_rows, cols);
  std::vector<char> seen(knn ? static_cast<size_t>(prepared.data.train.rows()) : 0, 0);
  for (Eigen::Index r = 0; r < out_rows; ++r) {
    for (Eigen::Index c = 0; c < cols; ++c) {
      const double v = a.values[static_cast<size_t>(r * cols + c)];
      if (!std::isfinite(v)) {
        throw MethodError("external unlearner '{}': theta.npy entry ({}, {}) is {} (entries must be finite)",
                          method.name, r, c, v);
      }
      theta(r, c) = v;
    }
    if (!knn) continue;
    const double v = theta(r, 0);
    const bool index = v == std::floor(v) && v >= 0 && v < static_cast<double>(seen.size());
    if (!index || seen[static_cast<size_t>(v)]) {
      throw MethodError("external unlearner '{}': theta.npy row {} is {} (knn: distinct row indices of train_x, "
                        "0 <= i < {})", method.name, r, v, seen.size());
    }
    seen[static_cast<size_t>(v)] = 1;
  }
  return theta;
}

}  // namespace

std::string external_incompatibility(const CommonParams& common) {
  if (common.forget == "sequential")
    return "an external method does not answer successive requests (forget = \"sequential\"): the file protocol "
           "carries no state between requests";
  return "";
}

CellOutput run_external_unlearner(const Prepared& prepared, const ExternalMethod& method, const ParamSet& params,
                                  std::uint64_t seed) {
  SB_THROW_IF_NOT(InputError, prepared.data.requests.empty(), "external method '{}': {}", method.name,
                  "successive requests (forget = \"sequential\") are not supported");
  const ExternalCellDir dir;
  write_inputs(dir, prepared, method, params, seed);
  const auto start = std::chrono::steady_clock::now();
  run_external_method(method, dir.path());
  CellOutput out;
  out.method_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  out.metrics = grade(prepared, UnlearnedModel{{read_theta(dir, prepared, method)}, {}});
  out.metrics.emplace_back("speedup", prepared.oracle_seconds / std::max(out.method_seconds, 1e-9));
  return out;
}

}  // namespace sb::unlearning
