// How a selection cell runs, exposed for tests: prepare a replication (load,
// split, standardise, corrupt) with its ground truths, run a valuation
// method and grade its values.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "benchmarks/selection/selection.h"
#include "harness/core/cell_output.h"
#include "harness/core/params.h"

namespace sb::selection {

// The parameters every selection dataset shares (declared once, appended to
// each dataset's own).
struct CommonParams {
  std::int64_t n_train = 100;
  std::int64_t n_valid = 100;
  std::int64_t n_test = 100;
  std::string corruption = "label_flip";
  double rate = 0.1;
  double noise_scale = 1.0;
  double l2 = 1e-2;
  double tolerance = 1e-6;
  bool exact_loo = true;
  std::int64_t truth_k = 10;
};
std::vector<ParamSpec> common_params();
CommonParams bind_common_params(const ParamSet& params);

// One replication and its ground truths (pure functions of data + options).
struct Prepared {
  SelectionData data;
  UtilityOptions utility;
  std::optional<std::vector<double>> loo;       // exact_loo_values (when exact_loo)
  std::optional<std::vector<double>> shapley;   // by enumeration (n_train <= 16)
  std::optional<std::vector<double>> banzhaf;   // by enumeration (n_train <= 16)
  std::vector<double> knn_shapley;              // closed form for the kNN utility, K = truth_k
};

// The replication of `dataset` for `seed`: the table from the dataset's
// stream, splits by count, standardised by the clean training split, then
// the corruption applied to the training split.
SelectionData make_selection_data(const data::Table& table, const CommonParams& common, std::uint64_t seed);

std::shared_ptr<const Prepared> prepare(const std::string& dataset, const ParamSet& params, std::uint64_t seed);

// Grades `values` (one per training row) on a prepared replication.
std::vector<std::pair<std::string, double>> grade(const Prepared& prepared, const std::vector<double>& values);

// Runs `method` on a prepared replication and grades it.
CellOutput run_valuer(const Prepared& prepared, const std::string& method, const ParamSet& method_params,
                      std::uint64_t seed);

std::vector<MetricInfo> selection_metric_infos();

}  // namespace sb::selection
