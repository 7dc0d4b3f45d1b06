// DSIR, TAROT and CCS against hand-computed cases: importance weights of
// known densities and Gumbel-top-k frequencies, whitening and the
// layered OT selection, CCS's strata, budget allocation and pruning.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "benchmarks/selection/protocol.h"
#include "datasets/synthetic.h"
#include "estimators/selection/ccs.h"
#include "estimators/selection/dsir.h"
#include "estimators/selection/tarot.h"
#include "harness/core/errors.h"

namespace sb::selection {
namespace {

Eigen::VectorXd run(const std::string& method, std::vector<std::pair<std::string, ParamValue>> overrides,
                    const SelectionData& data, std::uint64_t seed) {
  const auto* entry = ValuerRegistry::instance().find(method);
  EXPECT_NE(entry, nullptr) << method;
  ParamSet p;
  for (const auto& spec : entry->info.params) p.set(spec.name, spec.default_value);
  for (auto& [k, v] : overrides) p.set(k, v);
  const Utility utility(data, UtilityOptions{});
  ValuationContext ctx;
  ctx.data = &data;
  ctx.utility = &utility;
  ctx.seed = seed;
  return entry->make(p)->values(ctx);
}

data::Table column(const std::vector<double>& values) {
  data::Table t;
  t.num_classes = 2;
  t.x.resize(static_cast<Eigen::Index>(values.size()), 1);
  t.y = Eigen::VectorXi::Zero(static_cast<Eigen::Index>(values.size()));
  for (size_t i = 0; i < values.size(); ++i) t.x(static_cast<Eigen::Index>(i), 0) = values[i];
  return t;
}

// Raw pool: 3 rows in bin 4 (value 0.1) and 7 in bin 1 (value -2); target: 5 rows in bin 4.
SelectionData two_bins() {
  SelectionData d;
  d.num_classes = 2;
  d.train = column({0.1, -2, -2, 0.1, -2, -2, -2, 0.1, -2, -2});
  d.valid = column({0.1, 0.1, 0.1, 0.1, 0.1});
  d.test = d.valid;
  d.corrupted.assign(10, 0);
  return d;
}

TEST(Dsir, ImportanceWeightsOfKnownDensitiesByHand) {
  HashedFeatureOptions o;
  o.buckets = 16;
  ASSERT_NE(unigram_bucket(0, 4, o), unigram_bucket(0, 1, o));  // the two bins do not collide
  // Add-one smoothing over 16 buckets: p_target(bin 4) = 6/21, p_target(bin 1) = 1/21,
  // p_raw(bin 4) = 4/26, p_raw(bin 1) = 8/26.
  const double in_target = std::log(6.0 / 21) - std::log(4.0 / 26), elsewhere = std::log(1.0 / 21) - std::log(8.0 / 26);
  const SelectionData d = two_bins();
  const Eigen::VectorXd v = run("dsir", {{"buckets", std::int64_t{16}}, {"resample", false}}, d, 1);
  for (Eigen::Index i = 0; i < 10; ++i) EXPECT_NEAR(v(i), d.train.x(i, 0) > 0 ? in_target : elsewhere, 1e-12) << i;
  EXPECT_EQ(dsir_log_weights(d.train.x, d.valid.x, o), v);
}

TEST(Dsir, GumbelTopOneDrawsRowsInProportionToTheirWeights) {
  const SelectionData d = two_bins();
  const double wa = (6.0 / 21) / (4.0 / 26), wb = (1.0 / 21) / (8.0 / 26);
  const double expected = 3 * wa / (3 * wa + 7 * wb);  // P(the top row is one of the 3 target-like rows) = 0.837
  int hits = 0;
  const int draws = 2000;
  for (int s = 0; s < draws; ++s) {
    const Eigen::VectorXd v = run("dsir", {{"buckets", std::int64_t{16}}}, d, static_cast<std::uint64_t>(s));
    Eigen::Index top = 0;
    v.maxCoeff(&top);
    hits += d.train.x(top, 0) > 0;
  }
  EXPECT_NEAR(hits / static_cast<double>(draws), expected, 0.03);  // sd 0.008
}

TEST(Tarot, WhiteningGivesIdentityCovarianceAndMahalanobisDistances) {
  std::mt19937_64 rng(4);
  std::normal_distribution<double> normal;
  Eigen::MatrixXd mix(3, 3);
  mix << 3, 0, 0, 1, 0.5, 0, -2, 1, 0.1;
  Eigen::MatrixXd x(200, 3);
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = normal(rng);
  x = (x * mix.transpose()).rowwise() + Eigen::RowVector3d(1, -2, 5);
  const Whitening w = fit_whitening(x, 0.0);
  const Eigen::MatrixXd z = whiten(w, x);
  const Eigen::MatrixXd cov = z.transpose() * z / 200.0;
  EXPECT_LT((cov - Eigen::MatrixXd::Identity(3, 3)).cwiseAbs().maxCoeff(), 1e-10);
  const Eigen::RowVectorXd mean = x.colwise().mean();
  const Eigen::MatrixXd sigma = (x.rowwise() - mean).transpose() * (x.rowwise() - mean) / 200.0;
  const Eigen::VectorXd diff = (x.row(3) - x.row(7)).transpose();
  EXPECT_NEAR((z.row(3) - z.row(7)).squaredNorm(), diff.dot(sigma.fullPivLu().solve(diff)), 1e-9);
  // A dominant feature (sd 100) no longer decides the nearest row.
  Eigen::MatrixXd reference(4, 2);
  reference << -100, -1, 100, 1, -100, 1, 100, -1;
  Eigen::MatrixXd candidates(2, 2), target(1, 2);
  candidates << 10, 0, 0, 1.5;  // raw: row 1 is nearer (1.5 < 10)
  target << 0, 0;
  EXPECT_EQ(layered_order(candidates, target).order.front(), 1);
  const Whitening wr = fit_whitening(reference, 0.0);
  EXPECT_EQ(layered_order(whiten(wr, candidates), whiten(wr, target)).order.front(), 0);  // whitened: 0.1 < 1.5
}

TEST(Tarot, ExactCopiesOfTheTargetAreChosenFirstAndFormTheOtOptimalSubset) {
  SelectionData d;
  d.num_classes = 2;
  d.valid.num_classes = d.train.num_classes = 2;
  d.valid.x.resize(3, 2);
  d.valid.x << 0, 0, 3, 0, 0, 3;
  d.valid.y = Eigen::VectorXi::Zero(3);
  d.train.x.resize(10, 2);
  d.train.y = Eigen::VectorXi::Zero(10);
  for (Eigen::Index i = 0; i < 10; ++i) d.train.x.row(i) << 8.0 + i, 9.0 - 0.5 * i;  // far from the target
  d.train.x.row(6) = d.valid.x.row(0);
  d.train.x.row(2) = d.valid.x.row(1);
  d.train.x.row(8) = d.valid.x.row(2);
  d.test = d.valid;
  d.corrupted.assign(10, 0);
  const auto layers = layered_order(d.train.x, d.valid.x);
  EXPECT_EQ(std::vector<Eigen::Index>(layers.order.begin(), layers.order.begin() + 3), (std::vector<Eigen::Index>{6, 2, 8}));
  EXPECT_EQ(layers.layer_end.front(), 3);
  const Eigen::VectorXd v = run("tarot", {}, d, 1);
  for (Eigen::Index i = 0; i < 10; ++i) EXPECT_EQ(v(i) > 0, i == 6 || i == 2 || i == 8) << i;  // k* = 3
  EXPECT_GT(v(6), v(2));
  EXPECT_GT(v(2), v(8));
}

TEST(Tarot, LayersHoldTheIthNearestCandidateOfEveryTargetRow) {
  // Targets at 0 and 1 share their nearest candidate (0.5); their second
  // nearest are -1 and 2.2; their third are already taken; 10 comes last.
  Eigen::MatrixXd candidates(4, 1), target(2, 1);
  candidates << 0.5, -1, 2.2, 10;
  target << 0, 1;
  const auto layers = layered_order(candidates, target);
  EXPECT_EQ(layers.order, (std::vector<Eigen::Index>{0, 1, 2, 3}));
  EXPECT_EQ(layers.layer_end, (std::vector<Eigen::Index>{1, 3, 4}));
}

TEST(Ccs, StrataAndBudgetAllocationByHand) {
  EXPECT_EQ(strata_of({0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 3), (std::vector<int>{0, 0, 0, 1, 1, 1, 2, 2, 2, 2}));
  EXPECT_EQ(strata_of({2, 2, 2}, 4), (std::vector<int>{0, 0, 0}));
  // Smallest stratum first, each min(size, floor(left / strata left)).
  EXPECT_EQ(allocate_budget({1, 5, 10}, 9), (std::vector<Eigen::Index>{1, 4, 4}));
  EXPECT_EQ(allocate_budget({10, 5, 1}, 9), (std::vector<Eigen::Index>{4, 4, 1}));
  EXPECT_EQ(allocate_budget({0, 3, 3}, 7), (std::vector<Eigen::Index>{0, 3, 3}));
  EXPECT_EQ(allocate_budget({4, 4, 4}, 7), (std::vector<Eigen::Index>{2, 2, 3}));
}

TEST(Ccs, PrunesTheHardestThenSamplesEachStratumItsShare) {
  Eigen::VectorXd difficulty(20);
  for (Eigen::Index i = 0; i < 20; ++i) difficulty(i) = static_cast<double>((7 * i) % 20);  // a permutation of 0..19
  std::mt19937_64 rng(5);
  const auto s = ccs_select(difficulty, 0.25, 3, 6, rng);
  int per_stratum[3] = {0, 0, 0};
  for (Eigen::Index i = 0; i < 20; ++i) {
    EXPECT_EQ(s.pruned[static_cast<size_t>(i)] != 0, difficulty(i) >= 15) << i;  // the 5 hardest
    EXPECT_FALSE(s.pruned[static_cast<size_t>(i)] && s.selected[static_cast<size_t>(i)]);
    // Kept difficulties 0..14 in 3 equal-width strata: 0-4, 5-9, 10-14.
    if (s.selected[static_cast<size_t>(i)]) ++per_stratum[static_cast<int>(difficulty(i)) / 5];
  }
  EXPECT_EQ(per_stratum[0], 2);
  EXPECT_EQ(per_stratum[1], 2);
  EXPECT_EQ(per_stratum[2], 2);
  const auto all = ccs_select(difficulty, 0.25, 3, 100, rng);  // budget above the kept rows: all kept
  EXPECT_EQ(std::count(all.selected.begin(), all.selected.end(), 1), 15);
}

TEST(Ccs, AreaUnderTheMarginByHand) {
  Eigen::MatrixXd x(2, 2);
  x << 1, 0, 0, 1;
  const Eigen::VectorXi y = (Eigen::VectorXi(2) << 0, 1).finished();
  Eigen::MatrixXd w(3, 2);
  w << 2, 0, 0, 1, 1, 1;  // logits: row 0 (2, 0, 1), row 1 (0, 1, 1)
  const Eigen::VectorXd b = Eigen::VectorXd::Zero(3);
  const Eigen::VectorXd aum = area_under_margin(x, y, {w, Eigen::MatrixXd::Zero(3, 2)}, {b, b});
  EXPECT_DOUBLE_EQ(aum(0), 0.5);  // (2 - 1 + 0) / 2
  EXPECT_DOUBLE_EQ(aum(1), 0.0);  // (1 - 1 + 0) / 2
}

TEST(Ccs, FlippedLabelsArePrunedFirstAndTheBudgetIsKept) {
  data::GaussianClassifierOptions g;
  g.n = 400, g.d = 2, g.classes = 2, g.separation = 3.0;
  CommonParams c;
  c.n_train = 100, c.n_valid = 20, c.n_test = 20, c.rate = 0.1;
  const SelectionData d = make_selection_data(data::gaussian_classifier(g, 2), c, 2);
  const Eigen::VectorXd v = run("ccs", {{"prune_hard", 0.1}, {"fraction", 0.3}}, d, 3);
  int pruned_flips = 0;
  for (Eigen::Index i = 0; i < 100; ++i) pruned_flips += v(i) == -1.0 && d.corrupted[static_cast<size_t>(i)];
  EXPECT_EQ((v.array() == -1.0).count(), 10);
  EXPECT_EQ((v.array() == 1.0).count(), 30);
  EXPECT_GE(pruned_flips, 7);  // well-separated classes: the flipped rows have the lowest margins
}

}  // namespace
}  // namespace sb::selection
