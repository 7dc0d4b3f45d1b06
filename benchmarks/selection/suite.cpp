// The `selection` suite: prepares a replication (splits, corruption) and its
// exact ground truths once per (dataset params, seed), runs a data valuation
// method and grades its values (benchmarks/selection/metrics.h).
#include <algorithm>
#include <chrono>
#include <iterator>
#include <cmath>
#include <numeric>

#include "benchmarks/selection/ground_truth.h"
#include "benchmarks/selection/metrics.h"
#include "benchmarks/selection/protocol.h"
#include "benchmarks/selection/semivalue.h"
#include "datasets/corruption.h"
#include "datasets/splits.h"
#include "estimators/selection/knn_shapley.h"
#include "harness/core/errors.h"
#include "harness/core/suite.h"

namespace sb::selection {

namespace {

constexpr int kRemovalPoints = 20;  // remove 0%, 5%, ..., 95%

struct CommonDeclaration {
  ComponentInfo info;
  ParamBinding<CommonParams> binding;
};

const CommonDeclaration& common() {
  static const CommonDeclaration decl = [] {
    CommonDeclaration d;
    d.info.kind = "dataset";
    d.info.name = "selection common";
    using P = CommonParams;
    Registrar<P>(d.info, &d.binding)
        .field(&P::n_train, "n_train", 1, 10000000, "training rows (the rows valued)")
        .field(&P::n_valid, "n_valid", 1, 10000000, "validation rows (the utility's accuracy)")
        .field(&P::n_test, "n_test", 1, 10000000, "test rows (point-removal accuracy)")
        .field(&P::corruption, "corruption", {"none", "label_flip", "feature_noise", "duplicates"},
               "what is planted in the training split (docs/SELECTION.md)")
        .field(&P::rate, "rate", 0.0, 0.5, "share of training rows corrupted")
        .field(&P::noise_scale, "noise_scale", 0.0, 1e6,
               "feature_noise: noise sd in units of each column's sd")
        .field(&P::l2, "l2", 1e-8, 1e6, "utility model: L2 penalty (l2/2)||W||^2 on the mean log loss")
        .field(&P::tolerance, "tolerance", 1e-12, 1e-2, "utility model: L-BFGS gradient tolerance")
        .field(&P::exact_loo, "exact_loo", "compute the exact leave-one-out ground truth (n_train + 1 fits)")
        .field(&P::truth_k, "truth_k", 1, 100000,
               "K of the kNN utility whose exact Shapley values (closed form) are a ground truth")
        .field(&P::lds_subsets, "lds_subsets", 0, 1000000,
               "random half subsets fitted for the linear datamodeling score (0: none)");
    return d;
  }();
  return decl;
}

std::vector<double> to_std(const Eigen::VectorXd& v) { return {v.data(), v.data() + v.size()}; }

void add_agreement(std::vector<std::pair<std::string, double>>& out, const std::string& truth_name,
                   const std::vector<double>& values, const std::vector<double>& truth) {
  const double rho = spearman(values, truth), rel = relative_l2(values, truth);
  if (!std::isnan(rho)) out.emplace_back(truth_name + "_spearman", rho);
  if (!std::isnan(rel)) out.emplace_back(truth_name + "_rel_l2", rel);
}

}  // namespace

std::vector<ParamSpec> common_params() { return common().info.params; }
CommonParams bind_common_params(const ParamSet& params) { return common().binding.bind(params); }

SelectionData make_selection_data(const data::Table& table, const CommonParams& c, std::uint64_t seed) {
  SB_THROW_IF_NOT(InputError, table.is_classification(), "selection: the data set is not a classification table");
  auto splits = data::split_by_count(table, c.n_train, c.n_valid, c.n_test, derive_seed(seed, "selection/split"));
  data::standardize(splits);
  SelectionData out;
  out.num_classes = table.num_classes;
  std::mt19937_64 rng(derive_seed(seed, "selection/corruption"));
  if (c.corruption == "label_flip") out.corrupted = data::flip_labels(splits.train, c.rate, rng);
  else if (c.corruption == "feature_noise") out.corrupted = data::add_feature_noise(splits.train, c.rate, c.noise_scale, rng);
  else if (c.corruption == "duplicates") out.corrupted = data::plant_duplicates(splits.train, c.rate, rng);
  else out.corrupted.assign(static_cast<size_t>(splits.train.rows()), 0);
  out.train = std::move(splits.train);
  out.valid = std::move(splits.valid);
  out.test = std::move(splits.test);
  return out;
}

std::int64_t budget_rows(int percent, std::int64_t n) {
  return std::max<std::int64_t>(1, std::llround(percent / 100.0 * static_cast<double>(n)));
}

std::vector<double> random_selection_accuracy(const SelectionData& data, const UtilityOptions& options, int draws,
                                              std::uint64_t seed) {
  const Utility utility(data, options);
  const auto n = data.train.rows();
  std::mt19937_64 rng(seed);
  std::vector<double> out;
  for (int percent : kBudgets) {
    double total = 0;
    for (int d = 0; d < draws; ++d) total += utility.test_accuracy(data::draw_without_replacement(n, budget_rows(percent, n), rng));
    out.push_back(total / draws);
  }
  return out;
}

namespace {

// The data and utility options of a replication, without ground truths.
std::shared_ptr<Prepared> prepare_data(const std::string& dataset, const ParamSet& params, std::uint64_t seed) {
  const auto* entry = SelectionDatasetRegistry::instance().find(dataset);
  if (!entry) throw InputError("selection: unknown dataset '{}'", dataset);
  const CommonParams c = bind_common_params(params);
  auto prepared = std::make_shared<Prepared>();
  const data::Table table = entry->make(params)->load(derive_seed(seed, "selection/data"));
  prepared->data = make_selection_data(table, c, seed);
  prepared->utility.l2 = c.l2;
  prepared->utility.tolerance = c.tolerance;
  return prepared;
}

// The ground truths of `prepared` (its data), in place.
void compute_truths(Prepared* prepared, const CommonParams& c, std::uint64_t seed) {
  if (c.exact_loo) prepared->loo = exact_loo_values(prepared->data, prepared->utility);
  const SelectionData& d = prepared->data;
  const Eigen::VectorXd knn = knn_shapley_values(d.train.x, d.train.y, d.valid.x, d.valid.y, static_cast<int>(c.truth_k));
  prepared->knn_shapley.assign(knn.data(), knn.data() + knn.size());
  prepared->random_selection = random_selection_accuracy(d, prepared->utility, kRandomSelections,
                                                         derive_seed(seed, "selection/random-budget"));
  if (c.lds_subsets > 0) {
    prepared->lds = lds_truth(d, prepared->utility, static_cast<int>(c.lds_subsets), derive_seed(seed, "selection/lds"));
  }
  const auto n = prepared->data.train.rows();
  if (n <= kMaxEnumerationRows) {
    const auto u = subset_utilities(prepared->data, prepared->utility);
    prepared->shapley = semivalues_from_utilities(u, static_cast<int>(n), shapley_weights(static_cast<int>(n)));
    prepared->banzhaf = semivalues_from_utilities(u, static_cast<int>(n), banzhaf_weights(static_cast<int>(n)));
  }
}

}  // namespace

std::shared_ptr<const Prepared> prepare_data_only(const std::string& dataset, const ParamSet& params,
                                                  std::uint64_t seed) {
  return prepare_data(dataset, params, seed);
}

namespace {

const std::vector<double>* find_artifact(const CellOutput& output, const std::string& name) {
  for (const auto& a : output.artifacts)
    if (a.name == name) return &a.values;
  return nullptr;
}

// Row-major flattening (artifacts are flat vectors).
std::vector<double> flatten(const Eigen::MatrixXd& m) {
  std::vector<double> out;
  out.reserve(static_cast<size_t>(m.size()));
  for (Eigen::Index r = 0; r < m.rows(); ++r)
    for (Eigen::Index c = 0; c < m.cols(); ++c) out.push_back(m(r, c));
  return out;
}

Eigen::MatrixXd unflatten(const std::vector<double>& v, Eigen::Index cols) {
  SB_THROW_IF_NOT(InternalError, cols > 0 && v.size() % static_cast<size_t>(cols) == 0,
                  "selection: an artifact of {} values is not a matrix of {} columns", v.size(), cols);
  const auto rows = static_cast<Eigen::Index>(v.size()) / cols;
  Eigen::MatrixXd out(rows, cols);
  for (Eigen::Index r = 0; r < rows; ++r)
    for (Eigen::Index c = 0; c < cols; ++c) out(r, c) = v[static_cast<size_t>(r * cols + c)];
  return out;
}

}  // namespace

CellOutput compute_ground_truth(const std::string& dataset, const ParamSet& params, std::uint64_t seed) {
  const auto prepared = prepare_data(dataset, params, seed);
  compute_truths(prepared.get(), bind_common_params(params), seed);
  CellOutput out;
  if (prepared->loo) out.artifacts.push_back({"loo", *prepared->loo});
  if (prepared->shapley) out.artifacts.push_back({"shapley", *prepared->shapley});
  if (prepared->banzhaf) out.artifacts.push_back({"banzhaf", *prepared->banzhaf});
  out.artifacts.push_back({"knn_shapley", prepared->knn_shapley});
  out.artifacts.push_back({"random_selection", prepared->random_selection});
  if (prepared->lds) {
    out.artifacts.push_back({"lds_masks", flatten(prepared->lds->masks)});
    out.artifacts.push_back({"lds_outputs", flatten(prepared->lds->outputs)});
  }
  return out;
}

std::shared_ptr<const Prepared> prepare(const std::string& dataset, const ParamSet& params, std::uint64_t seed,
                                        const CellOutput* truth) {
  auto prepared = prepare_data(dataset, params, seed);
  if (!truth) {
    compute_truths(prepared.get(), bind_common_params(params), seed);
    return prepared;
  }
  if (const auto* v = find_artifact(*truth, "loo")) prepared->loo = *v;
  if (const auto* v = find_artifact(*truth, "shapley")) prepared->shapley = *v;
  if (const auto* v = find_artifact(*truth, "banzhaf")) prepared->banzhaf = *v;
  const auto* knn = find_artifact(*truth, "knn_shapley");
  const auto* random = find_artifact(*truth, "random_selection");
  SB_THROW_IF_NOT(InternalError, knn && random, "selection: the ground-truth reference lacks knn_shapley or "
                                                "random_selection");
  prepared->knn_shapley = *knn;
  prepared->random_selection = *random;
  const auto* lds_masks = find_artifact(*truth, "lds_masks");
  const auto* lds_outputs = find_artifact(*truth, "lds_outputs");
  if (lds_masks && lds_outputs) {
    prepared->lds = LdsTruth{unflatten(*lds_masks, prepared->data.train.rows()),
                             unflatten(*lds_outputs, prepared->data.valid.rows())};
  }
  return prepared;
}

std::vector<std::pair<std::string, double>> grade(const Prepared& prepared, const std::vector<double>& values,
                                                  const Eigen::MatrixXd* attribution) {
  const SelectionData& data = prepared.data;
  const auto n = data.train.rows();
  SB_THROW_IF_NOT(InternalError, static_cast<Eigen::Index>(values.size()) == n, "grade: {} values for {} rows",
                  values.size(), n);
  std::vector<std::pair<std::string, double>> out;
  const auto corrupted = static_cast<Eigen::Index>(std::count(data.corrupted.begin(), data.corrupted.end(), 1));
  if (corrupted > 0 && corrupted < n) {
    out.emplace_back("noisy_f1", noisy_f1_kmeans(values, data.corrupted));
    out.emplace_back("precision_at_rate", precision_at_rate(values, data.corrupted));
    out.emplace_back("noisy_auroc", auroc_low_values(values, data.corrupted));
  }
  const Utility utility(data, prepared.utility);
  std::vector<double> curves[2];  // lowest first, highest first
  for (int direction = 0; direction < 2; ++direction) {
    const auto order = value_order(values, direction == 0);
    for (int b = 0; b < kRemovalPoints; ++b) {
      const auto removed = static_cast<size_t>(std::llround(0.05 * b * static_cast<double>(n)));
      curves[direction].push_back(utility.test_accuracy({order.begin() + static_cast<std::ptrdiff_t>(removed), order.end()}));
    }
  }
  out.emplace_back("remove_low_auc", curve_area(curves[0]));
  out.emplace_back("remove_high_auc", curve_area(curves[1]));
  out.emplace_back("wad", weighted_accuracy_drop(curves[1]));
  const auto highest_first = value_order(values, false);
  for (size_t b = 0; b < std::size(kBudgets); ++b) {
    const auto keep = static_cast<std::ptrdiff_t>(budget_rows(kBudgets[b], n));
    const double accuracy = utility.test_accuracy({highest_first.begin(), highest_first.begin() + keep});
    out.emplace_back(fmt::format("select_{}", kBudgets[b]), accuracy - prepared.random_selection[b]);
  }
  if (prepared.loo) add_agreement(out, "loo", values, *prepared.loo);
  if (prepared.shapley) add_agreement(out, "shapley", values, *prepared.shapley);
  if (prepared.banzhaf) add_agreement(out, "banzhaf", values, *prepared.banzhaf);
  add_agreement(out, "knn_shapley", values, prepared.knn_shapley);
  if (prepared.lds && attribution && attribution->size() > 0) {
    const double lds = linear_datamodeling_score(prepared.lds->masks, prepared.lds->outputs, *attribution);
    if (!std::isnan(lds)) out.emplace_back("lds", lds);
  }
  return out;
}

CellOutput run_valuer(const Prepared& prepared, const std::string& method, const ParamSet& method_params,
                      std::uint64_t seed) {
  const auto* entry = ValuerRegistry::instance().find(method);
  if (!entry) throw InputError("selection: unknown method '{}'", method);
  const Utility utility(prepared.data, prepared.utility);
  ValuationContext ctx;
  ctx.data = &prepared.data;
  ctx.utility = &utility;
  ctx.seed = derive_seed(seed, "selection/method");
  ctx.want_attribution = prepared.lds.has_value();
  const auto start = std::chrono::steady_clock::now();
  const Valuation valuation = entry->make(method_params)->valuate(ctx);
  return graded_output(prepared, method, valuation, utility.fits(),
                       std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
}

CellOutput graded_output(const Prepared& prepared, const std::string& method, const Valuation& valuation,
                         std::int64_t fits, double method_seconds) {
  const Eigen::VectorXd& values = valuation.values;
  CellOutput out;
  out.method_seconds = method_seconds;
  if (values.size() != prepared.data.train.rows()) {
    throw MethodError("method '{}' returned {} values for {} training rows", method, values.size(),
                      prepared.data.train.rows());
  }
  for (Eigen::Index i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values(i))) throw MethodError("method '{}' returned {} for row {}", method, values(i), i);
  }
  const Eigen::MatrixXd* attribution = nullptr;
  if (prepared.lds.has_value() && valuation.attribution.size() > 0) {
    const auto& a = valuation.attribution;
    if (a.rows() != prepared.data.train.rows() || a.cols() != prepared.data.valid.rows() || !a.allFinite()) {
      throw MethodError("method '{}' returned a {} x {} attribution with non-finite entries or not n_train x n_valid",
                        method, a.rows(), a.cols());
    }
    attribution = &a;
  }
  const auto v = to_std(values);
  out.metrics = grade(prepared, v, attribution);
  out.metrics.emplace_back("model_fits", static_cast<double>(fits));
  out.artifacts.push_back({"values", v});
  out.artifacts.push_back({"corrupted", {prepared.data.corrupted.begin(), prepared.data.corrupted.end()}});
  if (attribution) out.artifacts.push_back({"attribution", flatten(*attribution)});
  return out;
}

