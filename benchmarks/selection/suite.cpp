// The `selection` suite: prepares a replication (splits, corruption) and its
// exact ground truths once per (dataset params, seed), runs a data valuation
// method and grades its values (benchmarks/selection/metrics.h).
#include <algorithm>
#include <chrono>
#include <iterator>
#include <cmath>
#include <numeric>

#include "benchmarks/selection/external.h"
#include "benchmarks/selection/ground_truth.h"
#include "benchmarks/selection/metrics.h"
#include "benchmarks/selection/protocol.h"
#include "benchmarks/selection/semivalue.h"
#include "benchmarks/selection/targeted.h"
#include "datasets/corruption.h"
#include "datasets/domains.h"
#include "datasets/splits.h"
#include "estimators/selection/knn_shapley.h"
#include "harness/core/errors.h"
#include "harness/core/suite.h"

namespace sb::selection {

namespace {

constexpr int kRemovalPoints = 20;  // remove 0%, 5%, ..., 95%

const SharedParams<CommonParams>& common() {
  static const SharedParams<CommonParams> declared("selection common", [](Registrar<CommonParams>& r) {
    using P = CommonParams;
    r.field(&P::n_train, "n_train", 1, 10000000, "training rows (the rows valued)")
        .field(&P::n_valid, "n_valid", 1, 10000000, "validation rows (the utility's accuracy)")
        .field(&P::n_test, "n_test", 1, 10000000, "test rows (point-removal accuracy)")
        .field(&P::corruption, "corruption",
               {"none", "label_flip", "feature_noise", "duplicates", "out_of_domain", "target_noise"},
               "what is planted in the training split (docs/SELECTION.md); target_noise: regression tables")
        .field(&P::rate, "rate", 0.0, 0.5, "share of training rows corrupted")
        .field(&P::noise_scale, "noise_scale", 0.0, 1e6,
               "feature_noise, target_noise: noise sd in units of each column's (the target's) sd")
        .field(&P::l2, "l2", 1e-8, 1e6, "utility model: L2 penalty (l2/2)||W||^2 on the mean log loss")
        .field(&P::tolerance, "tolerance", 1e-12, 1e-2, "utility model: L-BFGS gradient tolerance")
        .field(&P::exact_loo, "exact_loo", "compute the exact leave-one-out ground truth (n_train + 1 fits)")
        .field(&P::truth_k, "truth_k", 1, 100000,
               "K of the kNN utility whose exact Shapley values (closed form) are a ground truth")
        .field(&P::flip_valid, "flip_valid", "label_flip: flip the validation labels too, at the same rate")
        .field(&P::held_out_classes, "held_out_classes", {},
               "classes held out of the data, e.g. \"8,9\": the pool of corruption = out_of_domain")
        .field(&P::target_classes, "target_classes", {},
               "targeted selection, e.g. \"0,2\": validation and test rows from these classes only, the "
               "training split a mixture (target_share) of them and the other classes")
        .field(&P::target_share, "target_share", 0.0, 1.0, "targeted selection: share of training rows from the target")
        .field(&P::lds_subsets, "lds_subsets", 0, 1000000,
               "random half subsets fitted for the linear datamodeling score (0: none)");
  });
  return declared;
}

std::vector<double> to_std(const Eigen::VectorXd& v) { return {v.data(), v.data() + v.size()}; }

void add_agreement(std::vector<std::pair<std::string, double>>& out, const std::string& truth_name,
                   const std::vector<double>& values, const std::vector<double>& truth) {
  const double rho = spearman(values, truth), rel = relative_l2(values, truth);
  if (!std::isnan(rho)) out.emplace_back(truth_name + "_spearman", rho);
  if (!std::isnan(rel)) out.emplace_back(truth_name + "_rel_l2", rel);
}

}  // namespace

void add_targeted_metrics(const Prepared& prepared, const std::vector<double>& values,
                          const std::vector<double>& selected_accuracy,
                          std::vector<std::pair<std::string, double>>& out) {
  const SelectionData& data = prepared.data;
  const auto target_rows = std::count(data.in_target.begin(), data.in_target.end(), 1);
  if (target_rows > 0 && target_rows < data.train.rows()) {
    std::vector<char> source(data.in_target.size());
    for (size_t i = 0; i < source.size(); ++i) source[i] = !data.in_target[i];
    out.emplace_back("target_auroc", auroc_low_values(values, source));  // low values mark the source rows
  }
  const TargetSpace space = target_space(data, target_metric_features());
  const auto highest_first = value_order(values, false);
  for (size_t b = 0; b < std::size(kBudgets); ++b) {
    out.emplace_back(fmt::format("target_accuracy_{}", kBudgets[b]), selected_accuracy[b]);
    const auto keep = static_cast<std::ptrdiff_t>(budget_rows(kBudgets[b], data.train.rows()));
    const double kl = kl_toward_target(space, {highest_first.begin(), highest_first.begin() + keep});
    out.emplace_back(fmt::format("kl_reduction_{}", kBudgets[b]), prepared.random_kl[b] - kl);
  }
}

// Messages without the dataset's name: the planner's names it and its line.
void validate_task(const CommonParams& c, bool regression) {
  if (!regression) {
    SB_THROW_IF_NOT(InputError, c.corruption != "target_noise",
                    "corruption = \"target_noise\" is for regression tables, and this is a classification table (use "
                    "label_flip)");
    return;
  }
  const bool ok = c.corruption == "none" || c.corruption == "target_noise" || c.corruption == "feature_noise" ||
                  c.corruption == "duplicates";
  SB_THROW_IF_NOT(InputError, ok,
                  "corruption = \"{}\" needs classes, and this is a regression table (use target_noise, "
                  "feature_noise, duplicates or none)",
                  c.corruption);
  SB_THROW_IF_NOT(InputError, c.held_out_classes.empty() && c.target_classes.empty(),
                  "held_out_classes and target_classes need classes, and this is a regression table");
  SB_THROW_IF_NOT(InputError, c.lds_subsets == 0,
                  "lds_subsets grades classification margins, and this is a regression table (set 0)");
}

void validate_domains(const CommonParams& c, const SelectionDataset& dataset) {
  const auto held_out = parse_class_list(c.held_out_classes, "held_out_classes");
  const auto target = parse_class_list(c.target_classes, "target_classes");
  SB_THROW_IF_NOT(InputError, c.corruption != "out_of_domain" || !held_out.empty(),
                  "corruption = \"out_of_domain\" draws its rows from held-out classes: set held_out_classes "
                  "(e.g. \"8,9\" for fashion-mnist)");
  SB_THROW_IF_NOT(InputError, !c.flip_valid || c.corruption == "label_flip",
                  "flip_valid = true needs corruption = \"label_flip\" (it is \"{}\")", c.corruption);
  if (held_out.empty() && target.empty()) return;
  // The class indices against the table's classes (any seed: the class
  // count does not depend on it); row counts per domain are checked per cell.
  const int classes = dataset.load(0).num_classes;
  for (int k : held_out)
    SB_THROW_IF_NOT(InputError, k < classes, "held_out_classes: class {} is not in 0..{}", k, classes - 1);
  SB_THROW_IF_NOT(InputError, classes - static_cast<int>(held_out.size()) >= 2,
                  "held_out_classes: holding out {} of {} classes leaves fewer than 2", held_out.size(), classes);
  for (int k : target) {
    SB_THROW_IF_NOT(InputError, k < classes, "target_classes: class {} is not in 0..{}", k, classes - 1);
    SB_THROW_IF_NOT(InputError, std::find(held_out.begin(), held_out.end(), k) == held_out.end(),
                    "target_classes: class {} is also held out", k);
  }
  SB_THROW_IF_NOT(InputError, target.empty() || c.target_share == 1.0 ||
                      static_cast<int>(target.size() + held_out.size()) < classes,
                  "target_classes: every in-domain class is a target class, so the source pool is empty "
                  "(target_share = {} < 1)", c.target_share);
}

std::vector<ParamSpec> common_params() { return common().specs(); }
CommonParams bind_common_params(const ParamSet& params) { return common().bind(params); }

std::vector<int> parse_class_list(const std::string& text, const std::string& parameter) {
  std::vector<int> out;
  SB_THROW_IF_NOT(InputError, text.empty() || text.back() != ',', "{} = \"{}\": ends with a comma", parameter, text);
  size_t at = 0;
  while (at < text.size()) {
    const size_t comma = std::min(text.find(',', at), text.size());
    const std::string item = text.substr(at, comma - at);
    size_t used = 0;
    int value = -1;
    try {
      value = std::stoi(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    SB_THROW_IF_NOT(InputError, used == item.size() && !item.empty() && value >= 0,
                    "{} = \"{}\": \"{}\" is not a class index (write e.g. \"0,3\")", parameter, text, item);
    SB_THROW_IF_NOT(InputError, std::find(out.begin(), out.end(), value) == out.end(),
                    "{} = \"{}\": class {} twice", parameter, text, value);
    out.push_back(value);
    at = comma + 1;
  }
  return out;
}

namespace {

// The rows of the training split that `corruption` changes (1) or not (0),
// after changing them, for either task (planning has checked that the kind
// fits the table: label_flip and out_of_domain need classes, target_noise a
// regression target).
std::vector<char> corrupt_training_split(const CommonParams& c, data::Table& train, const data::Table& out_of_domain,
                                         std::mt19937_64& rng) {
  if (c.corruption == "label_flip") return data::flip_labels(train, c.rate, rng);
  if (c.corruption == "target_noise") return data::add_target_noise(train, c.rate, c.noise_scale, rng);
  if (c.corruption == "feature_noise") return data::add_feature_noise(train, c.rate, c.noise_scale, rng);
  if (c.corruption == "duplicates") return data::plant_duplicates(train, c.rate, rng);
  if (c.corruption == "out_of_domain") return data::replace_with_out_of_domain(train, out_of_domain, c.rate, rng);
  return std::vector<char>(static_cast<size_t>(train.rows()), 0);
}

// A regression replication: splits by count, features and targets
// standardised by the clean training split (so l2 and R^2 read alike on
// every table), then the corruption.
SelectionData make_regression_data(const data::Table& table, const CommonParams& c, std::uint64_t seed) {
  data::Splits splits = data::split_by_count(table, c.n_train, c.n_valid, c.n_test, derive_seed(seed, "selection/split"));
  data::standardize(splits);
  data::standardize_targets(splits);
  SelectionData out;
  std::mt19937_64 rng(derive_seed(seed, "selection/corruption"));
  out.corrupted = corrupt_training_split(c, splits.train, data::Table{}, rng);
  out.valid_corrupted.assign(static_cast<size_t>(splits.valid.rows()), 0);
  out.train = std::move(splits.train);
  out.valid = std::move(splits.valid);
  out.test = std::move(splits.test);
  return out;
}

}  // namespace

SelectionData make_selection_data(const data::Table& table, const CommonParams& c, std::uint64_t seed) {
  if (!table.is_classification()) return make_regression_data(table, c, seed);
  SelectionData out;
  // Held-out classes leave the in-domain table (relabelled 0..C'-1) and form
  // the out-of-domain pool; the target classes are named by original label.
  const auto held_out = parse_class_list(c.held_out_classes, "held_out_classes");
  data::ClassPartition partition;
  if (!held_out.empty()) {
    partition = data::hold_out_classes(table, held_out);
  } else {
    partition.new_label.resize(static_cast<size_t>(table.num_classes));
    std::iota(partition.new_label.begin(), partition.new_label.end(), 0);
  }
  const data::Table& domain = held_out.empty() ? table : partition.in_domain;
  const auto target = parse_class_list(c.target_classes, "target_classes");
  data::Splits splits;
  if (target.empty()) {
    splits = data::split_by_count(domain, c.n_train, c.n_valid, c.n_test, derive_seed(seed, "selection/split"));
  } else {
    std::vector<char> in_target_class(static_cast<size_t>(table.num_classes), 0);
    for (int t : target) {
      SB_THROW_IF_NOT(InputError, t < table.num_classes, "target_classes: class {} is not in 0..{}", t,
                      table.num_classes - 1);
      const int label = partition.new_label[static_cast<size_t>(t)];
      SB_THROW_IF_NOT(InputError, label >= 0, "target_classes: class {} is held out", t);
      in_target_class[static_cast<size_t>(label)] = 1;
    }
    std::vector<char> in_target(static_cast<size_t>(domain.rows()));
    for (Eigen::Index r = 0; r < domain.rows(); ++r) in_target[static_cast<size_t>(r)] = in_target_class[static_cast<size_t>(domain.y(r))];
    const auto n_target = std::llround(c.target_share * static_cast<double>(c.n_train));
    auto domains = data::split_by_domain(domain, in_target, n_target, c.n_train - n_target, c.n_valid, c.n_test,
                                         derive_seed(seed, "selection/split"));
    splits = std::move(domains.splits);
    out.in_target = std::move(domains.train_in_target);
  }
  data::standardize(splits, {&partition.out_of_domain});
  out.num_classes = domain.num_classes;
  std::mt19937_64 rng(derive_seed(seed, "selection/corruption"));
  out.corrupted = corrupt_training_split(c, splits.train, partition.out_of_domain, rng);
  if (c.flip_valid && c.corruption == "label_flip") {
    std::mt19937_64 valid_rng(derive_seed(seed, "selection/corruption-valid"));
    out.valid_corrupted = data::flip_labels(splits.valid, c.rate, valid_rng);
  } else {
    out.valid_corrupted.assign(static_cast<size_t>(splits.valid.rows()), 0);
  }
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
  if (!prepared->data.in_target.empty())  // cheap (no fit): not part of the ground-truth reference
    prepared->random_kl = random_selection_kl(prepared->data, kRandomSelections, derive_seed(seed, "selection/random-kl"));
  return prepared;
}

// The ground truths of `prepared` (its data), in place.
void compute_truths(Prepared* prepared, const CommonParams& c, std::uint64_t seed) {
  if (c.exact_loo) prepared->loo = exact_loo_values(prepared->data, prepared->utility);
  const SelectionData& d = prepared->data;
  if (!d.regression()) {  // the closed form is the kNN classifier's utility
    const Eigen::VectorXd knn = knn_shapley_values(d.train.x, d.train.y, d.valid.x, d.valid.y, static_cast<int>(c.truth_k));
    prepared->knn_shapley.assign(knn.data(), knn.data() + knn.size());
  }
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
  prepared->knn_shapley = *knn;  // empty for regression
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
  std::vector<double> selected_accuracy;
  for (size_t b = 0; b < std::size(kBudgets); ++b) {
    const auto keep = static_cast<std::ptrdiff_t>(budget_rows(kBudgets[b], n));
    selected_accuracy.push_back(utility.test_accuracy({highest_first.begin(), highest_first.begin() + keep}));
    out.emplace_back(fmt::format("select_{}", kBudgets[b]), selected_accuracy[b] - prepared.random_selection[b]);
  }
  if (!data.in_target.empty()) add_targeted_metrics(prepared, values, selected_accuracy, out);
  if (prepared.loo) add_agreement(out, "loo", values, *prepared.loo);
  if (prepared.shapley) add_agreement(out, "shapley", values, *prepared.shapley);
  if (prepared.banzhaf) add_agreement(out, "banzhaf", values, *prepared.banzhaf);
  if (!prepared.knn_shapley.empty()) add_agreement(out, "knn_shapley", values, prepared.knn_shapley);
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
  if (!prepared.data.in_target.empty())
    out.artifacts.push_back({"in_target", {prepared.data.in_target.begin(), prepared.data.in_target.end()}});
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
      {"target_auroc", true, "targeted cells: AUROC of the value as a detector of target-domain training rows"},
      {"target_accuracy_10", true, "targeted cells: target-domain test accuracy of the model fitted on the top 10%"},
      {"target_accuracy_20", true, "the same at 20%"},
      {"target_accuracy_50", true, "the same at 50%"},
      {"kl_reduction_10", true, "targeted cells: KL(target || random 10%) - KL(target || top 10%), hashed features"},
      {"kl_reduction_20", true, "the same at 20%"},
      {"kl_reduction_50", true, "the same at 50%"},
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
    const auto dataset_entry = entry->make(params);
    dataset_entry->validate(c.n_train + c.n_valid + c.n_test, c.n_train);
    validate_task(c, dataset_entry->regression());
    validate_domains(c, *dataset_entry);
  }

  // A regression table runs the methods tagged task:regression (those that
  // only ask the utility for values: the ridge utility has no classifier).
  std::string incompatibility(const CellSpec& cell) const override {
    const auto* dataset = SelectionDatasetRegistry::instance().find(cell.dataset);
    const auto* method = ValuerRegistry::instance().find(cell.method);
    if (!dataset || !method || !dataset->make(cell.dataset_params)->regression()) return "";
    const auto& tags = method->info.tags;
    if (std::find(tags.begin(), tags.end(), "task:regression") != tags.end()) return "";
    return "method '" + cell.method + "' needs a classifier; dataset '" + cell.dataset +
           "' is a regression table (methods tagged task:regression run on it)";
  }

  CellOutput run(const CellSpec& cell, CellCache& cache) const override {
    const auto key = fmt::format("selection|{}|seed={}", component_label(cell.dataset, cell.dataset_params), cell.seed);
    const auto prepared = cache.get_or_make<Prepared>(key, [&] {
      return prepare(cell.dataset, cell.dataset_params, cell.seed, &cache.reference(kGroundTruthReference));
    });
    if (cell.external) return run_external_valuer(*prepared, *cell.external, cell.method_params, cell.seed);
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
              "point removal and agreement with exact leave-one-out / Shapley / Banzhaf values")
    .version("2");  // 2: the KNN-Shapley ground truth is exact also when n_train < truth_k (knn_shapley.cpp)

}  // namespace sb::selection
