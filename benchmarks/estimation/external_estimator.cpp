// External estimators: the estimation suite's side of the file protocol of
// harness/core/external.h (documented in docs/ESTIMATION.md, "External
// estimators"). Inputs: the replication's arrays (never its truth); output:
// estimate.json with the estimate (and optionally its standard error and
// 95% CI, or the intervals of the `interval` task).
#include <cmath>

#include "benchmarks/estimation/estimation.h"
#include "benchmarks/estimation/external.h"
#include "datasets/npy.h"
#include "harness/core/errors.h"
#include "harness/core/json.h"

namespace sb::estimation {

namespace {

void write_inputs(const ExternalCellDir& dir, const Data& data, const ExternalMethod& method, const ParamSet& params,
                  std::uint64_t seed, std::uint64_t method_seed) {
  std::vector<ExternalArray> arrays;
  auto matrix = [&](const char* name, const Eigen::MatrixXd& m) {
    if (m.size() == 0) return;
    data::write_npy(dir.file(std::string(name) + ".npy"), m);
    arrays.push_back({name, {m.rows(), m.cols()}, "float64"});
  };
  auto vector = [&](const char* name, const Eigen::VectorXd& v) {
    if (v.size() == 0) return;
    data::write_npy_vector(dir.file(std::string(name) + ".npy"), v);
    arrays.push_back({name, {v.size()}, "float64"});
  };
  matrix("x", data.x);
  matrix("x_propensity", data.x_propensity);
  vector("y", data.y);
  vector("treatment", data.treatment);
  vector("instrument", data.instrument);
  vector("propensity", data.propensity);
  vector("corruption_rate", data.corruption_rate);
  if (data.source.size() > 0) {
    data::write_npy_int64(dir.file("source.npy"), {data.source.data(), data.source.data() + data.source.size()});
    arrays.push_back({"source", {data.source.size()}, "int64"});
  }
  matrix("x_test", data.x_test);
  vector("y_test", data.y_test);
  const std::string json =
      external_cell_json("estimation", method.name, params, seed, arrays,
                         {{"method_seed", std::to_string(method_seed)},
                          {"task", json_quote(data.task)},
                          {"level", json_number(data.level)},
                          {"estimate_size", std::to_string(data.truth.size())}});
  dir.write_text("cell.json", json);
}

// `key` of estimate.json: `size` finite values (required), or nullopt when
// absent and optional.
Eigen::VectorXd finite_values(const ExternalJson& json, const std::string& key, Eigen::Index size,
                              const std::string& method) {
  const auto it = json.find(key);
  if (it == json.end()) {
    throw MethodError("external estimator '{}': estimate.json has no '{}' ({} numbers expected)", method, key, size);
  }
  if (static_cast<Eigen::Index>(it->second.size()) != size) {
    throw MethodError("external estimator '{}': estimate.json '{}' has {} values, expected {}", method, key,
                      it->second.size(), size);
  }
  Eigen::VectorXd out(size);
  for (Eigen::Index i = 0; i < size; ++i) {
    const double v = it->second[static_cast<size_t>(i)];
    if (!std::isfinite(v)) {
      throw MethodError("external estimator '{}': estimate.json '{}'[{}] is not a finite number", method, key, i);
    }
    out(i) = v;
  }
  return out;
}

// An optional scalar: NaN when absent or null.
double optional_scalar(const ExternalJson& json, const std::string& key, const std::string& method) {
  const auto it = json.find(key);
  if (it == json.end()) return std::nan("");
  if (it->second.size() != 1) {
    throw MethodError("external estimator '{}': estimate.json '{}' must be one number or null", method, key);
  }
  return it->second[0];
}

}  // namespace

Estimate estimate_externally(const Data& data, const ExternalMethod& method, const ParamSet& params,
                             std::uint64_t seed, std::uint64_t method_seed) {
  const ExternalCellDir dir;
  write_inputs(dir, data, method, params, seed, method_seed);
  run_external_method(method, dir.path());
  const ExternalJson json = read_external_json(dir.file("estimate.json"), method.name);
  Estimate est;
  if (data.task == "interval") {
    est.lower = finite_values(json, "lower", data.x_test.rows(), method.name);
    est.upper = finite_values(json, "upper", data.x_test.rows(), method.name);
    return est;
  }
  est.value = finite_values(json, "value", data.truth.size(), method.name);
  est.std_error = optional_scalar(json, "std_error", method.name);
  if (est.std_error < 0) {
    throw MethodError("external estimator '{}': estimate.json 'std_error' = {} is negative", method.name,
                      est.std_error);
  }
  est.ci_low = optional_scalar(json, "ci_low", method.name);
  est.ci_high = optional_scalar(json, "ci_high", method.name);
  return est;
}

}  // namespace sb::estimation
