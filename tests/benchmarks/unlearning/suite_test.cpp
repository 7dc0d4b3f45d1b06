// The unlearning suite end to end: forget sets as documented, the
// references equal to computing in place, the retrain method grading as the
// oracle, a registry sweep of every method on both base models, validation.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "benchmarks/unlearning/memorization.h"
#include "benchmarks/unlearning/protocol.h"
#include "estimators/models/knn_votes.h"
#include "harness/core/errors.h"
#include "harness/core/suite.h"

namespace sb::unlearning {
namespace {

std::unique_ptr<Suite> unlearning_suite() {
  const auto* entry = SuiteRegistry::instance().find("unlearning");
  if (!entry) throw InternalError("suite 'unlearning' not registered");
  return entry->make(ParamSet{});
}

ParamSet dataset_params(const std::string& name, std::map<std::string, ParamValue> given) {
  for (auto& info : unlearning_suite()->datasets())
    if (info.name == name) return resolve_params(info.params, given, "dataset " + name);
  throw InternalError("no dataset {}", name);
}

ParamSet method_params(const std::string& name, std::map<std::string, ParamValue> given = {}) {
  return resolve_params(UnlearnerRegistry::instance().find(name)->info.params, given, "method " + name);
}

std::map<std::string, double> as_map(const std::vector<std::pair<std::string, double>>& m) {
  return {m.begin(), m.end()};
}

bool applies_to(const std::string& method, BaseKind kind) {
  const auto bases = UnlearnerRegistry::instance().find(method)->make(method_params(method))->bases();
  return std::find(bases.begin(), bases.end(), kind) != bases.end();
}

std::map<std::string, ParamValue> gaussian(std::string forget, std::string model = "logistic") {
  return {{"n", std::int64_t{400}}, {"d", std::int64_t{4}}, {"classes", std::int64_t{3}}, {"separation", 1.5},
          {"n_train", std::int64_t{200}}, {"n_test", std::int64_t{100}}, {"n_heldout", std::int64_t{100}},
          {"forget", forget}, {"fraction", 0.1}, {"forget_class", std::int64_t{1}}, {"clusters", std::int64_t{3}},
          {"model", model}};
}

TEST(UnlearningSuite, ForgetSetsAreDrawnAsDocumented) {
  const auto random = prepare("gaussian-classifier", dataset_params("gaussian-classifier", gaussian("random")), 4);
  EXPECT_EQ(random->data.forget.size(), 20u);  // round(0.1 * 200)
  const auto cls = prepare("gaussian-classifier", dataset_params("gaussian-classifier", gaussian("class")), 4);
  std::vector<Eigen::Index> of_class;
  for (Eigen::Index i = 0; i < cls->data.train.rows(); ++i)
    if (cls->data.train.y(i) == 1) of_class.push_back(i);
  EXPECT_EQ(cls->data.forget, of_class);
  const auto cluster = prepare("gaussian-classifier", dataset_params("gaussian-classifier", gaussian("cluster")), 4);
  EXPECT_FALSE(cluster->data.forget.empty());
  EXPECT_LT(cluster->data.forget.size(), of_class.size());
  EXPECT_TRUE(std::includes(of_class.begin(), of_class.end(), cluster->data.forget.begin(), cluster->data.forget.end()));
  // mislabeled: the same split as `random` (the forget stream comes after it); labels differ exactly on the forget rows.
  const auto flipped = prepare("gaussian-classifier", dataset_params("gaussian-classifier", gaussian("mislabeled")), 4);
  ASSERT_EQ(flipped->data.train.x, random->data.train.x);
  std::vector<Eigen::Index> changed;
  for (Eigen::Index i = 0; i < flipped->data.train.rows(); ++i)
    if (flipped->data.train.y(i) != random->data.train.y(i)) changed.push_back(i);
  EXPECT_EQ(changed, flipped->data.forget);
  EXPECT_EQ(changed.size(), 20u);
  for (const auto* p : {random.get(), cls.get(), cluster.get(), flipped.get()}) {  // a partition, in order
    std::vector<Eigen::Index> all = p->data.forget;
    all.insert(all.end(), p->data.retain.begin(), p->data.retain.end());
    std::sort(all.begin(), all.end());
    for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i], static_cast<Eigen::Index>(i));
    EXPECT_EQ(all.size(), 200u);
  }
}

