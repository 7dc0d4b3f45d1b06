// The `unlearning` suite: prepares a replication (splits, forget set), its
// original model and its retrain oracle once per (dataset params, seed), runs
// an unlearning method and grades its model against the oracle (grading.cpp,
// docs/UNLEARNING.md).
#include <algorithm>
#include <chrono>
#include <functional>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>

#include "benchmarks/unlearning/external.h"
#include "benchmarks/unlearning/forget_sets.h"
#include "benchmarks/unlearning/protocol.h"
#include "benchmarks/unlearning/memorization.h"
#include "benchmarks/unlearning/worst_case.h"
#include "datasets/random.h"
#include "datasets/splits.h"
#include "estimators/models/linear.h"
#include "harness/core/errors.h"
#include "harness/core/suite.h"

namespace sb::unlearning {
namespace {

const SharedParams<CommonParams>& common() {
  static const SharedParams<CommonParams> declared("unlearning common", [](Registrar<CommonParams>& r) {
    using P = CommonParams;
    r.field(&P::n_train, "n_train", 2, 10000000, "training rows (the original model's data)")
        .field(&P::n_test, "n_test", 1, 10000000, "test rows")
        .field(&P::n_heldout, "n_heldout", 1, 10000000, "held-out rows: the non-members of membership inference")
        .field(&P::forget, "forget",
               {"random", "class", "cluster", "mislabeled", "worst-case", "high-memorization", "sequential"},
               "how the forget set is drawn (docs/UNLEARNING.md; regression tables: random or sequential)")
        .field(&P::fraction, "fraction", 0.0, 0.5,
               "random, worst-case, high-memorization: share of rows forgotten; "
               "mislabeled: share of labels flipped (and forgotten)")
        .field(&P::forget_class, "forget_class", 0, 100000, "class and cluster: the class")
        .field(&P::clusters, "clusters", 1, 100000, "cluster: k of k-means within the class")
        .field(&P::worst_pool, "worst_pool", 0, 10000000,
               "worst-case: candidates refitted per greedy step (largest gradient norms; 0: every row)")
        .field(&P::memorization, "memorization", {"influence", "exact"},
               "high-memorization: the leave-one-out model, by influence (one Hessian) or exact refits")
        .field(&P::label_free, "label_free",
               "the request names the forget rows without labels: methods that need them refuse, the others "
               "unlearn with those labels hidden")
        .field(&P::model, "model", {"logistic", "ridge", "knn", "mlp"},
               "base model: multinomial logistic regression, ridge regression on one-hot labels, kNN (exact "
               "deletion), or a ReLU MLP trained by seeded minibatch SGD (non-convex: oracle noise floor); "
               "regression tables: ridge (on the targets), knn (mean of the neighbours' targets) or mlp (one "
               "output, squared loss)")
        .field(&P::l2, "l2", 1e-8, 1e6, "penalty (l2 * n_train / 2)||theta||^2 on the summed loss, fixed at training")
        .field(&P::tolerance, "tolerance", 1e-14, 1e-4, "fits: Newton until max |gradient| / rows <= this")
        .field(&P::knn_k, "knn_k", 1, 100000, "knn: neighbours")
        .field(&P::mlp_hidden, "mlp_hidden", 1, 100000, "mlp: units per hidden layer")
        .field(&P::mlp_layers, "mlp_layers", 1, 2, "mlp: hidden layers")
        .field(&P::mlp_epochs, "mlp_epochs", 1, 100000, "mlp: SGD epochs of the original, the oracle and retrains")
        .field(&P::mlp_batch_size, "mlp_batch_size", 1, 10000000, "mlp: SGD batch rows")
        .field(&P::mlp_learning_rate, "mlp_learning_rate", 1e-8, 100.0, "mlp: SGD step size")
        .field(&P::mlp_l2, "mlp_l2", 0.0, 1e6, "mlp: (l2/2)||theta||^2 added to the mean cross-entropy")
        .field(&P::noise_seeds, "noise_seeds", 0, 1000,
               "mlp: retrains from other seeds whose gaps to the oracle are the noise floor")
        .field(&P::requests, "requests", 1, 100000,
               "sequential: successive requests splitting a random forget set of `fraction`");
  });
  return declared;
}

// A theta travels as artifacts "<name>" (column-major values) and "<name>_shape".
void put_theta(CellOutput& out, const std::string& name, const Eigen::MatrixXd& theta) {
  out.artifacts.push_back({name, {theta.data(), theta.data() + theta.size()}});
  out.artifacts.push_back({name + "_shape", {static_cast<double>(theta.rows()), static_cast<double>(theta.cols())}});
}
const std::vector<double>& artifact(const CellOutput& output, const std::string& name) {
  for (const auto& a : output.artifacts)
    if (a.name == name) return a.values;
  throw InternalError("unlearning: a reference lacks the artifact '{}'", name);
}
Eigen::MatrixXd get_theta(const CellOutput& output, const std::string& name) {
  const auto& values = artifact(output, name);
  const auto& shape = artifact(output, name + "_shape");
  SB_THROW_IF_NOT(InternalError, shape.size() == 2 && shape[0] * shape[1] == static_cast<double>(values.size()),
                  "unlearning: artifact '{}' has a bad shape", name);
  return Eigen::Map<const Eigen::MatrixXd>(values.data(), static_cast<Eigen::Index>(shape[0]),
                                           static_cast<Eigen::Index>(shape[1]));
}

std::shared_ptr<Prepared> prepare_data(const std::string& dataset, const ParamSet& params, std::uint64_t seed) {
  const auto* entry = UnlearningDatasetRegistry::instance().find(dataset);
  if (!entry) throw InputError("unlearning: unknown dataset '{}'", dataset);
  const CommonParams c = bind_common_params(params);
  auto prepared = std::make_shared<Prepared>();
  prepared->data = make_unlearning_data(entry->make(params)->load(derive_seed(seed, "unlearning/data")), c, seed);
  prepared->model = base_model(c);
  prepared->base = base_spec(c, static_cast<int>(prepared->data.train.x.cols()), prepared->data.num_classes);
  prepared->label_free = c.label_free;
  return prepared;
}

// The worst-case and high-memorization searches cost many fits, and the
// original, the oracle and the cells of one replication each prepare the
// data: their answer is kept per process, keyed by the bytes of the
// standardised training rows and the search's parameters.
std::vector<Eigen::Index> memoized_forget_set(const std::string& search, const Eigen::MatrixXd& z,
                                              const Eigen::VectorXi& y,
                                              const std::function<std::vector<Eigen::Index>()>& compute) {
  std::uint64_t hash = 1469598103934665603ULL;  // FNV-1a over the bytes of z and y
  auto mix = [&](const void* data, size_t bytes) {
    const auto* b = static_cast<const unsigned char*>(data);
    for (size_t i = 0; i < bytes; ++i) hash = (hash ^ b[i]) * 1099511628211ULL;
  };
  mix(z.data(), sizeof(double) * static_cast<size_t>(z.size()));
  mix(y.data(), sizeof(int) * static_cast<size_t>(y.size()));
  const auto key = fmt::format("{}|{}x{}|{}", hash, z.rows(), z.cols(), search);
  static std::mutex mutex;
  static std::map<std::string, std::vector<Eigen::Index>> memo;
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (auto it = memo.find(key); it != memo.end()) return it->second;
  }
  auto forget = compute();
  std::lock_guard<std::mutex> lock(mutex);
  memo.emplace(key, forget);
  return forget;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

std::vector<ParamSpec> common_params() { return common().specs(); }
CommonParams bind_common_params(const ParamSet& params) { return common().bind(params); }

models::PenalizedLinear base_model(const CommonParams& c) {
  models::PenalizedLinear m;
  m.loss = c.model == "ridge" ? models::LinearLoss::kSquared : models::LinearLoss::kSoftmax;
  m.lambda = c.l2 * static_cast<double>(c.n_train);
  m.tolerance = c.tolerance;
  return m;
}

UnlearningData make_unlearning_data(const data::Table& table, const CommonParams& c, std::uint64_t seed) {
  const bool regression = !table.is_classification();
  SB_THROW_IF_NOT(InputError, !regression || c.forget == "random" || c.forget == "sequential",
                  "unlearning: forget = \"{}\" needs classes; a regression table takes random or sequential", c.forget);
  auto splits =
      data::split_by_count(table, c.n_train, c.n_heldout, c.n_test, derive_seed(seed, "unlearning/split"));
  data::standardize(splits);
  if (regression) {
    data::standardize_targets(splits);
    // Labels of -1: a classification loss reading them throws (no silent class 0).
    for (data::Table* t : {&splits.train, &splits.valid, &splits.test}) t->y = Eigen::VectorXi::Constant(t->rows(), -1);
  }
  UnlearningData out;
  out.num_classes = table.num_classes;
  ForgetSetOptions options;
  options.kind = c.forget, options.fraction = c.fraction, options.forget_class = c.forget_class,
  options.clusters = c.clusters;
  const auto size = std::max<Eigen::Index>(1, std::llround(c.fraction * static_cast<double>(c.n_train)));
  const models::PenalizedLinear model = base_model(c);
  const auto search = fmt::format("{}|{}|{}|{}|{}|{}|{}|{}", c.forget, static_cast<int>(model.loss), model.lambda,
                                  model.tolerance, table.num_classes, size, c.worst_pool, c.memorization);
  if (c.forget == "worst-case" || c.forget == "high-memorization") {
    const Eigen::MatrixXd z = models::augment(splits.train.x);
    out.forget = memoized_forget_set(search, z, splits.train.y, [&] {
      return c.forget == "worst-case"
                 ? worst_case_forget_set(model, z, splits.train.y, table.num_classes, size, c.worst_pool).forget
                 : high_memorization_forget_set(model, z, splits.train.y, table.num_classes, size, c.memorization);
    });
  } else if (c.forget == "sequential") {
    // A random set, split into `requests` successive requests by a seeded shuffle (each sorted).
    options.kind = "random";
    out.forget = draw_forget_set(splits.train, options, derive_seed(seed, "unlearning/forget"));
    SB_THROW_IF_NOT(InputError, static_cast<size_t>(c.requests) <= out.forget.size(),
                    "unlearning: {} requests need at least as many forget rows, got {}", c.requests,
                    out.forget.size());
    auto order = out.forget;
    std::mt19937_64 rng(derive_seed(seed, "unlearning/requests"));
    data::shuffle_in_place(order, rng);
    out.requests.resize(static_cast<size_t>(c.requests));
    for (size_t i = 0; i < order.size(); ++i) out.requests[i % out.requests.size()].push_back(order[i]);
    for (auto& r : out.requests) std::sort(r.begin(), r.end());
  } else {
    out.forget = draw_forget_set(splits.train, options, derive_seed(seed, "unlearning/forget"));
  }
  std::vector<char> forgotten(static_cast<size_t>(splits.train.rows()), 0);
  for (auto i : out.forget) forgotten[static_cast<size_t>(i)] = 1;
  for (Eigen::Index i = 0; i < splits.train.rows(); ++i)
    if (!forgotten[static_cast<size_t>(i)]) out.retain.push_back(i);
  out.train = std::move(splits.train);
  out.heldout = std::move(splits.valid);
  out.test = std::move(splits.test);
  out.train_z = models::augment(out.train.x);
  out.test_z = models::augment(out.test.x);
  out.heldout_z = models::augment(out.heldout.x);
  select_parts(out);
  return out;
}

namespace {
UnlearningContext fit_context(const Prepared& p, std::uint64_t seed) {
  UnlearningContext ctx;
  ctx.data = &p.data;
  ctx.model = p.model;
  ctx.base = p.base;
  ctx.seed = derive_seed(seed, "unlearning/method");
  ctx.base_seed = mlp_seed(seed);
  return ctx;
}
std::vector<Eigen::Index> all_rows(Eigen::Index n) {
  std::vector<Eigen::Index> rows(static_cast<size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i) rows[static_cast<size_t>(i)] = i;
  return rows;
}
}  // namespace

CellOutput compute_original(const std::string& dataset, const ParamSet& params, std::uint64_t seed) {
  const auto p = prepare_data(dataset, params, seed);
  const auto start = std::chrono::steady_clock::now();
  const auto theta = fit_base(fit_context(*p, seed), all_rows(p->data.train.rows()), mlp_seed(seed));
  CellOutput out;
  out.method_seconds = seconds_since(start);
  put_theta(out, "theta", theta);
  return out;
}

CellOutput compute_oracle(const std::string& dataset, const ParamSet& params, std::uint64_t seed) {
  const auto p = prepare_data(dataset, params, seed);
  const auto start = std::chrono::steady_clock::now();
  const auto theta = fit_base(fit_context(*p, seed), p->data.retain, mlp_seed(seed));
  CellOutput out;
  out.method_seconds = seconds_since(start);
  put_theta(out, "theta", theta);
  out.artifacts.push_back({"seconds", {out.method_seconds}});
  for (size_t j = 0; j + 1 < p->data.requests.size(); ++j)  // the oracles after the earlier requests
    put_theta(out, fmt::format("request_theta_{}", j),
              fit_base(fit_context(*p, seed), request_view(p->data, j, true).retain, mlp_seed(seed)));
  if (p->base.kind == BaseKind::kMlp) {  // the noise floor's retrains
    const auto c = bind_common_params(params);
    out.artifacts.push_back({"noise_seeds", {static_cast<double>(c.noise_seeds)}});
    for (std::int64_t j = 0; j < c.noise_seeds; ++j)
      put_theta(out, fmt::format("noise_theta_{}", j),
                fit_base(fit_context(*p, seed), p->data.retain, derive_seed(seed, fmt::format("unlearning/noise/{}", j))));
  }
  return out;
}

std::shared_ptr<const Prepared> prepare(const std::string& dataset, const ParamSet& params, std::uint64_t seed,
                                        const CellOutput* original, const CellOutput* oracle) {
  auto prepared = prepare_data(dataset, params, seed);
  const CellOutput original_out = original ? *original : compute_original(dataset, params, seed);
  const CellOutput oracle_out = oracle ? *oracle : compute_oracle(dataset, params, seed);
  prepared->original = get_theta(original_out, "theta");
  prepared->oracle = get_theta(oracle_out, "theta");
  prepared->oracle_seconds = artifact(oracle_out, "seconds").at(0);
  for (size_t j = 0; j + 1 < prepared->data.requests.size(); ++j)
    prepared->request_oracles.push_back(get_theta(oracle_out, fmt::format("request_theta_{}", j)));
  if (!prepared->data.requests.empty()) prepared->request_oracles.push_back(prepared->oracle);
  if (prepared->base.kind == BaseKind::kMlp) {
    const auto count = static_cast<std::int64_t>(artifact(oracle_out, "noise_seeds").at(0));
    for (std::int64_t j = 0; j < count; ++j)
      prepared->noise_retrains.push_back(get_theta(oracle_out, fmt::format("noise_theta_{}", j)));
    prepared->noise_floor = noise_floor(*prepared);
  }
  return prepared;
}

UnlearningData without_forget_labels(const UnlearningData& data) {
  UnlearningData out = data;
  out.forget_y.setConstant(-1);
  for (auto i : out.forget) out.train.y(i) = -1;
  if (out.regression()) {  // NaN targets: every regression loss refuses them
    out.forget_t.setConstant(std::numeric_limits<double>::quiet_NaN());
    for (auto i : out.forget) out.train.target(i) = std::numeric_limits<double>::quiet_NaN();
  }
  return out;
}

CellOutput run_unlearner(const Prepared& prepared, const std::string& method, const ParamSet& method_params,
                         std::uint64_t seed) {
  const auto* entry = UnlearnerRegistry::instance().find(method);
  if (!entry) throw InputError("unlearning: unknown method '{}'", method);
  auto unlearner = entry->make(method_params);
  UnlearningContext ctx;
  ctx.data = &prepared.data;
  ctx.model = prepared.model;
  ctx.base = prepared.base;
  ctx.original = &prepared.original;
  ctx.seed = derive_seed(seed, "unlearning/method");
  ctx.base_seed = mlp_seed(seed);
  SB_THROW_IF_NOT(InputError, !prepared.label_free || !unlearner->needs_forget_labels(),
                  "method '{}' needs the forget rows' labels, which a label-free request does not give", method);
  unlearner->train(ctx);  // training time: every label is known
  auto check = [&](const UnlearnedModel& unlearned) {
    const auto rows = prepared.oracle.rows(), cols = prepared.oracle.cols();
    SB_THROW_IF_NOT(MethodError, !unlearned.thetas.empty(), "method '{}' returned no model", method);
    for (const auto& theta : unlearned.thetas) {
      SB_THROW_IF_NOT(MethodError,
                      (theta.rows() == rows || prepared.base.kind == BaseKind::kKnn) && theta.cols() == cols,
                      "method '{}' returned a {}x{} model, expected {}x{}", method, theta.rows(), theta.cols(), rows,
                      cols);
      SB_THROW_IF_NOT(MethodError, theta.allFinite(), "method '{}' returned a non-finite model", method);
    }
  };
  // One timed unlearn of `data` (its forget labels hidden under a label-free request).
  auto timed_unlearn = [&](const UnlearningData& data, double& seconds) {
    UnlearningData hidden;
    ctx.data = &data;
    if (prepared.label_free) {
      hidden = without_forget_labels(data);
      ctx.data = &hidden;
    }
    const auto start = std::chrono::steady_clock::now();
    UnlearnedModel unlearned = unlearner->unlearn(ctx);
    seconds += seconds_since(start);
    check(unlearned);
    return unlearned;
  };
  CellOutput out;
  if (prepared.data.requests.empty()) {
    const UnlearnedModel unlearned = timed_unlearn(prepared.data, out.method_seconds);
    out.metrics = grade(prepared, unlearned);
    for (const auto& d : unlearned.diagnostics) out.metrics.push_back(d);
  } else {
    // Successive requests: request j (0-based) is unlearned from the state the previous left and graded
    // against the oracle of the rows still kept, as sub-metrics name/request_{j+1}; the last request's
    // metrics are also reported unsuffixed (the final state, against the final oracle). A method without
    // its own per-request state (sequential() false) is chained: request j starts from the model request
    // j-1 returned (ctx.original), with a random stream of its own.
    const bool chained = !unlearner->sequential();
    const std::uint64_t method_seed = ctx.seed;
    Eigen::MatrixXd previous;
    const size_t k = prepared.data.requests.size();
    for (size_t j = 0; j < k; ++j) {
      if (chained && j > 0) {
        ctx.original = &previous;
        ctx.seed = derive_seed(method_seed, fmt::format("request/{}", j));
      }
      UnlearnedModel unlearned = timed_unlearn(request_view(prepared.data, j, false), out.method_seconds);
      if (chained) {
        SB_THROW_IF_NOT(MethodError, unlearned.thetas.size() == 1,
                        "method '{}' returned an ensemble: successive requests chain one model", method);
        previous = unlearned.thetas.front();
      }
      Prepared as_of = prepared;
      as_of.data = request_view(prepared.data, j, true);
      as_of.oracle = prepared.request_oracles.at(j);
      if (j + 1 < k) as_of.noise_floor.clear();  // the noise floor is the final oracle's
      auto metrics = grade(as_of, unlearned);
      for (const auto& d : unlearned.diagnostics) metrics.push_back(d);
      for (const auto& [name, value] : metrics) out.metrics.emplace_back(fmt::format("{}/request_{}", name, j + 1), value);
      if (j + 1 == k) out.metrics.insert(out.metrics.end(), metrics.begin(), metrics.end());
    }
  }
  out.metrics.emplace_back("speedup", prepared.oracle_seconds / std::max(out.method_seconds, 1e-9));
  return out;
}

namespace {

class UnlearningSuite : public Suite {
 public:
  std::vector<ComponentInfo> datasets() const override {
    auto infos = UnlearningDatasetRegistry::instance().infos();
    for (auto& info : infos)
      for (auto& spec : common_params()) info.params.push_back(std::move(spec));
    return infos;
  }
  std::vector<ComponentInfo> methods() const override { return UnlearnerRegistry::instance().infos(); }
  std::vector<MetricInfo> metrics() const override { return unlearning_metric_infos(); }

