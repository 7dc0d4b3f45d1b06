// How a selection cell runs, exposed for tests: prepare a replication (load,
// split, standardise, corrupt) with its ground truths, run a valuation
// method and grade its values.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "benchmarks/selection/ground_truth.h"
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
  bool flip_valid = false;           // label_flip: flip the validation labels too
  std::string held_out_classes;      // "c1,c2,...": out-of-domain classes (out_of_domain)
  std::string target_classes;        // "c1,c2,...": the target domain (targeted selection)
  double target_share = 0.5;         // share of training rows from the target domain
  std::int64_t lds_subsets = 0;  // 0: no linear datamodeling score
};

// A class list parameter ("", "3" or "1,4,7"): distinct non-negative
// integers; throws InputError naming the parameter.
std::vector<int> parse_class_list(const std::string& text, const std::string& parameter);
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
  // Test accuracy of random selection at each of kBudgets (mean over
  // kRandomSelections seeded draws; random_selection_accuracy).
  std::vector<double> random_selection;
  // Targeted cells: KL(target || random selection) in the hashed feature
  // space at each of kBudgets (mean over kRandomSelections draws); empty otherwise.
  std::vector<double> random_kl;
  std::optional<LdsTruth> lds;  // lds_truth (when lds_subsets > 0)
};

// Budgeted selection: keep the top 10%, 20%, 50% of the rows by value.
constexpr int kBudgets[] = {10, 20, 50};
constexpr int kRandomSelections = 5;

// Rows kept at budget `percent`: max(1, round(percent / 100 * n)).
std::int64_t budget_rows(int percent, std::int64_t n);

// Mean test accuracy of the model fitted on `draws` uniformly random subsets
// of budget_rows(percent, n) rows (seeded by `seed`), for each budget.
std::vector<double> random_selection_accuracy(const SelectionData& data, const UtilityOptions& options, int draws,
                                              std::uint64_t seed);

// The replication of `dataset` for `seed`: the table from the dataset's
// stream, splits by count, standardised by the clean training split, then
// the corruption applied to the training split.
SelectionData make_selection_data(const data::Table& table, const CommonParams& common, std::uint64_t seed);

// `truth`: the output of the `ground-truth` reference of (dataset, params,
// seed) (exact LOO, KNN-Shapley, enumerated Shapley/Banzhaf, random
// selection's accuracies), computed here when null.
std::shared_ptr<const Prepared> prepare(const std::string& dataset, const ParamSet& params, std::uint64_t seed,
                                        const CellOutput* truth = nullptr);

// The `ground-truth` reference: the expensive parts of a Prepared (every
// vector but the data), computed once per (dataset, params, seed) across a
// run and shipped to the cells. Its parameters: the dataset's, plus
// "dataset" (the name).
inline constexpr const char* kGroundTruthReference = "ground-truth";
CellOutput compute_ground_truth(const std::string& dataset, const ParamSet& params, std::uint64_t seed);

// Grades `values` (one per training row) on a prepared replication, and an
// attribution (n_train x n_valid; null or empty: none) by the linear
// datamodeling score when the replication has its truth.
std::vector<std::pair<std::string, double>> grade(const Prepared& prepared, const std::vector<double>& values,
                                                  const Eigen::MatrixXd* attribution = nullptr);

// Runs `method` on a prepared replication and grades it.
CellOutput run_valuer(const Prepared& prepared, const std::string& method, const ParamSet& method_params,
                      std::uint64_t seed);

// Split cells (benchmarks/selection/split.cpp): the split a method's
// parameters declare (Valuer::split), one part (artifact "unit_sum", metric
// "model_fits") and the cell from its parts, reduced in part order: values =
// the parts' sums added in order / units, graded as run_valuer grades.
std::optional<Valuer::Split> valuer_split(const std::string& method, const ParamSet& method_params);
CellOutput run_valuer_part(const Prepared& prepared, const std::string& method, const ParamSet& method_params,
                           std::uint64_t seed, std::uint64_t begin, std::uint64_t end);
CellOutput reduce_valuer_parts(const Prepared& prepared, const std::string& method, const ParamSet& method_params,
                               const std::vector<const CellOutput*>& parts);
// What run_valuer does after the method: checks and grades the values (and
// the attribution, when the replication has the LDS ground truth).
CellOutput graded_output(const Prepared& prepared, const std::string& method, const Valuation& valuation,
                         std::int64_t fits, double method_seconds);
// The replication's data and utility options without ground truths (a
// part's input).
std::shared_ptr<const Prepared> prepare_data_only(const std::string& dataset, const ParamSet& params,
                                                  std::uint64_t seed);

std::vector<MetricInfo> selection_metric_infos();

// Targeted cells (data.in_target set): target_auroc, target_accuracy_k
// (= selected_accuracy, the test accuracy of the top k% per kBudgets) and
// kl_reduction_k (prepared.random_kl minus the top k%'s KL), appended to out.
void add_targeted_metrics(const Prepared& prepared, const std::vector<double>& values,
                          const std::vector<double>& selected_accuracy,
                          std::vector<std::pair<std::string, double>>& out);

// Planning checks of the domain parameters (class lists, out_of_domain's
// pool, flip_valid's corruption); throws InputError.
void validate_domains(const CommonParams& common, const SelectionDataset& dataset);
// Planning checks of a regression table's parameters (no classes: no
// label_flip, out_of_domain, class lists or LDS) and of target_noise on a
// classification table; throws InputError naming the dataset.
void validate_task(const CommonParams& common, const std::string& dataset, bool regression);

}  // namespace sb::selection