std::vector<MetricInfo> selection_metric_infos() {
  return {
      {"noisy_f1", true, "F1 of the low cluster of 1-D 2-means on the values vs the corrupted rows"},
      {"precision_at_rate", true, "share of corrupted rows among the (number corrupted) lowest values"},
      {"noisy_auroc", true, "AUROC of -value as a detector of corrupted rows"},
      {"remove_low_auc", true, "mean test accuracy after removing 0%..95% of rows, lowest value first"},
      {"remove_high_auc", false, "mean test accuracy after removing 0%..95% of rows, highest value first"},
      {"wad", true, "weighted accuracy drop of the highest-first removal curve (pyDVL)"},
      {"select_10", true, "test accuracy of the model fitted on the top 10% by value minus random 10% selection's"},
      {"select_20", true, "the same at 20%"},
      {"select_50", true, "the same at 50%"},
      {"loo_spearman", true, "Spearman correlation with exact leave-one-out values"},
      {"loo_rel_l2", false, "relative L2 error against exact leave-one-out values"},
      {"shapley_spearman", true, "Spearman correlation with exact Shapley values (enumeration)"},
      {"shapley_rel_l2", false, "relative L2 error against exact Shapley values (enumeration)"},
      {"banzhaf_spearman", true, "Spearman correlation with exact Banzhaf values (enumeration)"},
      {"banzhaf_rel_l2", false, "relative L2 error against exact Banzhaf values (enumeration)"},
      {"knn_shapley_spearman", true, "Spearman correlation with exact KNN-Shapley values (K = truth_k)"},
      {"knn_shapley_rel_l2", false, "relative L2 error against exact KNN-Shapley values (K = truth_k)"},
      {"lds", true, "linear datamodeling score of the method's attribution (lds_subsets random half subsets)"},
      {"model_fits", false, "utility evaluations (model fits) the method made"},
  };
}