TEST(UnlearningSuite, WorstCaseForgetSetMovesTheOracleFurtherThanRandom) {
  // The same split under both kinds (the split does not depend on `forget`):
  // the greedy worst-case set of round(0.1 * 200) = 20 rows moves the oracle
  // further from the original than the random set of the same size.
  for (const std::uint64_t seed : {4u, 5u}) {
    const auto random = prepare("gaussian-classifier", dataset_params("gaussian-classifier", gaussian("random")), seed);
    const auto worst =
        prepare("gaussian-classifier", dataset_params("gaussian-classifier", gaussian("worst-case")), seed);
    ASSERT_EQ(worst->data.train.x, random->data.train.x);
    EXPECT_EQ(worst->data.forget.size(), 20u);
    EXPECT_EQ(worst->original, random->original);
    const double worst_gap = (worst->oracle - worst->original).norm();
    const double random_gap = (random->oracle - random->original).norm();
    EXPECT_GT(worst_gap, random_gap);
    std::printf("seed %llu: worst-case gap %.4f, random gap %.4f\n", static_cast<unsigned long long>(seed), worst_gap,
                random_gap);
    // Deterministic: a second preparation gives the same set.
    EXPECT_EQ(prepare("gaussian-classifier", dataset_params("gaussian-classifier", gaussian("worst-case")), seed)
                  ->data.forget,
              worst->data.forget);
  }
}

TEST(UnlearningSuite, HighMemorizationForgetSetIsTheTopScores) {
  const auto p =
      prepare("gaussian-classifier", dataset_params("gaussian-classifier", gaussian("high-memorization")), 4);
  ASSERT_EQ(p->data.forget.size(), 20u);
  const Eigen::VectorXd scores = memorization_scores(p->model, p->data.train_z, p->data.train.y, 3, "influence");
  double lowest_forgotten = 1e300, highest_kept = -1e300;
  for (auto i : p->data.forget) lowest_forgotten = std::min(lowest_forgotten, scores(i));
  for (auto i : p->data.retain) highest_kept = std::max(highest_kept, scores(i));
  EXPECT_GE(lowest_forgotten, highest_kept);
}

TEST(UnlearningSuite, LabelFreeRequestsHideTheForgetLabels) {
  // Every method that does not declare it needs the forget labels runs with
  // them hidden (-1: reading one throws) and returns exactly the model it
  // returns with them; the six that need them are refused.
  const auto suite = unlearning_suite();
  const std::set<std::string> need_labels = {"gradient-ascent", "influence-unlearning", "neggrad-plus",
                                             "random-labels",   "ridge-exact",          "salun"};
  for (const std::string model : {"logistic", "ridge"}) {
    auto given = gaussian("random", model);
    const auto labelled_params = dataset_params("gaussian-classifier", given);
    given["label_free"] = true;
    const auto free_params = dataset_params("gaussian-classifier", given);
    const auto labelled = prepare("gaussian-classifier", labelled_params, 3);
    const auto label_free = prepare("gaussian-classifier", free_params, 3);
    ASSERT_TRUE(label_free->label_free);
    ASSERT_EQ(label_free->data.forget, labelled->data.forget);
    ASSERT_EQ(label_free->oracle, labelled->oracle);
    for (const auto& info : suite->methods()) {
      SCOPED_TRACE(info.name + " on " + model);
      if (!applies_to(info.name, BaseKind::kLinear)) continue;  // other bases: their own tests
      CellSpec cell{"unlearning", "gaussian-classifier", free_params, info.name, method_params(info.name), 3, nullptr};
      const bool refused = !suite->incompatibility(cell).empty();
      if (need_labels.count(info.name)) {
        EXPECT_TRUE(refused);
        EXPECT_THROW(run_unlearner(*label_free, info.name, cell.method_params, 3), InputError);
        continue;
      }
      ASSERT_FALSE(refused);
      auto hidden = as_map(run_unlearner(*label_free, info.name, cell.method_params, 3).metrics);
      auto shown = as_map(run_unlearner(*labelled, info.name, cell.method_params, 3).metrics);
      hidden.erase("speedup"), shown.erase("speedup");
      EXPECT_EQ(hidden, shown);
    }
  }
  // The hidden copy: -1 exactly at the forget labels, and a loss on them throws.
  const auto p = prepare("gaussian-classifier", dataset_params("gaussian-classifier", gaussian("random")), 3);
  const UnlearningData hidden = without_forget_labels(p->data);
  EXPECT_TRUE((hidden.forget_y.array() == -1).all());
  for (Eigen::Index i = 0; i < hidden.train.rows(); ++i) {
    const bool forgotten = std::binary_search(p->data.forget.begin(), p->data.forget.end(), i);
    EXPECT_EQ(hidden.train.y(i), forgotten ? -1 : p->data.train.y(i));
  }
  EXPECT_EQ(hidden.retain_y, p->data.retain_y);
  Eigen::MatrixXd g;
  EXPECT_THROW(models::linear_objective(p->model, hidden.forget_z, hidden.forget_y, p->original, &g), InputError);
}