  std::string incompatibility(const CellSpec& cell) const override {
    if (cell.external && regression_table(cell.dataset, cell.dataset_params))
      return fmt::format("is external; the external protocol hands over labels, and '{}' is a regression table",
                         cell.dataset);
    const auto* entry = UnlearnerRegistry::instance().find(cell.method);
    if (!entry) return "";
    const CommonParams c = bind_common_params(cell.dataset_params);
    const auto method = entry->make(cell.method_params);
    if (regression_table(cell.dataset, cell.dataset_params) && !method->regression())
      return fmt::format("is for classification tables; '{}' is a regression table", cell.dataset);
    if (c.label_free && method->needs_forget_labels())
      return "needs the forget rows' labels; the request is label-free";
    const auto bases = method->bases();
    const BaseKind kind = base_spec(c, 1, 2).kind;
    if (std::find(bases.begin(), bases.end(), kind) == bases.end())
      return fmt::format("does not apply to the base model '{}'", c.model);
    return kind == BaseKind::kLinear ? method->incompatibility(base_model(c).loss) : "";
  }

  void validate_dataset(const std::string& dataset, const ParamSet& params) const override {
    const auto* entry = UnlearningDatasetRegistry::instance().find(dataset);
    if (!entry) return;
    const CommonParams c = bind_common_params(params);
    const auto table = entry->make(params);
    table->validate(c.n_train + c.n_test + c.n_heldout);
    if (table->regression()) {
      // The planner's message names the dataset and its line.
      SB_THROW_IF_NOT(InputError, c.model != "logistic",
                      "model = \"logistic\" needs classes, and this is a regression table (use ridge, knn or mlp)");
      SB_THROW_IF_NOT(InputError, c.forget == "random" || c.forget == "sequential",
                      "forget = \"{}\" needs classes, and this is a regression table (use random or sequential)",
                      c.forget);
    }
  }

