// Every registered detector on one small random problem: finite scores of
// the right size, bitwise determinism, and separation of an easy OOD set.
#include <cmath>
#include <cstring>
#include <map>
#include <string>
#include <random>

#include "tests/estimators/ood/helpers.h"

namespace sb::ood::testing {
namespace {

// Three classes in 8 ReLU features: class c is active (about 4) on
// coordinates 2c and 2c+1; coordinates 6 and 7 are silent for ID data. The
// OOD set is silent on 0..5 and active on 6 and 7 (a shifted distribution
// that every detector's signal - confidence, energy, distance, residual,
// density - should rank below ID). The model is the nearest-class-mean
// linear classifier W = mu_c, b_c = -||mu_c||^2 / 2.
struct SweepProblem {
  Split train, id_test, ood_test;
  FitContext ctx;
  SweepProblem() {
    std::mt19937_64 rng(2024);
    std::normal_distribution<double> noise(0.0, 0.5);
    const int k = 3, m = 8;
    Eigen::MatrixXd mu = Eigen::MatrixXd::Zero(k, m);
    for (int c = 0; c < k; ++c) mu(c, 2 * c) = mu(c, 2 * c + 1) = 4.0;
    auto draw_id = [&](long n, std::vector<int>& labels) {
      Eigen::MatrixXd f(n, m);
      for (long i = 0; i < n; ++i) {
        const int c = static_cast<int>(i % k);
        labels.push_back(c);
        for (int j = 0; j < m; ++j) f(i, j) = std::max(0.0, mu(c, j) + noise(rng));
      }
      return f;
    };
    Eigen::VectorXd b(k);
    for (int c = 0; c < k; ++c) b(c) = -0.5 * mu.row(c).squaredNorm();
    std::vector<int> train_labels, test_labels;
    const Eigen::MatrixXd ftrain = draw_id(300, train_labels);
    const Eigen::MatrixXd ftest = draw_id(60, test_labels);
    Eigen::MatrixXd food(60, m);
    for (long i = 0; i < food.rows(); ++i)
      for (int j = 0; j < m; ++j) food(i, j) = std::max(0.0, (j >= 6 ? 4.0 : 0.0) + noise(rng));
    train = make_split(ftrain, mu, b, train_labels);
    id_test = make_split(ftest, mu, b, test_labels);
    ood_test = make_split(food, mu, b);
    ctx.train = &train;
    ctx.weight = mu;
    ctx.bias = b;
    ctx.num_classes = k;
    ctx.seed = 11;
  }
};

// AUROC as the fraction of (ID, OOD) pairs ranked correctly, ties half.
double pairwise_auroc(const Eigen::VectorXd& id, const Eigen::VectorXd& ood) {
  double wins = 0;
  for (long i = 0; i < id.size(); ++i)
    for (long j = 0; j < ood.size(); ++j) wins += id(i) > ood(j) ? 1.0 : (id(i) == ood(j) ? 0.5 : 0.0);
  return wins / static_cast<double>(id.size() * ood.size());
}

TEST(PairwiseAuroc, HandCases) {
  EXPECT_DOUBLE_EQ(pairwise_auroc(Eigen::VectorXd{{3.0, 4.0}}, Eigen::VectorXd{{1.0, 2.0}}), 1.0);
  EXPECT_DOUBLE_EQ(pairwise_auroc(Eigen::VectorXd{{1.0, 4.0}}, Eigen::VectorXd{{2.0, 3.0}}), 0.5);
  EXPECT_DOUBLE_EQ(pairwise_auroc(Eigen::VectorXd{{2.0}}, Eigen::VectorXd{{2.0}}), 0.5);
}

TEST(DetectorRegistry, HasAtLeastTheSeventeenDetectors) {
  for (const char* name : {"msp", "max-logit", "energy", "odin", "mahalanobis", "relative-mahalanobis",
                           "knn", "vim", "react", "ash", "dice", "gen", "kl-matching", "residual",
                           "she", "sprod", "conjnorm"})
    EXPECT_NE(DetectorRegistry::instance().find(name), nullptr) << name;
  for (const auto* e : DetectorRegistry::instance().entries()) {
    EXPECT_EQ(e->info.suite, "ood");
    EXPECT_FALSE(e->info.paper.empty()) << e->info.name;
    EXPECT_FALSE(e->info.description.empty()) << e->info.name;
  }
}

// Parameters other than the defaults, each with the reason.
const std::map<std::string, std::map<std::string, ParamValue>> kSweepOverrides = {
    // DICE's default p = 90 keeps 10% of the weights: on this 3 x 8 layer
    // that is 2 of 24 weights, so one class has no weight left and its ID
    // rows score like OOD (AUROC 0.86). DICE targets wide layers (the
    // paper: 512-2048 features); p = 50 keeps 12 weights here.
    {"dice", {{"percentile", 50.0}}},
};

TEST(DetectorRegistry, EveryDetectorSeparatesAnEasyShift) {
  SweepProblem p;
  for (const auto* entry : DetectorRegistry::instance().entries()) {
    SCOPED_TRACE(entry->info.name);
    const auto over = kSweepOverrides.find(entry->info.name);
    const ParamSet defaults = resolve_params(
        entry->info.params, over == kSweepOverrides.end() ? std::map<std::string, ParamValue>{} : over->second,
        entry->info.name);
    auto d = entry->make(defaults);
    d->fit(p.ctx);
    const Eigen::VectorXd id = d->score(p.id_test), ood = d->score(p.ood_test);
    ASSERT_EQ(id.size(), p.id_test.features.rows());
    ASSERT_EQ(ood.size(), p.ood_test.features.rows());
    EXPECT_TRUE(id.allFinite());
    EXPECT_TRUE(ood.allFinite());
    EXPECT_GT(pairwise_auroc(id, ood), 0.9);
    // Same inputs, same seed: bitwise identical scores from a fresh detector.
    auto again = entry->make(defaults);
    again->fit(p.ctx);
    const Eigen::VectorXd id2 = again->score(p.id_test);
    EXPECT_EQ(0, std::memcmp(id.data(), id2.data(), sizeof(double) * id.size()));
    // A split of another feature width is refused (or, for logit-only
    // detectors, ignored: they read the logits).
    Split wrong = p.id_test;
    wrong.features = Eigen::MatrixXd::Zero(wrong.features.rows(), 5);
    wrong.logits = Eigen::MatrixXd::Zero(wrong.features.rows(), 4);
    EXPECT_THROW(d->score(wrong), InputError);
  }
}

}  // namespace
}  // namespace sb::ood::testing