TEST(UnlearningSuite, ReferencesGiveTheSameReplicationAsComputingInPlace) {
  const auto params = dataset_params("wine", {{"n_train", std::int64_t{100}}, {"n_test", std::int64_t{40}},
                                              {"n_heldout", std::int64_t{30}}, {"forget", std::string("class")}});
  const auto in_place = prepare("wine", params, 3);
  const CellOutput original = compute_original("wine", params, 3), oracle = compute_oracle("wine", params, 3);
  const auto shipped = prepare("wine", params, 3, &original, &oracle);
  EXPECT_EQ(shipped->original, in_place->original);
  EXPECT_EQ(shipped->oracle, in_place->oracle);
  // The oracle never saw the forgotten class: it predicts it for no retain row.
  const Eigen::MatrixXd p = ensemble_predictions(shipped->model, {shipped->oracle}, shipped->data.retain_z);
  EXPECT_LT(p.col(0).maxCoeff(), 0.5);
  EXPECT_GT(ensemble_predictions(shipped->model, {shipped->original}, shipped->data.forget_z).col(0).minCoeff(), 0.5);
}

TEST(UnlearningSuite, RetrainGradesAsTheOracle) {
  const auto prepared =
      prepare("gaussian-classifier", dataset_params("gaussian-classifier", gaussian("mislabeled")), 5);
  const auto m = as_map(run_unlearner(*prepared, "retrain", method_params("retrain"), 5).metrics);
  for (const char* gap : {"gap_forget", "gap_retain", "gap_test", "gap_mia", "avg_gap", "kl_forget", "kl_test",
                          "param_rel_l2", "privleak", "abs_privleak", "gap_mia_efficacy"})
    EXPECT_EQ(m.at(gap), 0.0) << gap;
  EXPECT_EQ(m.at("forget_quality"), 1.0);
  EXPECT_LT(m.at("grad_residual"), 200 * 1e-10 * 10);
  EXPECT_GT(m.at("speedup"), 0.0);
  // The original model is no unlearning: it remembers (a gap, a lower forget loss than the oracle's).
  UnlearnedModel original{{prepared->original}, {}};
  const auto g = as_map(grade(*prepared, original));
  EXPECT_GT(g.at("param_rel_l2"), 0.0);
  EXPECT_GT(g.at("kl_forget"), 0.0);
  EXPECT_GT(g.at("mia_auroc"), m.at("mia_auroc"));
}

