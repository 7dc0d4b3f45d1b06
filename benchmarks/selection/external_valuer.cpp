// External valuers: the selection suite's side of the file protocol of
// harness/core/external.h (documented in docs/EXTERNAL.md, "selection").
// Inputs: what a built-in valuer's ValuationContext holds that a method may
// use: the training and validation splits, the utility's model options and
// the method's seed (never the test split, the corrupted rows or the target
// domain: they grade). Output: values.npy, one finite value per training
// row; with the LDS truth, optionally attribution.npy (n_train x n_valid).
#include <chrono>
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
  const std::string who = fmt::format("external valuer '{}'", method.name);
  valuation.values = data::read_method_output(dir.file("values.npy"), who, {{n}, "one value per row of train_x"});
  if (prepared.lds && std::filesystem::exists(dir.file("attribution.npy"))) {
    valuation.attribution =
        data::read_method_output(dir.file("attribution.npy"), who, {{n, n_valid}, "n_train x n_valid"});
  }
  CellOutput out = graded_output(prepared, method.name, valuation, 0, seconds);
  std::erase_if(out.metrics, [](const auto& m) { return m.first == "model_fits"; });  // not known
  return out;
}

}  // namespace sb::selection