namespace {

class SelectionSuite : public Suite {
 public:
  std::vector<ComponentInfo> datasets() const override {
    auto infos = SelectionDatasetRegistry::instance().infos();
    for (auto& info : infos) {
      for (auto& spec : common_params()) info.params.push_back(std::move(spec));
    }
    return infos;
  }
  std::vector<ComponentInfo> methods() const override { return ValuerRegistry::instance().infos(); }
  std::vector<MetricInfo> metrics() const override { return selection_metric_infos(); }

  void validate_dataset(const std::string& dataset, const ParamSet& params) const override {
    const auto* entry = SelectionDatasetRegistry::instance().find(dataset);
    if (!entry) return;
    const CommonParams c = bind_common_params(params);
    entry->make(params)->validate(c.n_train + c.n_valid + c.n_test, c.n_train);
  }

  CellOutput run(const CellSpec& cell, CellCache& cache) const override {
    const auto key = fmt::format("selection|{}|seed={}", component_label(cell.dataset, cell.dataset_params), cell.seed);
    const auto prepared = cache.get_or_make<Prepared>(key, [&] {
      return prepare(cell.dataset, cell.dataset_params, cell.seed, &cache.reference(kGroundTruthReference));
    });
    if (split_of(cell)) return reduce_valuer_parts(*prepared, cell.method, cell.method_params, cache.parts());
    return run_valuer(*prepared, cell.method, cell.method_params, cell.seed);
  }