TEST(UnlearningSuite, RanksOnTheAverageGapAndNeverOnScoresReadAgainstTheOracle) {
  const auto infos = unlearning_suite()->metrics();
  EXPECT_EQ(primary_metric(infos), "avg_gap");  // the default of leaderboards, CD diagrams, compare
  for (const std::string name : {"acc_forget", "mse_forget", "mia_auroc", "mia_efficacy", "privleak"}) {
    const auto it = std::find_if(infos.begin(), infos.end(), [&](const MetricInfo& m) { return m.name == name; });
    ASSERT_NE(it, infos.end()) << name;
    EXPECT_FALSE(it->has_direction) << name << ": over-unlearning would rank as better";
  }
}

TEST(UnlearningSuite, RegistrySweepRunsEveryMethodOnEveryBaseModel) {
  const auto suite = unlearning_suite();
  std::set<std::string> declared;
  for (const auto& info : suite->metrics()) declared.insert(info.name);
  const auto methods = suite->methods();
  ASSERT_GE(methods.size(), 13u);
  for (const std::string model : {"logistic", "ridge", "knn", "mlp"}) {
    auto given = gaussian("random", model);
    given["mlp_epochs"] = std::int64_t{5};
    given["noise_seeds"] = std::int64_t{2};
    const auto params = dataset_params("gaussian-classifier", given);
    const BaseKind kind = model == "knn" ? BaseKind::kKnn : model == "mlp" ? BaseKind::kMlp : BaseKind::kLinear;
    const auto prepared = prepare("gaussian-classifier", params, 2);
    for (const auto& info : methods) {
      SCOPED_TRACE(info.name + " on " + model);
      EXPECT_FALSE(info.paper.empty());
      CellSpec cell{"unlearning", "gaussian-classifier", params, info.name, method_params(info.name), 2, nullptr};
      if (!suite->incompatibility(cell).empty()) {
        EXPECT_TRUE(info.name == "ridge-exact" || !applies_to(info.name, kind));
        continue;
      }
      EXPECT_TRUE(applies_to(info.name, kind));
      const CellOutput out = run_unlearner(*prepared, info.name, cell.method_params, 2);
      auto metrics = as_map(out.metrics);
      for (const auto& [name, v] : metrics) {
        EXPECT_TRUE(declared.count(name)) << name << " is not declared";
        EXPECT_TRUE(std::isfinite(v)) << name;
      }
      for (const char* name : {"acc_forget", "acc_retain", "acc_test", "mia_auroc", "avg_gap", "forget_quality"})
        EXPECT_TRUE(metrics.count(name)) << name;
      // Deterministic given the seed (speedup is a timing).
      auto again = as_map(run_unlearner(*prepared, info.name, cell.method_params, 2).metrics);
      metrics.erase("speedup"), again.erase("speedup");
      EXPECT_EQ(again, metrics);
    }
  }
}

TEST(UnlearningSuite, RunsACellThroughItsReferencesAndRejectsBadConfigs) {
  const auto suite = unlearning_suite();
  const auto params = dataset_params("gaussian-classifier", gaussian("class"));
  CellSpec cell{"unlearning", "gaussian-classifier", params, "finetune", method_params("finetune"), 1, nullptr};
  CellCache cache;
  const auto via_suite = as_map(run_cell_in_process(*suite, cell, cache).metrics);
  const auto direct = as_map(run_unlearner(*prepare("gaussian-classifier", params, 1), "finetune",
                                           cell.method_params, 1).metrics);
  EXPECT_EQ(via_suite.at("avg_gap"), direct.at("avg_gap"));
  EXPECT_EQ(via_suite.at("param_rel_l2"), direct.at("param_rel_l2"));
  cell.method = "ridge-exact";
  cell.method_params = method_params("ridge-exact");
  EXPECT_NE(suite->incompatibility(cell), "");
  EXPECT_THROW(suite->validate_dataset("wine", dataset_params("wine", {{"n_train", std::int64_t{170}}})), InputError);
  EXPECT_THROW(prepare("wine", dataset_params("wine", {{"n_train", std::int64_t{60}}, {"n_test", std::int64_t{20}},
                                                      {"n_heldout", std::int64_t{20}}, {"forget", std::string("class")},
                                                      {"forget_class", std::int64_t{5}}}), 1),
               InputError);
}

}  // namespace
}  // namespace sb::unlearning

