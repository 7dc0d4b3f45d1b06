// External valuers: the selection suite's side of the file protocol of
// harness/core/external.h (documented in docs/EXTERNAL.md, "selection").
// Inputs: what a built-in valuer's ValuationContext holds that a method may
// use: the training and validation splits, the utility's model options and
// the method's seed (never the test split, the corrupted rows or the target
// domain: they grade). Output: values.npy, one finite value per training
// row; with the LDS truth, optionally attribution.npy (n_train x n_valid).
#include <chrono>
#include <cmath>
#include <filesystem>

#include "benchmarks/selection/external.h"
#include "datasets/npy.h"
#include "harness/core/errors.h"
#include "harness/core/json.h"
#include "harness/core/suite.h"

namespace sb::selection {

namespace {

void write_split(const ExternalCellDir& dir, const std::string& name, const data::Table& t, bool regression,
                 std::vector<ExternalArray>& arrays) {
  data::write_npy(dir.file(name + "_x.npy"), t.x);
  arrays.push_back({name + "_x", {t.x.rows(), t.x.cols()}, "float64"});
  if (regression) {
    data::write_npy_vector(dir.file(name + "_y.npy"), t.target);
    arrays.push_back({name + "_y", {t.target.size()}, "float64"});
  } else {
    data::write_npy_int64(dir.file(name + "_y.npy"), {t.y.data(), t.y.data() + t.y.size()});
    arrays.push_back({name + "_y", {t.y.size()}, "int64"});
  }
}

void write_inputs(const ExternalCellDir& dir, const Prepared& prepared, const ExternalMethod& method,
                  const ParamSet& params, std::uint64_t seed) {
  const SelectionData& data = prepared.data;
  std::vector<ExternalArray> arrays;
  write_split(dir, "train", data.train, data.regression(), arrays);
  write_split(dir, "valid", data.valid, data.regression(), arrays);
  const std::string utility = fmt::format("{{\"model\": {}, \"l2\": {}, \"tolerance\": {}}}",
                                          json_quote(data.regression() ? "ridge" : "logistic"),
                                          json_number(prepared.utility.l2), json_number(prepared.utility.tolerance));
  const std::string json = external_cell_json(
      "selection", method.name, params, seed, arrays,
      {{"method_seed", std::to_string(derive_seed(seed, "selection/method"))},
       {"task", json_quote(data.regression() ? "regression" : "classification")},
       {"num_classes", std::to_string(data.num_classes)},
       {"utility", utility},
       {"want_attribution", prepared.lds ? "true" : "false"}});
  dir.write_text("cell.json", json);
}

// The output `name`.npy: float64 or float32 of shape (rows, cols), or
// (rows,) when cols == 1, every entry finite. `expected` describes the shape
// for the message.
Eigen::MatrixXd read_output(const ExternalCellDir& dir, const std::string& name, Eigen::Index rows, Eigen::Index cols,
                            const std::string& expected, const ExternalMethod& method) {
  const std::string file = name + ".npy", path = dir.file(file);
  if (!std::filesystem::exists(path)) throw MethodError("external valuer '{}' wrote no {}", method.name, file);
  data::NpyArray a;
  try {
    const data::NpyHeader h = data::read_npy_header(path);
    if (h.descr != "<f8" && h.descr != "<f4") {
      throw MethodError("{} has dtype '{}' (expected float64 '<f8' or float32 '<f4')", file, h.descr);
    }
    const bool shape_ok = (h.shape.size() == 2 && h.shape[0] == rows && h.shape[1] == cols) ||
                          (cols == 1 && h.shape.size() == 1 && h.shape[0] == rows);
    if (!shape_ok) throw MethodError("{} has shape {} (expected {})", file, data::npy_shape_text(h.shape), expected);
    a = data::read_npy(path);
  } catch (const InputError& e) {
    throw MethodError("external valuer '{}': {}", method.name, e.what());
  } catch (const MethodError& e) {
    throw MethodError("external valuer '{}': {}", method.name, e.what());
  }
  Eigen::MatrixXd out(rows, cols);
  for (Eigen::Index r = 0; r < rows; ++r) {
    for (Eigen::Index c = 0; c < cols; ++c) {
      const double v = a.values[static_cast<size_t>(r * cols + c)];
      if (!std::isfinite(v)) {
        throw MethodError("external valuer '{}': {} entry {} is {} (entries must be finite)", method.name, file,
                          cols == 1 ? std::to_string(r) : fmt::format("({}, {})", r, c), v);
      }
      out(r, c) = v;
    }
  }
  return out;
}

}  // namespace

CellOutput run_external_valuer(const Prepared& prepared, const ExternalMethod& method, const ParamSet& params,
                               std::uint64_t seed) {
  const ExternalCellDir dir;
  write_inputs(dir, prepared, method, params, seed);
  const auto start = std::chrono::steady_clock::now();
  run_external_method(method, dir.path());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const Eigen::Index n = prepared.data.train.rows(), n_valid = prepared.data.valid.rows();
  Valuation valuation;
  valuation.values = read_output(dir, "values", n, 1, fmt::format("({},): one value per row of train_x", n), method);
  if (prepared.lds && std::filesystem::exists(dir.file("attribution.npy"))) {
    valuation.attribution = read_output(dir, "attribution", n, n_valid,
                                        fmt::format("({}, {}): n_train x n_valid", n, n_valid), method);
  }
  CellOutput out = graded_output(prepared, method.name, valuation, 0, seconds);
  std::erase_if(out.metrics, [](const auto& m) { return m.first == "model_fits"; });  // not known
  return out;
}

}  // namespace sb::selection
