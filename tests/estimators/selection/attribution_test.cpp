// The attribution methods (TRAK, GraSS, gradient-final, the existing
// influence/representer/TracIn attributions) against closed forms and
// brute-force further training.
#include <gtest/gtest.h>

#include <cmath>
#include <algorithm>
#include <random>

#include "benchmarks/selection/protocol.h"
#include "datasets/synthetic.h"
#include "datasets/corruption.h"
#include "datasets/random.h"
#include "estimators/models/logistic_classifier.h"
#include "estimators/models/margin.h"
#include "estimators/models/sgd_mlp_checkpoints.h"
#include "estimators/selection/attribution.h"
#include "estimators/selection/grass.h"
#include "harness/core/suite.h"

namespace sb::selection {
namespace {

// Three Gaussian classes in `d` dimensions, 10% of the training labels flipped.
SelectionData three_classes(std::int64_t n_train, std::int64_t n_valid, std::int64_t d, std::uint64_t seed) {
  data::GaussianClassifierOptions g;
  g.n = n_train + n_valid + 10, g.d = d, g.classes = 3, g.separation = 1.0;
  CommonParams c;
  c.n_train = n_train, c.n_valid = n_valid, c.n_test = 10;
  return make_selection_data(data::gaussian_classifier(g, seed), c, seed);
}

ParamSet defaults_with(const std::string& method, std::vector<std::pair<std::string, ParamValue>> overrides) {
  ParamSet p;
  for (const auto& spec : ValuerRegistry::instance().find(method)->info.params) p.set(spec.name, spec.default_value);
  for (auto& [k, v] : overrides) p.set(k, v);
  return p;
}

Valuation valuate(const std::string& method, const ParamSet& params, const Utility& utility, std::uint64_t seed) {
  const auto* entry = ValuerRegistry::instance().find(method);
  EXPECT_NE(entry, nullptr) << method;
  ValuationContext ctx;
  ctx.data = &utility.data();
  ctx.utility = &utility;
  ctx.seed = seed;
  ctx.want_attribution = true;
  return entry->make(params)->valuate(ctx);
}

double max_abs(const Eigen::MatrixXd& m) { return m.cwiseAbs().maxCoeff(); }

// Moore-Penrose inverse by SVD (independent of the methods' complete
// orthogonal decomposition).
Eigen::MatrixXd pseudo_inverse(const Eigen::MatrixXd& a) {
  Eigen::JacobiSVD<Eigen::MatrixXd> svd(a, Eigen::ComputeFullU | Eigen::ComputeFullV);
  Eigen::VectorXd s = svd.singularValues();
  for (Eigen::Index i = 0; i < s.size(); ++i) s(i) = s(i) > 1e-10 * s(0) ? 1.0 / s(i) : 0.0;
  return svd.matrixV() * s.asDiagonal() * svd.matrixU().transpose();
}

// The unprojected TRAK / Gauss-Newton form diag(1 - p) G (G^T G)^+ G_valid^T.
Eigen::MatrixXd unprojected_trak(const SelectionData& data, const models::LogisticClassifier& model) {
  const Eigen::MatrixXd g = models::margin_gradients(data.train.x, data.train.y, model.weight, model.bias);
  const Eigen::MatrixXd gv = models::margin_gradients(data.valid.x, data.valid.y, model.weight, model.bias);
  const Eigen::VectorXd q = models::one_minus_true_probability(data.train.x, data.train.y, model.weight, model.bias);
  return q.asDiagonal() * g * pseudo_inverse(g.transpose() * g) * gv.transpose();
}

TEST(Margin, GradientsAreCentralDifferencesOfTheMargin) {
  const SelectionData data = three_classes(40, 5, 3, 1);
  const Utility utility(data, UtilityOptions{});
  auto model = utility.fit(all_rows(40));
  const Eigen::MatrixXd g = models::margin_gradients(data.valid.x, data.valid.y, model.weight, model.bias);
  const Eigen::Index k = 3, p = 3;
  const double h = 1e-6;
  for (Eigen::Index j = 0; j < k * (p + 1); ++j) {
    auto plus = model, minus = model;
    if (j < k * p) plus.weight(j % k, j / k) += h, minus.weight(j % k, j / k) -= h;
    else plus.bias(j - k * p) += h, minus.bias(j - k * p) -= h;
    const Eigen::VectorXd diff = (models::correct_class_margins(plus, data.valid.x, data.valid.y) -
                                  models::correct_class_margins(minus, data.valid.x, data.valid.y)) / (2 * h);
    EXPECT_LT((diff - g.col(j)).cwiseAbs().maxCoeff(), 1e-7) << "parameter " << j;
  }
  // The loss gradient is -(1 - p_y) times the margin gradient.
  const Eigen::MatrixXd loss = models::per_example_gradients(data.valid.x, data.valid.y, model.weight, model.bias);
  const Eigen::VectorXd q = models::one_minus_true_probability(data.valid.x, data.valid.y, model.weight, model.bias);
  EXPECT_LT(max_abs(loss + q.asDiagonal() * g), 1e-12);
}

TEST(Trak, WithAFullRankProjectionEqualsTheUnprojectedGaussNewtonForm) {
  // 3 classes x (3 + 1) = 12 parameters; margin gradients span 8 of them
  // (a common shift of every class is invisible), so G^T G is singular and
  // the pseudo-inverse is the closed form. Any projection of dimension >= 12
  // (injective transpose) gives exactly this, whatever its draw.
  const SelectionData data = three_classes(120, 30, 3, 2);
  const Utility utility(data, UtilityOptions{});
  const Eigen::MatrixXd closed = unprojected_trak(data, utility.fit(all_rows(120)));
  ASSERT_GT(max_abs(closed), 1e-3);
  for (std::int64_t dim : {12, 36}) {
    const auto params = defaults_with("trak", {{"projection_dim", dim}, {"ensemble", std::int64_t{3}},
                                               {"subset_fraction", 1.0}, {"damping", 0.0}});
    const Valuation v = valuate("trak", params, utility, 7);
    ASSERT_EQ(v.attribution.rows(), 120);
    ASSERT_EQ(v.attribution.cols(), 30);
    EXPECT_LT(max_abs(v.attribution - closed), 1e-8 * max_abs(closed)) << "projection_dim " << dim;
    EXPECT_LT((v.values - closed.rowwise().mean()).cwiseAbs().maxCoeff(), 1e-8 * max_abs(closed));
  }
  // A projection below the rank loses information: no longer the closed form.
  const auto small = defaults_with("trak", {{"projection_dim", std::int64_t{4}}, {"ensemble", std::int64_t{1}},
                                            {"subset_fraction", 1.0}, {"damping", 0.0}});
  EXPECT_GT(max_abs(valuate("trak", small, utility, 7).attribution - closed), 1e-3 * max_abs(closed));
}

TEST(Trak, MlpWithAFullRankProjectionEqualsTheUnprojectedFormOnTheLastLayer) {
  // model = mlp, one member on all rows: the network sgd_mlp_train gives
  // with the member's seed; its last layer is a softmax layer on the hidden
  // features h, so the closed form is the unprojected one on (h, W_L, b_L),
  // 3 x (4 + 1) = 15 parameters.
  const SelectionData data = three_classes(60, 15, 3, 4);
  const Utility utility(data, UtilityOptions{});
  const models::SgdMlpShape shape{3, 4, 1, 3};
  models::SgdMlpOptions o;
  o.epochs = 5, o.batch_size = 16, o.learning_rate = 0.1, o.l2 = UtilityOptions{}.l2;
  const Eigen::VectorXd theta =
      models::sgd_mlp_train(shape, data.train.x, data.train.y, o, derive_seed(7, "trak/mlp-member-0"));
  const auto last = models::sgd_mlp_last_layer(shape, theta);
  const Eigen::MatrixXd h = models::sgd_mlp_features(shape, theta, data.train.x);
  const Eigen::MatrixXd hv = models::sgd_mlp_features(shape, theta, data.valid.x);
  const Eigen::MatrixXd g = models::margin_gradients(h, data.train.y, last.weight, last.bias);
  const Eigen::MatrixXd gv = models::margin_gradients(hv, data.valid.y, last.weight, last.bias);
  const Eigen::VectorXd q = models::one_minus_true_probability(h, data.train.y, last.weight, last.bias);
  const Eigen::MatrixXd closed = q.asDiagonal() * g * pseudo_inverse(g.transpose() * g) * gv.transpose();
  ASSERT_GT(max_abs(closed), 1e-3);
  for (std::int64_t dim : {15, 40}) {
    const auto params = defaults_with("trak", {{"projection_dim", dim}, {"ensemble", std::int64_t{1}},
                                               {"subset_fraction", 1.0}, {"damping", 0.0},
                                               {"model", std::string("mlp")}, {"hidden", std::int64_t{4}},
                                               {"epochs", std::int64_t{5}}, {"batch_size", std::int64_t{16}},
                                               {"learning_rate", 0.1}});
    const Valuation v = valuate("trak", params, utility, 7);
    EXPECT_LT(max_abs(v.attribution - closed), 1e-8 * max_abs(closed)) << "projection_dim " << dim;
  }
  // The logistic members give another answer.
  const auto logistic = defaults_with("trak", {{"projection_dim", std::int64_t{15}}, {"ensemble", std::int64_t{1}},
                                               {"subset_fraction", 1.0}, {"damping", 0.0}});
  EXPECT_GT(max_abs(valuate("trak", logistic, utility, 7).attribution - closed), 1e-3 * max_abs(closed));
}

TEST(Trak, DeterministicGivenTheSeedAndTheEnsembleAveragesSubsetModels) {
  const SelectionData data = three_classes(80, 20, 3, 3);
  const Utility utility(data, UtilityOptions{});
  const auto params = defaults_with("trak", {{"projection_dim", std::int64_t{6}}, {"ensemble", std::int64_t{3}}});
  const Valuation a = valuate("trak", params, utility, 11), b = valuate("trak", params, utility, 11);
  EXPECT_EQ(a.attribution, b.attribution);
  EXPECT_EQ(a.values, b.values);
  EXPECT_GT(max_abs(valuate("trak", params, utility, 12).attribution - a.attribution), 1e-6);
  // Three members, one fit each, on half subsets.
  const Utility counted(data, UtilityOptions{});
  valuate("trak", params, counted, 11);
  EXPECT_EQ(counted.fits(), 3);
  // The ensemble is the average: with full-rank projections and members on
  // random half subsets, tau = mean(Q) mean(kernel) per member recomputed here.
  const auto full = defaults_with("trak", {{"projection_dim", std::int64_t{24}}, {"ensemble", std::int64_t{2}},
                                           {"damping", 0.0}});
  const Valuation ensemble = valuate("trak", full, utility, 5);
  Eigen::MatrixXd kernel = Eigen::MatrixXd::Zero(80, 20);
  Eigen::VectorXd q = Eigen::VectorXd::Zero(80);
  for (int member = 0; member < 2; ++member) {
    std::mt19937_64 rng(derive_seed(5, "trak/member-" + std::to_string(member)));
    // The member's subset, as the method draws it (its first draw holds every class here).
    auto rows = data::draw_without_replacement(80, 40, rng);
    std::sort(rows.begin(), rows.end());
    const auto model = utility.fit(rows);
    ASSERT_EQ(model.constant_class, -1);
    ASSERT_TRUE(model.bias.allFinite());
    const Eigen::MatrixXd closed = unprojected_trak(data, model);
    const Eigen::VectorXd qm = models::one_minus_true_probability(data.train.x, data.train.y, model.weight, model.bias);
    kernel += qm.cwiseInverse().asDiagonal() * closed;
    q += qm;
  }
  const Eigen::MatrixXd expected = (q / 2).asDiagonal() * (kernel / 2);
  EXPECT_LT(max_abs(ensemble.attribution - expected), 1e-8 * max_abs(expected));
}

TEST(GradientFinal, OneStepIsTheMarginChangeOfOneStepOfFurtherTraining) {
  const SelectionData data = three_classes(60, 8, 3, 4);
  UtilityOptions o;
  o.tolerance = 1e-10;
  const Utility utility(data, o);
  const auto model = utility.fit(all_rows(60));
  const double eta = 1e-3;
  const Valuation v =
      valuate("gradient-final", defaults_with("gradient-final", {{"learning_rate", eta}}), utility, 1);
  // Brute force: one gradient step of the weighted objective from the final
  // model, with row i's weight 1 and 0; the margin difference.
  Eigen::MatrixXd grad_w;
  Eigen::VectorXd grad_b;
  models::softmax_objective(data.train.x, data.train.y, model.weight, model.bias, o.l2, &grad_w, &grad_b);
  const Eigen::MatrixXd per_row = models::per_example_gradients(data.train.x, data.train.y, model.weight, model.bias);
  auto step = [&](const Eigen::VectorXd& extra) {  // theta - eta (grad L + extra), extra packed like per_row
    models::LogisticClassifier m = model;
    for (Eigen::Index c = 0; c < 3; ++c) {
      for (Eigen::Index j = 0; j < 3; ++j) m.weight(c, j) -= eta * (grad_w(c, j) + extra(c + 3 * j));
      m.bias(c) -= eta * (grad_b(c) + extra(9 + c));
    }
    return models::correct_class_margins(m, data.valid.x, data.valid.y);
  };
  const Eigen::VectorXd with_all = step(Eigen::VectorXd::Zero(12));
  double worst = 0, scale = 0;
  for (Eigen::Index i = 0; i < 60; ++i) {
    const Eigen::VectorXd without = step(-per_row.row(i).transpose() / 60.0);
    const Eigen::VectorXd change = with_all - without;
    worst = std::max(worst, (change - v.attribution.row(i).transpose()).cwiseAbs().maxCoeff());
    scale = std::max(scale, change.cwiseAbs().maxCoeff());
  }
  ASSERT_GT(scale, 1e-6);
  EXPECT_LT(worst, 1e-2 * scale);  // second order in eta
}

TEST(GradientFinal, LongFurtherTrainingTendsToTheInfluenceFunction) {
  const SelectionData data = three_classes(60, 10, 3, 5);
  UtilityOptions o;
  o.l2 = 0.1;
  o.tolerance = 1e-10;
  const Utility utility(data, o);
  const auto model = utility.fit(all_rows(60));
  const Eigen::MatrixXd h = models::softmax_hessian(data.train.x, model.weight, model.bias, o.l2);
  const double eta = 1.0 / Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(h).eigenvalues().maxCoeff();
  const Valuation influence = valuate("influence", {}, utility, 1);
  const auto long_run = defaults_with("gradient-final", {{"learning_rate", eta}, {"steps", std::int64_t{3000}}});
  const Valuation final_model = valuate("gradient-final", long_run, utility, 1);
  ASSERT_GT(max_abs(influence.attribution), 1e-4);
  EXPECT_LT(max_abs(final_model.attribution - influence.attribution), 1e-6 * max_abs(influence.attribution));
  // Few steps are not there yet.
  const auto short_run = defaults_with("gradient-final", {{"learning_rate", eta}, {"steps", std::int64_t{3}}});
  EXPECT_GT(max_abs(valuate("gradient-final", short_run, utility, 1).attribution - influence.attribution),
            0.1 * max_abs(influence.attribution));
}

TEST(Influence, AttributionOfCgEqualsTheExactSolve) {
  const SelectionData data = three_classes(60, 10, 3, 6);
  UtilityOptions o;
  o.tolerance = 1e-10;
  const Utility utility(data, o);
  const Valuation exact = valuate("influence", {}, utility, 1);
  const Valuation cg = valuate("influence-cg", defaults_with("influence-cg", {{"tolerance", 1e-12}}), utility, 1);
  EXPECT_LT(max_abs(exact.attribution - cg.attribution), 1e-9 * max_abs(exact.attribution));
}

TEST(Grass, TopKKeepsTheLargestEntriesTiesToTheLowerColumn) {
  Eigen::MatrixXd g(2, 4);
  g << 1, -3, 2, 0.5,
       2, 1, -2, 0;
  Eigen::MatrixXd expected(2, 4);
  expected << 0, -3, 2, 0,
              2, 0, -2, 0;
  EXPECT_EQ(keep_top_k(g, 2), expected);
  EXPECT_EQ(keep_top_k(g, 4), g);
}

TEST(Grass, SparseProjectionHasTheDeclaredNonzerosAndPreservesNormsOnAverage) {
  std::mt19937_64 rng(3);
  const SparseProjection p(50, 20, 3, rng);
  const Eigen::MatrixXd identity = Eigen::MatrixXd::Identity(50, 50);
  const Eigen::MatrixXd columns = p.apply(identity);  // row j = the image of e_j
  for (Eigen::Index j = 0; j < 50; ++j) {
    EXPECT_EQ((columns.row(j).array() != 0).count(), 3);
    EXPECT_NEAR(columns.row(j).squaredNorm(), 1.0, 1e-12);
  }
}

TEST(Grass, UncompressedEqualsTheClosedFormAndErrorShrinksWithTheDimension) {
  const SelectionData data = three_classes(150, 20, 10, 7);  // 3 x 11 = 33 parameters
  const Utility utility(data, UtilityOptions{});
  const Eigen::MatrixXd closed = unprojected_trak(data, utility.fit(all_rows(150)));
  // No sparsification, no projection: the closed form itself.
  const auto none = defaults_with("grass", {{"projection_dim", std::int64_t{0}}, {"damping", 0.0}});
  EXPECT_LT(max_abs(valuate("grass", none, utility, 1).attribution - closed), 1e-8 * max_abs(closed));
  // No sparsification, a dense (nonzeros = dimension) projection of full dimension.
  const auto dense = defaults_with("grass", {{"projection_dim", std::int64_t{66}}, {"nonzeros", std::int64_t{66}},
                                             {"damping", 0.0}});
  EXPECT_LT(max_abs(valuate("grass", dense, utility, 1).attribution - closed), 1e-7 * max_abs(closed));
  // Compressed: sparsify to 24 of 33 coordinates (random mask) or not, SJLT
  // with one nonzero; the mean relative error over seeds falls as the
  // projection grows. (Without sparsification a projection is exact unless
  // it merges coordinates whose difference lies in the gradients' span,
  // e.g. two classes' weights of one feature with equal signs.)
  for (std::int64_t sparsity : {0, 24}) {
    double previous = 1e300;
    for (std::int64_t dim : {4, 16, 48, 400}) {
      double error = 0;
      for (std::uint64_t seed = 1; seed <= 5; ++seed) {
        const auto p = defaults_with("grass", {{"projection_dim", dim}, {"sparsity", sparsity}, {"damping", 0.0}});
        error += (valuate("grass", p, utility, seed).attribution - closed).norm() / closed.norm() / 5;
      }
      std::cout << "grass sparsity " << sparsity << " dim " << dim << " relative error " << error << "\n";
      EXPECT_LT(error, previous);
      previous = error;
    }
    if (sparsity == 0) {
      EXPECT_LT(previous, 0.01);
    }
  }
}

}  // namespace
}  // namespace sb::selection