namespace sb::unlearning {
namespace {

// An independent kNN: sort every kept row by (distance, row), count the k nearest labels.
Eigen::MatrixXd brute_force_knn(const Eigen::MatrixXd& points, const Eigen::VectorXi& labels,
                                const std::vector<Eigen::Index>& kept, const Eigen::MatrixXd& queries, int k,
                                int classes) {
  Eigen::MatrixXd out = Eigen::MatrixXd::Zero(queries.rows(), classes);
  for (Eigen::Index q = 0; q < queries.rows(); ++q) {
    std::vector<std::pair<double, Eigen::Index>> all;
    for (auto i : kept) {
      double d2 = 0;
      for (Eigen::Index j = 0; j < points.cols(); ++j) d2 += std::pow(points(i, j) - queries(q, j), 2);
      all.push_back({d2, i});
    }
    std::sort(all.begin(), all.end());
    for (int j = 0; j < k; ++j) out(q, labels(all[static_cast<size_t>(j)].second)) += 1;
  }
  return (out.array() + 1.0) / static_cast<double>(k + classes);
}

TEST(KnnBase, VoteProbabilitiesByHand) {
  // Points 0, 1, 3, 10 on a line with labels 0, 1, 1, 0; query 1.9, k = 3: rows 1 (0.81), 2 (1.21), 0 (3.61).
  Eigen::MatrixXd points(4, 1);
  points << 0, 1, 3, 10;
  Eigen::VectorXi labels(4);
  labels << 0, 1, 1, 0;
  Eigen::MatrixXd q(1, 1);
  q << 1.9;
  const auto p = models::knn_vote_probabilities(points, labels, {0, 1, 2, 3}, q, 3, 2);
  EXPECT_DOUBLE_EQ(p(0, 0), 2.0 / 5.0);  // (1 + 1) / (3 + 2)
  EXPECT_DOUBLE_EQ(p(0, 1), 3.0 / 5.0);  // (2 + 1) / (3 + 2)
  // Without row 1 the nearest three are 2, 0, 3: votes 2 for class 0.
  const auto r = models::knn_vote_probabilities(points, labels, {0, 2, 3}, q, 3, 2);
  EXPECT_DOUBLE_EQ(r(0, 0), 3.0 / 5.0);
  // Tie at distance 1 from 0.5 + 0.5: query 0.5, k = 1 takes the lower row (0).
  q << 0.5;
  EXPECT_DOUBLE_EQ(models::knn_vote_probabilities(points, labels, {1, 0}, q, 1, 2)(0, 0), 2.0 / 3.0);
}

TEST(KnnBase, DeletionEqualsRetrainingExactly) {
  for (const char* forget : {"random", "class", "worst-case"}) {
    SCOPED_TRACE(forget);
    auto given = gaussian(forget, "knn");
    given["knn_k"] = std::int64_t{7};
    const auto params = dataset_params("gaussian-classifier", given);
    const auto p = prepare("gaussian-classifier", params, 4);
    ASSERT_EQ(p->base.kind, BaseKind::kKnn);
    ASSERT_EQ(p->oracle.rows(), static_cast<Eigen::Index>(p->data.retain.size()));
    // The oracle predictions equal an independent brute-force kNN on the retain rows.
    const Eigen::MatrixXd independent =
        brute_force_knn(p->data.train.x, p->data.train.y, p->data.retain, p->data.test.x, 7, 3);
    EXPECT_LT((base_predictions(*p, {p->oracle}, p->data.test_z) - independent).cwiseAbs().maxCoeff(), 1e-15);
    const auto m = as_map(run_unlearner(*p, "knn-deletion", method_params("knn-deletion"), 4).metrics);
    for (const char* gap : {"gap_forget", "gap_retain", "gap_test", "gap_mia", "avg_gap", "kl_forget", "kl_test",
                            "abs_privleak", "gap_mia_efficacy"})
      EXPECT_EQ(m.at(gap), 0.0) << gap;
    EXPECT_EQ(m.at("forget_quality"), 1.0);
    // The original remembers: a kNN predicts a stored row from itself.
    const auto g = as_map(grade(*p, UnlearnedModel{{p->original}, {}}));
    EXPECT_GT(g.at("kl_forget"), 0.0);
    EXPECT_GT(g.at("mia_auroc"), m.at("mia_auroc"));
  }
}

TEST(MlpBase, RetrainIsTheOracleAndGapsAreReadAgainstTheNoiseFloor) {
  auto given = gaussian("random", "mlp");
  given["mlp_epochs"] = std::int64_t{10};
  given["noise_seeds"] = std::int64_t{3};
  const auto params = dataset_params("gaussian-classifier", given);
  const auto p = prepare("gaussian-classifier", params, 6);
  ASSERT_EQ(p->noise_retrains.size(), 3u);
  // Bitwise deterministic given the seed, and the noise retrains differ from the oracle.
  const auto again = prepare("gaussian-classifier", params, 6);
  EXPECT_EQ(again->oracle, p->oracle);
  EXPECT_EQ(again->original, p->original);
  for (const auto& r : p->noise_retrains) EXPECT_GT((r - p->oracle).norm(), 0.0);
  // The retrain oracle fits the retain rows (the MLP learned something).
  const auto m = as_map(run_unlearner(*p, "retrain", method_params("retrain"), 6).metrics);
  EXPECT_GT(m.at("acc_retain"), 0.7);
  for (const char* gap : {"gap_forget", "gap_test", "avg_gap", "kl_test", "param_rel_l2"}) EXPECT_EQ(m.at(gap), 0.0);
  // The floor: the mean of each noise retrain's own gap, recomputed here one by one.
  Prepared bare = *p;
  bare.noise_floor.clear();
  double avg = 0, rel = 0;
  for (const auto& r : p->noise_retrains) {
    const auto g = as_map(grade(bare, UnlearnedModel{{r}, {}}));
    avg += g.at("avg_gap") / 3, rel += g.at("param_rel_l2") / 3;
  }
  EXPECT_DOUBLE_EQ(m.at("noise_floor"), avg);
  ASSERT_GT(rel, 0.0);
  const auto o = as_map(grade(*p, UnlearnedModel{{p->original}, {}}));
  EXPECT_DOUBLE_EQ(o.at("param_rel_l2/noise_floor"), o.at("param_rel_l2") / rel);
  EXPECT_DOUBLE_EQ(m.at("param_rel_l2/noise_floor"), 0.0);
}

}  // namespace
}  // namespace sb::unlearning

