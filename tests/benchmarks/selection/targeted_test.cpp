// Targeted selection and the domain options of the selection suite: hashed
// features and KL by hand, targeted/out-of-domain/flip_valid replications,
// the targeted metrics and the planning checks.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "benchmarks/selection/hashed_features.h"
#include "benchmarks/selection/metrics.h"
#include "benchmarks/selection/protocol.h"
#include "benchmarks/selection/targeted.h"
#include "datasets/synthetic.h"
#include "harness/core/errors.h"
#include "harness/core/suite.h"

namespace sb::selection {
namespace {

ParamSet dataset_params(const std::string& name, std::map<std::string, ParamValue> given) {
  const auto* entry = SuiteRegistry::instance().find("selection");
  for (auto& info : entry->make(ParamSet{})->datasets()) {
    if (info.name == name) return resolve_params(info.params, given, "dataset " + name);
  }
  throw InternalError("no dataset {}", name);
}

std::map<std::string, double> as_map(const std::vector<std::pair<std::string, double>>& m) { return {m.begin(), m.end()}; }

data::Table four_classes() {
  data::GaussianClassifierOptions g;
  g.n = 600, g.d = 3, g.classes = 4, g.separation = 2.0;
  return data::gaussian_classifier(g, 11);
}

TEST(HashedFeatures, QuantiseAndCountByHand) {
  HashedFeatureOptions o;  // 8 bins over [-3, 3]: width 0.75
  EXPECT_EQ(quantise(0.1, o), 4);
  EXPECT_EQ(quantise(-2.0, o), 1);
  EXPECT_EQ(quantise(-7.0, o), 0);
  EXPECT_EQ(quantise(3.0, o), 7);
  EXPECT_EQ(quantise(-0.75, o), 3);
  Eigen::MatrixXd x(2, 3);
  x << 0.1, -2.0, 5.0, 0.1, -2.0, 5.0;
  const Eigen::MatrixXd c = hashed_counts(x, o);
  EXPECT_DOUBLE_EQ(c.row(0).sum(), 5.0);  // 3 unigrams + 2 bigrams
  EXPECT_EQ(c.row(0), c.row(1));
  EXPECT_GE(c(0, unigram_bucket(0, 4, o)), 1.0);
  EXPECT_GE(c(0, unigram_bucket(1, 1, o)), 1.0);
  EXPECT_GE(c(0, bigram_bucket(1, 1, 7, o)), 1.0);
  o.bigrams = false;
  EXPECT_DOUBLE_EQ(hashed_counts(x, o).row(0).sum(), 3.0);
}

TEST(HashedFeatures, SmoothedDistributionAndKlByHand) {
  Eigen::MatrixXd counts(3, 2);
  counts << 2, 0, 1, 1, 0, 3;
  const Eigen::VectorXd all = smoothed_distribution(counts);  // (3 + 1, 4 + 1) / 9
  EXPECT_NEAR(all(0), 4.0 / 9, 1e-15);
  const Eigen::VectorXd first = smoothed_distribution(counts, {0});  // (3, 1) / 4
  EXPECT_NEAR(first(1), 0.25, 1e-15);
  EXPECT_NEAR(kl_divergence(first, all), 0.75 * std::log(0.75 / (4.0 / 9)) + 0.25 * std::log(0.25 / (5.0 / 9)), 1e-15);
  EXPECT_DOUBLE_EQ(kl_divergence(all, all), 0.0);
  TargetSpace space;
  space.train_counts = counts;
  space.target = first;
  EXPECT_NEAR(kl_toward_target(space, {2}), 0.75 * std::log(0.75 / 0.2) + 0.25 * std::log(0.25 / 0.8), 1e-15);
}

TEST(TargetedData, TrainingMixesTheDomainsAndValidationAndTestAreTarget) {
  CommonParams c;
  c.n_train = 80, c.n_valid = 40, c.n_test = 40, c.corruption = "none";
  c.target_classes = "0,2", c.target_share = 0.25;
  const SelectionData d = make_selection_data(four_classes(), c, 3);
  ASSERT_EQ(d.in_target.size(), 80u);
  EXPECT_EQ(std::count(d.in_target.begin(), d.in_target.end(), 1), 20);
  for (Eigen::Index i = 0; i < 80; ++i) {
    const int y = d.train.y(i);
    EXPECT_EQ(d.in_target[static_cast<size_t>(i)] != 0, y == 0 || y == 2);
  }
  for (const data::Table* t : {&d.valid, &d.test})
    for (Eigen::Index i = 0; i < t->rows(); ++i) EXPECT_TRUE(t->y(i) == 0 || t->y(i) == 2);
  EXPECT_EQ(d.num_classes, 4);
  // Without target classes: no mask, and the same replication as before the option existed.
  c.target_classes = "";
  EXPECT_TRUE(make_selection_data(four_classes(), c, 3).in_target.empty());
}

TEST(TargetedData, OutOfDomainRowsComeFromTheHeldOutClasses) {
  CommonParams c;
  c.n_train = 60, c.n_valid = 30, c.n_test = 30, c.corruption = "out_of_domain", c.rate = 0.2;
  c.held_out_classes = "3";
  const data::Table table = four_classes();
  const SelectionData d = make_selection_data(table, c, 5);
  EXPECT_EQ(d.num_classes, 3);
  EXPECT_EQ(std::count(d.corrupted.begin(), d.corrupted.end(), 1), 12);
  c.corruption = "none";
  const SelectionData clean = make_selection_data(table, c, 5);
  for (Eigen::Index i = 0; i < 60; ++i) {
    EXPECT_EQ(d.train.y(i), clean.train.y(i));
    EXPECT_LT(d.train.y(i), 3);
    EXPECT_EQ((d.train.x.row(i) - clean.train.x.row(i)).norm() > 0, d.corrupted[static_cast<size_t>(i)] != 0);
  }
  EXPECT_EQ(d.valid.x, clean.valid.x);
  // Targets and held-out classes combine: target 0 is renumbered but stays class 0.
  c.target_classes = "0", c.target_share = 0.5, c.held_out_classes = "1";
  const SelectionData both = make_selection_data(table, c, 5);
  for (Eigen::Index i = 0; i < both.valid.rows(); ++i) EXPECT_EQ(both.valid.y(i), 0);
  c.target_classes = "1";
  EXPECT_THROW(make_selection_data(table, c, 5), InputError);  // held out
}

TEST(TargetedData, FlipValidFlipsOnlyTheMarkedValidationLabels) {
  CommonParams c;
  c.n_train = 50, c.n_valid = 40, c.n_test = 20, c.rate = 0.25;
  const data::Table table = four_classes();
  const SelectionData plain = make_selection_data(table, c, 8);
  c.flip_valid = true;
  const SelectionData flipped = make_selection_data(table, c, 8);
  EXPECT_EQ(std::count(plain.valid_corrupted.begin(), plain.valid_corrupted.end(), 1), 0);
  EXPECT_EQ(std::count(flipped.valid_corrupted.begin(), flipped.valid_corrupted.end(), 1), 10);
  EXPECT_EQ(flipped.train.y, plain.train.y);  // the training flips are unchanged
  EXPECT_EQ(flipped.corrupted, plain.corrupted);
  for (Eigen::Index i = 0; i < 40; ++i)
    EXPECT_EQ(flipped.valid.y(i) != plain.valid.y(i), flipped.valid_corrupted[static_cast<size_t>(i)] != 0) << i;
}

TEST(TargetedMetrics, PerfectTargetDetectorAndTheKlReductionRecomputed) {
  const auto params = dataset_params("gaussian-classifier",
                                     {{"n", std::int64_t{600}}, {"d", std::int64_t{3}}, {"classes", std::int64_t{4}},
                                      {"separation", 2.0}, {"n_train", std::int64_t{80}}, {"n_valid", std::int64_t{40}},
                                      {"n_test", std::int64_t{60}}, {"corruption", std::string("none")},
                                      {"exact_loo", false}, {"target_classes", std::string("1,3")}, {"target_share", 0.3}});
  const auto prepared = prepare("gaussian-classifier", params, 2);
  const SelectionData& d = prepared->data;
  std::vector<double> perfect(d.in_target.begin(), d.in_target.end());
  for (size_t i = 0; i < perfect.size(); ++i) perfect[i] += 1e-3 * static_cast<double>(i % 7);  // break ties
  const auto m = as_map(grade(*prepared, perfect));
  EXPECT_DOUBLE_EQ(m.at("target_auroc"), 1.0);
  EXPECT_FALSE(m.count("noisy_f1"));  // nothing corrupted
  // kl_reduction_k = mean KL of 5 random k-subsets minus the top k's, recomputed.
  const auto random = random_selection_kl(d, kRandomSelections, derive_seed(2, "selection/random-kl"));
  EXPECT_EQ(random, prepared->random_kl);
  const TargetSpace space = target_space(d, target_metric_features());
  const auto order = value_order(perfect, false);
  const std::vector<Eigen::Index> top20(order.begin(), order.begin() + 16);  // 20% of 80
  EXPECT_DOUBLE_EQ(m.at("kl_reduction_20"), random[1] - kl_toward_target(space, top20));
  EXPECT_GT(m.at("kl_reduction_20"), 0.0);  // target rows are closer to the target than a random mix
  const Utility utility(d, prepared->utility);
  EXPECT_DOUBLE_EQ(m.at("target_accuracy_20"), utility.test_accuracy(top20));
  EXPECT_DOUBLE_EQ(m.at("select_20"), m.at("target_accuracy_20") - prepared->random_selection[1]);
  // The inverted detector moves away from the target.
  std::vector<double> inverted(perfect.size());
  for (size_t i = 0; i < perfect.size(); ++i) inverted[i] = -perfect[i];
  const auto bad = as_map(grade(*prepared, inverted));
  EXPECT_DOUBLE_EQ(bad.at("target_auroc"), 0.0);
  EXPECT_LT(bad.at("kl_reduction_20"), 0.0);
  // Untargeted cells have none of these metrics.
  const auto plain = prepare("gaussian-classifier",
                             dataset_params("gaussian-classifier", {{"n_train", std::int64_t{40}}, {"exact_loo", false}}), 2);
  const auto pm = as_map(grade(*plain, std::vector<double>(40, 0.0)));
  for (const char* name : {"target_auroc", "target_accuracy_10", "kl_reduction_50"}) EXPECT_FALSE(pm.count(name)) << name;
}

TEST(TargetedMetrics, EveryMethodRunsOnATargetedReplicationWithDeclaredFiniteMetrics) {
  const auto suite = SuiteRegistry::instance().find("selection")->make(ParamSet{});
  std::set<std::string> declared;
  for (const auto& m : suite->metrics()) declared.insert(m.name);
  const auto params = dataset_params("gaussian-classifier",
                                     {{"n", std::int64_t{300}}, {"d", std::int64_t{2}}, {"classes", std::int64_t{3}},
                                      {"n_train", std::int64_t{24}}, {"n_valid", std::int64_t{20}},
                                      {"n_test", std::int64_t{20}}, {"rate", 0.25}, {"exact_loo", false},
                                      {"target_classes", std::string("2")}, {"target_share", 0.5}});
  const auto prepared = prepare("gaussian-classifier", params, 6);
  for (const auto& info : suite->methods()) {
    SCOPED_TRACE(info.name);
    std::map<std::string, ParamValue> budget;  // small budgets: the sweep stays fast
    for (const auto& spec : info.params) {
      if (spec.name == "max_permutations") budget[spec.name] = std::int64_t{10};
      if (spec.name == "min_permutations") budget[spec.name] = std::int64_t{5};
      if (spec.name == "subsets" || spec.name == "bootstraps") budget[spec.name] = std::int64_t{20};
      if (spec.name == "k") budget[spec.name] = std::int64_t{3};
    }
    const auto p = resolve_params(info.params, budget, "method " + info.name);
    const CellOutput out = run_valuer(*prepared, info.name, p, 6);
    const auto m = as_map(out.metrics);
    for (const char* name : {"target_auroc", "target_accuracy_10", "target_accuracy_50", "kl_reduction_10",
                             "kl_reduction_50", "noisy_auroc"}) {
      ASSERT_TRUE(m.count(name)) << name;
      EXPECT_TRUE(std::isfinite(m.at(name))) << name;
    }
    for (const auto& [name, v] : m) EXPECT_TRUE(declared.count(name)) << name << " is not declared";
    ASSERT_EQ(out.artifacts.size(), 3u);
    EXPECT_EQ(out.artifacts[2].name, "in_target");
  }
}

TEST(TargetedMetrics, PlanningRejectsInconsistentDomainOptions) {
  const auto* entry = SuiteRegistry::instance().find("selection");
  const auto suite = entry->make(ParamSet{});
  auto check = [&](std::map<std::string, ParamValue> given) {  // 100 of iris's 150 rows
    given.emplace("n_train", std::int64_t{40});
    given.emplace("n_valid", std::int64_t{30});
    given.emplace("n_test", std::int64_t{30});
    suite->validate_dataset("iris", dataset_params("iris", std::move(given)));
  };
  EXPECT_NO_THROW(check({}));
  using S = std::string;
  EXPECT_THROW(check({{"corruption", S("out_of_domain")}}), InputError);  // no held-out classes
  EXPECT_NO_THROW(check({{"corruption", S("out_of_domain")}, {"held_out_classes", S("2")}}));
  EXPECT_NO_THROW(check({{"target_classes", S("0")}, {"target_share", 0.3}}));
  EXPECT_THROW(check({{"corruption", S("feature_noise")}, {"flip_valid", true}}), InputError);
  EXPECT_NO_THROW(check({{"flip_valid", true}}));
  EXPECT_THROW(check({{"target_classes", S("3")}}), InputError);         // iris has classes 0..2
  EXPECT_THROW(check({{"target_classes", S("0,x")}}), InputError);       // syntax
  EXPECT_THROW(check({{"target_classes", S("1,1")}}), InputError);       // twice
  EXPECT_THROW(check({{"target_classes", S("0,1,2")}}), InputError);     // no source classes left
  EXPECT_THROW(check({{"held_out_classes", S("0,1")}}), InputError);     // one class left
  EXPECT_THROW(check({{"held_out_classes", S("0")}, {"target_classes", S("0")}}), InputError);
  EXPECT_EQ(parse_class_list("4,0,12", "p"), (std::vector<int>{4, 0, 12}));
  EXPECT_TRUE(parse_class_list("", "p").empty());
  EXPECT_THROW(parse_class_list("1,", "p"), InputError);
  EXPECT_THROW(parse_class_list("-1", "p"), InputError);
}

}  // namespace
}  // namespace sb::selection