  // A method with a fixed budget of independent units (Valuer::split, e.g.
  // TMC with convergence = 0) splits into parts of units; a part needs the
  // replication's data only, not its ground truths.
  std::optional<CellSplit> split_of(const CellSpec& cell) const override {
    const auto split = valuer_split(cell.method, cell.method_params);
    if (!split) return std::nullopt;
    return CellSplit{split->units, split->units_per_part};
  }
  CellOutput run_part(const CellSpec& cell, std::uint64_t begin, std::uint64_t end, CellCache& cache) const override {
    const auto key = fmt::format("selection-data|{}|seed={}", component_label(cell.dataset, cell.dataset_params),
                                 cell.seed);
    const auto prepared = cache.get_or_make<Prepared>(
        key, [&] { return prepare_data_only(cell.dataset, cell.dataset_params, cell.seed); });
    return run_valuer_part(*prepared, cell.method, cell.method_params, cell.seed, begin, end);
  }

  // The ground truths (exact LOO: n + 1 fits; enumeration: 2^n fits) are
  // computed once per (dataset params, seed) across the run, on some rank.
  std::vector<ComponentInfo> references() const override {
    ComponentInfo info;
    info.suite = "selection";
    info.kind = "reference";
    info.name = kGroundTruthReference;
    info.description = "exact LOO (exact_loo), KNN-Shapley (truth_k), enumerated Shapley/Banzhaf (n_train <= 16) "
                       "and random selection's accuracies of a replication";
    return {info};
  }

  std::vector<ReferenceRequest> references_of(const CellSpec& cell) const override {
    return {ReferenceRequest{kGroundTruthReference, {}}};  // of the cell's dataset
  }

  CellOutput compute_reference(const ReferenceSpec& reference, CellCache&) const override {
    SB_THROW_IF_NOT(InternalError, reference.name == kGroundTruthReference, "selection: unknown reference '{}'",
                    reference.name);
    return compute_ground_truth(reference.dataset, reference.dataset_params, reference.seed);
  }
};

}  // namespace

SB_REGISTER_SUITE(SelectionSuite, "selection")
    .describe("Data valuation: methods value each training row; graded by noisy-point detection, "
              "point removal and agreement with exact leave-one-out / Shapley / Banzhaf values");

}  // namespace sb::selection
