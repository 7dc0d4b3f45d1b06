// The `ood` suite: trains (or takes) a base classifier once per (dataset
// params, seed), fits each detector on the ID training split, scores the ID
// test split and every OOD set, and grades the scores (benchmarks/ood/metrics.h).
#include <chrono>
#include <algorithm>
#include <cmath>
#include <map>

#include "benchmarks/ood/dataset.h"
#include "benchmarks/ood/metrics.h"
#include "benchmarks/ood/ood.h"
#include "benchmarks/ood/protocol.h"
#include "estimators/models/mlp.h"
#include "estimators/models/softmax_regression.h"
#include "harness/core/errors.h"
#include "harness/core/suite.h"

namespace sb::ood {

namespace {

void fill_from_model(Split& s, const Classifier& model) {
  s.features = model.features(s.inputs);
  s.logits = model.logits_from_features(s.features);
}

void fill_logits(Split& s, const Eigen::MatrixXd& w, const Eigen::VectorXd& b) {
  if (s.logits.size() == 0) s.logits = (s.features * w.transpose()).rowwise() + b.transpose();
}

double accuracy(const Split& s) {
  Eigen::Index correct = 0;
  for (Eigen::Index i = 0; i < s.logits.rows(); ++i) {
    Eigen::Index c;
    s.logits.row(i).maxCoeff(&c);
    correct += c == s.labels(i);
  }
  return static_cast<double>(correct) / static_cast<double>(s.logits.rows());
}

// The base classifier of datasets tagged kTrainsModelTag, declared once: the
// specs are appended to those datasets' parameters, the struct read by
// prepare_data.
struct BaseModelParams {
  std::string model = "softmax";
  std::int64_t hidden = 64;
  std::int64_t epochs = 10;
  std::int64_t batch_size = 128;
  double learning_rate = 3e-3;
  double l2 = 1e-3;
};

const SharedParams<BaseModelParams>& base_model() {
  static const SharedParams<BaseModelParams> declared("base model", [](Registrar<BaseModelParams>& r) {
    using P = BaseModelParams;
    r.field(&P::model, "model", {"softmax", "mlp"},
            "base classifier: softmax regression on the inputs, or a one-hidden-layer "
            "ReLU MLP (features = hidden activations)")
        .field(&P::hidden, "hidden", 1, 100000, "MLP hidden width (mlp only)")
        .field(&P::epochs, "epochs", 1, 100000, "MLP training epochs (mlp only)")
        .field(&P::batch_size, "batch_size", 1, 1000000, "MLP mini-batch size (mlp only)")
        .field(&P::learning_rate, "learning_rate", 1e-8, 10.0, "Adam step size (mlp only)")
        .field(&P::l2, "l2", 0.0, 1e6, "L2 penalty on weights (both models)");
  });
  return declared;
}

}  // namespace

std::vector<ParamSpec> base_model_params() { return base_model().specs(); }

std::string prepared_cache_key(const CellSpec& cell) {
  return fmt::format("ood|{}|seed={}", component_label(cell.dataset, cell.dataset_params), cell.seed);
}

namespace {

OodData load_data(const std::string& dataset, const ParamSet& params, std::uint64_t seed) {
  const auto* entry = OodDatasetRegistry::instance().find(dataset);
  if (!entry) throw InputError("ood: unknown dataset '{}'", dataset);
  OodData data = entry->make(params)->load(seed);
  check_ood_data(data, dataset);
  return data;
}

std::shared_ptr<const Classifier> train_classifier(const OodData& data, const ParamSet& params,
                                                   std::uint64_t seed) {
  const auto base = base_model().bind(params);
  if (base.model == "mlp") {
    models::MlpOptions o;
    o.hidden = static_cast<int>(base.hidden);
    o.epochs = static_cast<int>(base.epochs);
    o.batch_size = static_cast<int>(base.batch_size);
    o.learning_rate = base.learning_rate;
    o.l2 = base.l2;
    o.seed = derive_seed(seed, "ood/base-model");
    return std::make_shared<models::Mlp>(data.train.inputs, data.train.labels, data.num_classes, o);
  }
  models::SoftmaxRegressionOptions o;
  o.l2 = base.l2;
  return std::make_shared<models::SoftmaxRegression>(data.train.inputs, data.train.labels, data.num_classes, o);
}

Artifact matrix_artifact(const std::string& name, const Eigen::MatrixXd& m) {
  return {name, {m.data(), m.data() + m.size()}};  // column-major
}

const Artifact& find_artifact(const CellOutput& output, const std::string& name) {
  for (const auto& a : output.artifacts)
    if (a.name == name) return a;
  throw InternalError("ood: the base-model reference has no artifact '{}'", name);
}

Eigen::MatrixXd matrix_from(const CellOutput& output, const std::string& name) {
  const auto& shape = find_artifact(output, name + ".shape").values;
  const auto& values = find_artifact(output, name).values;
  SB_THROW_IF_NOT(InternalError, shape.size() == 2 && shape[0] * shape[1] == static_cast<double>(values.size()),
                  "ood: base-model artifact '{}' does not match its shape", name);
  return Eigen::Map<const Eigen::MatrixXd>(values.data(), static_cast<Eigen::Index>(shape[0]),
                                           static_cast<Eigen::Index>(shape[1]));
}

void add_matrix(CellOutput& out, const std::string& name, const Eigen::MatrixXd& m) {
  out.artifacts.push_back(matrix_artifact(name, m));
  out.artifacts.push_back({name + ".shape", {static_cast<double>(m.rows()), static_cast<double>(m.cols())}});
}

}  // namespace

CellOutput train_base_model(const std::string& dataset, const ParamSet& params, std::uint64_t seed) {
  const OodData data = load_data(dataset, params, seed);
  SB_THROW_IF_NOT(InternalError, data.has_inputs(), "ood: dataset '{}' gives features only: no base model to train",
                  dataset);
  const auto model = train_classifier(data, params, seed);
  CellOutput out;
  if (const auto* mlp = dynamic_cast<const models::Mlp*>(model.get())) {
    add_matrix(out, "w1", mlp->hidden_weight());
    add_matrix(out, "b1", mlp->hidden_bias());
  }
  add_matrix(out, "w", model->weight());
  add_matrix(out, "b", model->bias());
  return out;
}

std::shared_ptr<const Classifier> decode_base_model(const CellOutput& output) {
  Eigen::MatrixXd w = matrix_from(output, "w");
  Eigen::VectorXd b = matrix_from(output, "b");
  const bool mlp = std::any_of(output.artifacts.begin(), output.artifacts.end(),
                               [](const Artifact& a) { return a.name == "w1"; });
  if (!mlp) return std::make_shared<models::SoftmaxRegression>(std::move(w), std::move(b));
  models::MlpParameters p;
  p.w1 = matrix_from(output, "w1");
  p.b1 = matrix_from(output, "b1");
  p.w2 = std::move(w);
  p.b2 = std::move(b);
  return std::make_shared<models::Mlp>(std::move(p));
}

std::shared_ptr<const PreparedData> prepare_data(const std::string& dataset, const ParamSet& params,
                                                 std::uint64_t seed, const CellOutput* base_model) {
  auto prepared = std::make_shared<PreparedData>();
  prepared->data = load_data(dataset, params, seed);
  OodData& data = prepared->data;

  if (data.has_inputs()) {
    prepared->model = base_model ? decode_base_model(*base_model) : train_classifier(data, params, seed);
    prepared->weight = prepared->model->weight();
    prepared->bias = prepared->model->bias();
    fill_from_model(data.train, *prepared->model);
    fill_from_model(data.test, *prepared->model);
    for (auto& set : data.ood) fill_from_model(set.split, *prepared->model);
  } else {
    if (data.weight.size() == 0) {
      // No final layer given: fit one on the given features (documented);
      // `l2` is then the dataset's own parameter (npy declares it).
      models::SoftmaxRegressionOptions o;
      o.l2 = params.get_real("l2");
      const models::SoftmaxRegression fitted(data.train.features, data.train.labels,
                                             data.num_classes, o);
      data.weight = fitted.weight();
      data.bias = fitted.bias();
    }
    prepared->weight = data.weight;
    prepared->bias = data.bias;
    fill_logits(data.train, data.weight, data.bias);
    fill_logits(data.test, data.weight, data.bias);
    for (auto& set : data.ood) fill_logits(set.split, data.weight, data.bias);
  }
  prepared->id_accuracy = accuracy(data.test);
  return prepared;
}

GradedScores grade(const Eigen::VectorXd& id_scores, const std::vector<OodSet>& sets,
                   const std::vector<Eigen::VectorXd>& ood_scores) {
  SB_THROW_IF_NOT(InternalError, sets.size() == ood_scores.size() && !sets.empty(),
                  "grade: {} OOD sets but {} score vectors", sets.size(), ood_scores.size());
  GradedScores out;
  struct Sum {
    DetectionMetrics total;
    int count = 0;
    void add(const DetectionMetrics& m) {
      total.auroc += m.auroc, total.aupr_in += m.aupr_in, total.aupr_out += m.aupr_out;
      total.fpr95 += m.fpr95, ++count;
    }
  };
  std::map<std::string, Sum> groups;  // "" = all sets
  for (size_t i = 0; i < sets.size(); ++i) {
    const DetectionMetrics m = detection_metrics(id_scores, ood_scores[i]);
    const std::string& name = sets[i].name;
    // A set named like a group would report "auroc/far" twice.
    if (name == "near" || name == "far") {
      throw InputError("OOD set name '{}' is reserved for the mean over the {}-OOD sets; rename the set",
                       name, name);
    }
    out.metrics.emplace_back("auroc/" + name, m.auroc);
    out.metrics.emplace_back("aupr_in/" + name, m.aupr_in);
    out.metrics.emplace_back("aupr_out/" + name, m.aupr_out);
    out.metrics.emplace_back("fpr95/" + name, m.fpr95);
    groups[sets[i].group].add(m);
    groups[""].add(m);
  }
  for (const auto& [group, sum] : groups) {
    const std::string suffix = group.empty() ? "" : "/" + group;
    out.metrics.emplace_back("auroc" + suffix, sum.total.auroc / sum.count);
    out.metrics.emplace_back("aupr_in" + suffix, sum.total.aupr_in / sum.count);
    out.metrics.emplace_back("aupr_out" + suffix, sum.total.aupr_out / sum.count);
    out.metrics.emplace_back("fpr95" + suffix, sum.total.fpr95 / sum.count);
  }
  return out;
}

std::vector<MetricInfo> ood_metric_infos() {
  std::vector<MetricInfo> out;
  const std::vector<std::pair<std::string, std::string>> groups = {
      {"", "mean over all OOD sets"}, {"/near", "mean over near-OOD sets"},
      {"/far", "mean over far-OOD sets"}};
  for (const auto& [suffix, what] : groups) {
    out.push_back({"auroc" + suffix, true, "area under the ROC curve, ID vs OOD; " + what});
    out.push_back({"aupr_in" + suffix, true, "average precision with ID as positives; " + what});
    out.push_back({"aupr_out" + suffix, true,
                   "average precision with OOD as positives, scores negated; " + what});
    out.push_back({"fpr95" + suffix, false, "fraction of OOD accepted at 95% ID TPR; " + what});
  }
  out.push_back({"id_accuracy", true, "base classifier accuracy on the ID test split"});
  return out;
}

namespace {

class OodSuite : public Suite {
 public:
  std::vector<ComponentInfo> datasets() const override {
    auto infos = OodDatasetRegistry::instance().infos();
    for (auto& info : infos) {
      if (std::find(info.tags.begin(), info.tags.end(), kTrainsModelTag) == info.tags.end()) {
        continue;
      }
      for (auto& spec : base_model_params()) info.params.push_back(std::move(spec));
    }
    return infos;
  }