namespace sb::unlearning {
namespace {

// Successive requests: the requests partition a random forget set; the exact
// methods answer k requests exactly as one request of their union (the final
// state) and each request is graded against its own oracle; the other methods
// are refused (at planning, and with InputError when run).
TEST(SequentialRequests, ExactMethodsEqualOneRequestOfTheUnion) {
  const auto suite = unlearning_suite();
  for (const std::string model : {"ridge", "logistic", "knn"}) {
    SCOPED_TRACE(model);
    auto given = gaussian("sequential", model);
    given["requests"] = std::int64_t{3};
    const auto params = dataset_params("gaussian-classifier", given);
    const auto p = prepare("gaussian-classifier", params, 7);
    ASSERT_EQ(p->data.requests.size(), 3u);
    std::vector<Eigen::Index> all;
    for (const auto& r : p->data.requests) {
      EXPECT_FALSE(r.empty());
      all.insert(all.end(), r.begin(), r.end());
    }
    std::sort(all.begin(), all.end());
    EXPECT_EQ(all, p->data.forget);  // a partition of the forget set (20 rows: 10%)
    EXPECT_EQ(all.size(), 20u);
    ASSERT_EQ(p->request_oracles.size(), 3u);
    EXPECT_EQ(p->request_oracles.back(), p->oracle);
    // The union as one request: the same replication drawn as "random" (same seed, same rows).
    auto once = given;
    once["forget"] = std::string("random");
    const auto q = prepare("gaussian-classifier", dataset_params("gaussian-classifier", once), 7);
    ASSERT_EQ(q->data.forget, p->data.forget);
    // Exact methods, plus amnesiac without repair (each stored update subtracted once) and, on ridge,
    // newton-removal without perturbation (one Newton step is exact on a quadratic objective).
    std::vector<std::string> exact = {"retrain", "sisa", "amnesiac"};
    if (model == "ridge") exact.insert(exact.end(), {"ridge-exact", "newton-removal"});
    if (model == "knn") exact = {"retrain", "knn-deletion"};
    for (const auto& method : exact) {
      SCOPED_TRACE(method);
      std::map<std::string, ParamValue> given_method;
      if (method == "amnesiac") given_method["repair_epochs"] = std::int64_t{0};
      CellSpec cell{"unlearning", "gaussian-classifier", params, method, method_params(method, given_method), 7,
                    nullptr};
      ASSERT_EQ(suite->incompatibility(cell), "");
      auto seq = as_map(run_unlearner(*p, method, cell.method_params, 7).metrics);
      auto one = as_map(run_unlearner(*q, method, cell.method_params, 7).metrics);
      for (const char* m : {"acc_forget", "acc_retain", "acc_test", "mia_auroc", "avg_gap", "kl_test"})
        EXPECT_NEAR(seq.at(m), one.at(m), 1e-9) << m;
      if (one.count("param_rel_l2")) {
        EXPECT_NEAR(seq.at("param_rel_l2"), one.at("param_rel_l2"), 1e-9);
      }
      // The last request's sub-metrics are the final state's; every request is graded against its own oracle.
      EXPECT_EQ(seq.at("avg_gap/request_3"), seq.at("avg_gap"));
      if (method != "sisa" && method != "amnesiac") {  // the others are each request's oracle
        for (int j = 1; j <= 3; ++j) EXPECT_NEAR(seq.at(fmt::format("avg_gap/request_{}", j)), 0.0, 1e-9);
        if (seq.count("param_rel_l2/request_2")) {
          EXPECT_LT(seq.at("param_rel_l2/request_2"), 1e-9);
        }
      }
    }
  }
}

TEST(SequentialRequests, ApproximateMethodsAreChainedFromThePreviousModel) {
  // A method without its own per-request state: request j starts from the model request j-1 returned,
  // with the random stream derive_seed(method seed, "request/j"). Replayed here by hand.
  auto given = gaussian("sequential", "logistic");
  given["requests"] = std::int64_t{3};
  const auto params = dataset_params("gaussian-classifier", given);
  const auto p = prepare("gaussian-classifier", params, 5);
  for (const std::string method : {"finetune", "gradient-ascent", "influence-unlearning"}) {
    SCOPED_TRACE(method);
    CellSpec cell{"unlearning", "gaussian-classifier", params, method, method_params(method), 5, nullptr};
    ASSERT_EQ(unlearning_suite()->incompatibility(cell), "");
    const auto seq = as_map(run_unlearner(*p, method, cell.method_params, 5).metrics);

    auto unlearner = UnlearnerRegistry::instance().find(method)->make(cell.method_params);
    UnlearningContext ctx;
    ctx.data = &p->data;
    ctx.model = p->model;
    ctx.base = p->base;
    ctx.original = &p->original;
    ctx.seed = derive_seed(5, "unlearning/method");
    ctx.base_seed = mlp_seed(5);
    unlearner->train(ctx);
    const std::uint64_t seed0 = ctx.seed;
    Eigen::MatrixXd model = p->original, from_original;
    for (size_t j = 0; j < 3; ++j) {
      const UnlearningData view = request_view(p->data, j, false);
      ctx.data = &view;
      const Eigen::MatrixXd start = model;
      ctx.original = &start;
      ctx.seed = j == 0 ? seed0 : derive_seed(seed0, fmt::format("request/{}", j));
      model = unlearner->unlearn(ctx).thetas.at(0);
      if (j == 2) {
        ctx.original = &p->original;  // the last request alone, from the original: not what a chain gives
        from_original = unlearner->unlearn(ctx).thetas.at(0);
      }
    }
    Prepared final_state = *p;
    final_state.data = request_view(p->data, 2, true);
    const auto by_hand = as_map(grade(final_state, UnlearnedModel{{model}, {}}));
    for (const char* m : {"acc_forget", "acc_retain", "acc_test", "mia_auroc", "avg_gap", "kl_test", "param_rel_l2"}) {
      EXPECT_NEAR(seq.at(m), by_hand.at(m), 1e-12) << m;
      EXPECT_EQ(seq.at(fmt::format("{}/request_3", m)), seq.at(m)) << m;
    }
    const auto unchained = as_map(grade(final_state, UnlearnedModel{{from_original}, {}}));
    EXPECT_GT(std::abs(unchained.at("param_rel_l2") - seq.at("param_rel_l2")), 1e-6);
  }
}

TEST(SequentialRequests, NewtonRemovalAddsUpItsCertificateBudgetAcrossRequests) {
  auto given = gaussian("sequential", "logistic");
  given["requests"] = std::int64_t{3};
  const auto p = prepare("gaussian-classifier", dataset_params("gaussian-classifier", given), 3);
  // A budget large enough for every request: the spent share grows with each request.
  auto m = as_map(run_unlearner(*p, "newton-removal",
                                method_params("newton-removal", {{"sigma", 1.0}, {"epsilon", 1000.0}}), 3)
                      .metrics);
  for (int j = 1; j <= 3; ++j) EXPECT_EQ(m.at(fmt::format("retrained/request_{}", j)), 0.0);
  EXPECT_GT(m.at("budget_used/request_1"), 0.0);
  EXPECT_GT(m.at("budget_used/request_2"), m.at("budget_used/request_1"));
  EXPECT_GT(m.at("budget_used/request_3"), m.at("budget_used/request_2"));
  for (int j = 1; j <= 3; ++j)  // epsilon_spent = epsilon * budget_used without a retrain
    EXPECT_NEAR(m.at(fmt::format("epsilon_spent/request_{}", j)), 1000.0 * m.at(fmt::format("budget_used/request_{}", j)),
                1e-9 * m.at(fmt::format("epsilon_spent/request_{}", j)));
  // A budget the first request alone exceeds: every request retrains, and the spent budget starts again.
  const double first = m.at("budget_used/request_1") * 1000.0;  // epsilon that request 1 spends
  m = as_map(run_unlearner(*p, "newton-removal",
                           method_params("newton-removal", {{"sigma", 1.0}, {"epsilon", first / 2}}), 3)
                 .metrics);
  EXPECT_EQ(m.at("retrained/request_1"), 1.0);
  EXPECT_LT(m.at("epsilon_spent/request_1"), first / 2);
}

TEST(SequentialRequests, RidgeExactDowndatesItsInverseBetweenRequests) {
  // After each request the model equals the normal equations of the rows still kept (1e-10).
  auto given = gaussian("sequential", "ridge");
  given["requests"] = std::int64_t{4};
  const auto p = prepare("gaussian-classifier", dataset_params("gaussian-classifier", given), 2);
  for (size_t j = 0; j < 4; ++j) {
    const UnlearningData view = request_view(p->data, j, true);
    Eigen::MatrixXd y = Eigen::MatrixXd::Zero(view.retain_z.rows(), 3);
    for (Eigen::Index i = 0; i < y.rows(); ++i) y(i, view.retain_y(i)) = 1;
    Eigen::MatrixXd a = view.retain_z.transpose() * view.retain_z;
    a.diagonal().array() += p->model.lambda;
    const Eigen::MatrixXd direct = a.ldlt().solve(view.retain_z.transpose() * y);
    EXPECT_LT((p->request_oracles[j] - direct).cwiseAbs().maxCoeff(), 1e-10);
  }
  const auto m = as_map(run_unlearner(*p, "ridge-exact", method_params("ridge-exact"), 2).metrics);
  for (int j = 1; j <= 4; ++j) EXPECT_LT(m.at(fmt::format("param_rel_l2/request_{}", j)), 1e-10) << j;
}

}  // namespace
}  // namespace sb::unlearning