 private:
  static bool regression_table(const std::string& dataset, const ParamSet& params) {
    const auto* entry = UnlearningDatasetRegistry::instance().find(dataset);
    return entry && entry->make(params)->regression();
  }

 public:

  CellOutput run(const CellSpec& cell, CellCache& cache) const override {
    const auto key =
        fmt::format("unlearning|{}|seed={}", component_label(cell.dataset, cell.dataset_params), cell.seed);
    const auto prepared = cache.get_or_make<Prepared>(key, [&] {
      return prepare(cell.dataset, cell.dataset_params, cell.seed, &cache.reference(kOriginalReference),
                     &cache.reference(kOracleReference));
    });
    if (cell.external) return run_external_unlearner(*prepared, *cell.external, cell.method_params, cell.seed);
    return run_unlearner(*prepared, cell.method, cell.method_params, cell.seed);
  }

  // The original model and the retrain oracle are fitted once per (dataset
  // params, seed) across the run, on some rank, and shared by every method.
  std::vector<ComponentInfo> references() const override {
    ComponentInfo original;
    original.suite = "unlearning";
    original.kind = "reference";
    original.name = kOriginalReference;
    original.description = "the base model fitted on every training row (what methods unlearn from)";
    ComponentInfo oracle = original;
    oracle.name = kOracleReference;
    oracle.description = "the retrain oracle: the base model fitted on the retain rows alone, and its fit seconds";
    return {original, oracle};
  }

  std::vector<ReferenceRequest> references_of(const CellSpec&) const override {
    return {ReferenceRequest{kOriginalReference, {}}, ReferenceRequest{kOracleReference, {}}};  // of the cell's dataset
  }

  CellOutput compute_reference(const ReferenceSpec& reference, CellCache&) const override {
    if (reference.name == kOriginalReference)
      return compute_original(reference.dataset, reference.dataset_params, reference.seed);
    if (reference.name == kOracleReference)
      return compute_oracle(reference.dataset, reference.dataset_params, reference.seed);
    throw InternalError("unlearning: unknown reference '{}'", reference.name);
  }
};

}  // namespace

SB_REGISTER_SUITE(UnlearningSuite, "unlearning")
    .describe("Machine unlearning: methods remove a forget set from a trained model; graded against the "
              "exact retrain oracle by accuracy gaps, membership inference, prediction and parameter distances");

}  // namespace sb::unlearning