  std::vector<ComponentInfo> methods() const override {
    return DetectorRegistry::instance().infos();
  }

  std::vector<MetricInfo> metrics() const override { return ood_metric_infos(); }

  std::string incompatibility(const CellSpec& cell) const override {
    const auto* method = DetectorRegistry::instance().find(cell.method);
    const auto* dataset = OodDatasetRegistry::instance().find(cell.dataset);
    if (!method || !dataset) return "";
    auto has = [](const ComponentInfo& i, const char* tag) {
      return std::find(i.tags.begin(), i.tags.end(), tag) != i.tags.end();
    };
    if (has(method->info, kNeedsModelTag) && !has(dataset->info, kTrainsModelTag)) {
      return fmt::format("detector '{}' needs the base model's inputs and gradients; dataset "
                         "'{}' gives features only", cell.method, cell.dataset);
    }
    return "";
  }

  void validate_dataset(const std::string& dataset, const ParamSet& params) const override {
    const auto* entry = OodDatasetRegistry::instance().find(dataset);
    if (entry) entry->make(params)->validate();
  }

  CellOutput run(const CellSpec& cell, CellCache& cache) const override {
    const bool trains = trains_model(cell.dataset);
    const auto prepared = cache.get_or_make<PreparedData>(prepared_cache_key(cell), [&] {
      return prepare_data(cell.dataset, cell.dataset_params, cell.seed,
                          trains ? &cache.reference(kBaseModelReference) : nullptr);
    });
    if (cell.external) return run_external_detector(*prepared, *cell.external, cell.method_params, cell.seed);
    return run_detector(*prepared, cell.method, cell.method_params, cell.seed);
  }

  // The base model is trained once per (dataset params, seed) across the
  // whole run, on some rank, and shipped to the cells' ranks.
  std::vector<ComponentInfo> references() const override {
    ComponentInfo info;
    info.kind = "reference";
    info.name = kBaseModelReference;
    info.version = "1";
    info.suite = "ood";
    info.description = "the base classifier trained on the ID training split (its parameters)";
    return {info};
  }

  std::vector<ReferenceRequest> references_of(const CellSpec& cell) const override {
    if (!trains_model(cell.dataset)) return {};
    return {ReferenceRequest{kBaseModelReference, {}}};  // of the cell's dataset
  }

  CellOutput compute_reference(const ReferenceSpec& reference, CellCache& cache) const override {
    (void)cache;
    SB_THROW_IF_NOT(InternalError, reference.name == kBaseModelReference, "ood: unknown reference '{}'",
                    reference.name);
    return train_base_model(reference.dataset, reference.dataset_params, reference.seed);
  }

 private:
  static bool trains_model(const std::string& dataset) {
    const auto* entry = OodDatasetRegistry::instance().find(dataset);
    return entry && std::find(entry->info.tags.begin(), entry->info.tags.end(), kTrainsModelTag) !=
                        entry->info.tags.end();
  }
};

}  // namespace

CellOutput run_detector(const PreparedData& prepared, const std::string& method,
                        const ParamSet& method_params, std::uint64_t seed) {
  const auto* entry = DetectorRegistry::instance().find(method);
  if (!entry) throw InputError("ood: unknown detector '{}'", method);
  const OodData& data = prepared.data;
  FitContext ctx;
  ctx.train = &data.train;
  ctx.model = prepared.model.get();
  ctx.weight = prepared.weight;
  ctx.bias = prepared.bias;
  ctx.num_classes = data.num_classes;
  ctx.seed = derive_seed(seed, "ood/detector");

  const auto start = std::chrono::steady_clock::now();
  auto detector = entry->make(method_params);
  detector->fit(ctx);
  DetectorScores scores;
  scores.id_test = detector->score(data.test);
  for (const auto& set : data.ood) scores.ood.push_back(detector->score(set.split));
  scores.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return grade_detector(prepared, method, scores);
}

CellOutput grade_detector(const PreparedData& prepared, const std::string& method, const DetectorScores& scores) {
  const OodData& data = prepared.data;
  CellOutput out;
  out.method_seconds = scores.seconds;
  auto check = [&](const Eigen::VectorXd& s, const Split& split, const std::string& what) {
    if (s.size() != split.labels.size()) {
      throw MethodError("detector '{}' returned {} scores for {} examples of '{}'", method,
                        s.size(), split.labels.size(), what);
    }
    for (Eigen::Index i = 0; i < s.size(); ++i) {
      if (std::isnan(s(i))) {
        throw MethodError("detector '{}' returned NaN for example {} of '{}'", method, i, what);
      }
    }
  };
  SB_THROW_IF_NOT(InternalError, scores.ood.size() == data.ood.size(), "detector '{}': {} OOD score vectors for {} sets",
                  method, scores.ood.size(), data.ood.size());
  check(scores.id_test, data.test, "id_test");
  for (size_t i = 0; i < data.ood.size(); ++i) check(scores.ood[i], data.ood[i].split, data.ood[i].name);

  out.metrics = grade(scores.id_test, data.ood, scores.ood).metrics;
  out.metrics.emplace_back("id_accuracy", prepared.id_accuracy);
  const Eigen::VectorXd& id = scores.id_test;
  out.artifacts.push_back({"scores/id_test", {id.data(), id.data() + id.size()}});
  for (size_t i = 0; i < data.ood.size(); ++i) {
    const Eigen::VectorXd& s = scores.ood[i];
    out.artifacts.push_back({"scores/" + data.ood[i].name, {s.data(), s.data() + s.size()}});
  }
  return out;
}

SB_REGISTER_SUITE(OodSuite, "ood")
    .describe("Post-hoc out-of-distribution detection: detectors score a trained classifier's "
              "features/logits; graded by AUROC, AUPR-In/Out and FPR@95%TPR per OOD set, per "
              "near/far group and overall");

}  // namespace sb::ood
