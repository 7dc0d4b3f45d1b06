// The valuation methods against independent computations: KNN-Shapley by
// enumeration, the Monte Carlo semivalues converging to the enumerated ones
// on a planted problem, influence against refitting.
#include <gtest/gtest.h>

#include <numeric>
#include <random>

#include "benchmarks/selection/ground_truth.h"
#include "benchmarks/selection/protocol.h"
#include "benchmarks/selection/semivalue.h"
#include "datasets/synthetic.h"
#include "estimators/models/knn.h"
#include "estimators/models/linear.h"
#include "estimators/models/sgd_mlp.h"
#include "estimators/selection/classwise_shapley.h"
#include "estimators/selection/craig.h"
#include "estimators/selection/knn_shapley.h"
#include "estimators/selection/representer.h"
#include "harness/core/errors.h"

namespace sb::selection {
namespace {

SelectionData planted(std::int64_t n_train, std::uint64_t seed, const std::string& corruption = "label_flip") {
  data::GaussianClassifierOptions g;
  g.n = 200, g.d = 2, g.classes = 2, g.separation = 1.5;
  CommonParams c;
  c.n_train = n_train, c.n_valid = 40, c.n_test = 40, c.corruption = corruption, c.rate = 0.2;
  return make_selection_data(data::gaussian_classifier(g, seed), c, seed);
}

// Three Gaussian classes in 3 dimensions, 10 test rows, 10% of the
// training labels flipped (CommonParams' defaults).
SelectionData three_classes(std::int64_t n, std::int64_t n_train, std::int64_t n_valid, std::uint64_t seed) {
  data::GaussianClassifierOptions g;
  g.n = n, g.d = 3, g.classes = 3, g.separation = 1.0;
  CommonParams c;
  c.n_train = n_train, c.n_valid = n_valid, c.n_test = 10;
  return make_selection_data(data::gaussian_classifier(g, seed), c, seed);
}

Eigen::VectorXd run(const std::string& method, const ParamSet& params, const Utility& utility, std::uint64_t seed) {
  const auto* entry = ValuerRegistry::instance().find(method);
  EXPECT_NE(entry, nullptr) << method;
  ValuationContext ctx;
  ctx.data = &utility.data();
  ctx.utility = &utility;
  ctx.seed = seed;
  return entry->make(params)->values(ctx);
}

ParamSet defaults_with(const std::string& method, std::vector<std::pair<std::string, ParamValue>> overrides) {
  ParamSet p;
  for (const auto& spec : ValuerRegistry::instance().find(method)->info.params) p.set(spec.name, spec.default_value);
  for (auto& [k, v] : overrides) p.set(k, v);
  return p;
}

TEST(KnnShapley, SumsToTheFullUtilityAndEqualsEnumeration) {
  std::mt19937_64 rng(1);
  std::normal_distribution<double> normal;
  // K >= n too: the farthest row is then always among the K nearest (its
  // value is 1[match] / K, not Theorem 1's 1[match] / n, which assumes n >= K).
  for (int k : {1, 3, 5, 7, 8, 10}) {
    const Eigen::Index n = 8, t = 5;
    Eigen::MatrixXd x(n, 2), q(t, 2);
    for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = normal(rng);
    for (Eigen::Index i = 0; i < q.size(); ++i) q.data()[i] = normal(rng);
    Eigen::VectorXi y(n), yq(t);
    for (Eigen::Index i = 0; i < n; ++i) y(i) = static_cast<int>(rng() % 3);
    for (Eigen::Index i = 0; i < t; ++i) yq(i) = static_cast<int>(rng() % 3);
    const Eigen::VectorXd phi = knn_shapley_values(x, y, q, yq, k);
    std::vector<Eigen::Index> all(n);
    std::iota(all.begin(), all.end(), Eigen::Index{0});
    EXPECT_NEAR(phi.sum(), models::knn_utility(x, y, q, yq, k, all), 1e-12);
    // Per test point too: U_t(D) - U_t(empty).
    for (Eigen::Index j = 0; j < t; ++j) {
      const Eigen::MatrixXd qj = q.row(j);
      const Eigen::VectorXi yj = yq.segment(j, 1);
      EXPECT_NEAR(knn_shapley_values(x, y, qj, yj, k).sum(), models::knn_utility(x, y, qj, yj, k, all), 1e-12);
    }
    std::vector<double> u(size_t{1} << n);
    for (unsigned mask = 0; mask < u.size(); ++mask) {
      std::vector<Eigen::Index> subset;
      for (Eigen::Index i = 0; i < n; ++i) {
        if (mask & (1u << i)) subset.push_back(i);
      }
      u[mask] = models::knn_utility(x, y, q, yq, k, subset);
    }
    const auto exact = semivalues_from_utilities(u, static_cast<int>(n), shapley_weights(static_cast<int>(n)));
    for (Eigen::Index i = 0; i < n; ++i) EXPECT_NEAR(phi(i), exact[static_cast<size_t>(i)], 1e-12) << "k " << k;
  }
}

TEST(GroundTruth, ExactLooEqualsTheEnumeratedUtilities) {
  const SelectionData data = planted(8, 3);
  UtilityOptions o;
  const auto loo = exact_loo_values(data, o);
  const auto u = subset_utilities(data, o);
  const unsigned full = (1u << 8) - 1;
  for (int i = 0; i < 8; ++i) EXPECT_DOUBLE_EQ(loo[static_cast<size_t>(i)], u[full] - u[full & ~(1u << i)]);
  EXPECT_EQ(u[0], 0.0);
}

// Monte Carlo estimators against the semivalues enumerated from all 2^n
// utilities. The values span about [-0.3, 0.45]; at these budgets the
// largest error seen was 0.015 (a 0.005 tolerance fails), so 0.03 is about
// three standard errors while a wrong weighting (Shapley vs Beta(16, 1))
// moves values by more.
class Convergence : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = planted(8, 5);
    utility_ = std::make_unique<Utility>(data_, UtilityOptions{});
    utilities_ = subset_utilities(data_, UtilityOptions{});
  }
  void expect_close(const Eigen::VectorXd& estimate, const std::vector<double>& weights) {
    const auto exact = semivalues_from_utilities(utilities_, 8, weights);
    double spread = 0;
    for (double v : exact) spread = std::max(spread, std::abs(v));
    ASSERT_GT(spread, 0.02) << "a planted problem whose values are all ~0 tests nothing";
    for (Eigen::Index i = 0; i < 8; ++i) EXPECT_NEAR(estimate(i), exact[static_cast<size_t>(i)], 0.03) << "row " << i;
  }
  SelectionData data_;
  std::unique_ptr<Utility> utility_;
  std::vector<double> utilities_;
};

TEST_F(Convergence, TmcShapley) {
  const auto p = defaults_with("tmc-shapley", {{"max_permutations", std::int64_t{3000}}, {"convergence", 0.0}});
  expect_close(run("tmc-shapley", p, *utility_, 11), shapley_weights(8));
}

TEST_F(Convergence, BetaShapleyOneOneIsShapleyAndSixteenOneItsOwnSemivalue) {
  auto p = defaults_with("beta-shapley", {{"alpha", 1.0}, {"beta", 1.0}, {"max_permutations", std::int64_t{3000}},
                                          {"convergence", 0.0}});
  expect_close(run("beta-shapley", p, *utility_, 12), shapley_weights(8));
  // The two semivalues differ by more than twice the tolerance somewhere,
  // so matching the right one is a real check.
  const auto shapley = semivalues_from_utilities(utilities_, 8, shapley_weights(8));
  const auto beta = semivalues_from_utilities(utilities_, 8, beta_weights(8, 16.0, 1.0));
  double largest = 0;
  for (size_t i = 0; i < 8; ++i) largest = std::max(largest, std::abs(shapley[i] - beta[i]));
  EXPECT_GT(largest, 0.06);
  p.set("alpha", 16.0);
  p.set("max_permutations", std::int64_t{6000});
  expect_close(run("beta-shapley", p, *utility_, 13), beta_weights(8, 16.0, 1.0));
}

TEST_F(Convergence, BanzhafMsr) {
  const auto p = defaults_with("banzhaf-msr", {{"subsets", std::int64_t{40000}}});
  expect_close(run("banzhaf-msr", p, *utility_, 14), banzhaf_weights(8));
}

TEST(TmcShapley, ConvergenceStopsEarlyAndTruncationSkipsFits) {
  const SelectionData data = planted(12, 6);
  const Utility full_budget(data, {}), stopped(data, {}), truncated(data, {});
  run("tmc-shapley", defaults_with("tmc-shapley", {{"max_permutations", std::int64_t{400}}, {"convergence", 0.0}}),
      full_budget, 1);
  EXPECT_EQ(full_budget.fits(), 400 * 12);
  run("tmc-shapley", defaults_with("tmc-shapley", {{"max_permutations", std::int64_t{400}}, {"convergence", 0.5}}),
      stopped, 1);
  EXPECT_LT(stopped.fits(), 400 * 12);
  run("tmc-shapley", defaults_with("tmc-shapley", {{"max_permutations", std::int64_t{400}}, {"convergence", 0.0},
                                                   {"truncation", 0.5}}),
      truncated, 1);
  EXPECT_LT(truncated.fits(), 400 * 12);
}

TEST(TmcShapley, WarmStartedPrefixFitsGiveTheColdStartValues) {
  // Each prefix's fit starts from the previous prefix's model: the same
  // optimum to the tolerance, so the same validation accuracies (the planted
  // validation rows are far from the decision boundary) and the same values.
  const SelectionData data = planted(12, 6);
  const Utility warm(data, {}), cold(data, {});
  const auto warm_values =
      run("tmc-shapley", defaults_with("tmc-shapley", {{"max_permutations", std::int64_t{30}}, {"convergence", 0.0}}),
          warm, 5);
  const auto cold_values =
      run("tmc-shapley", defaults_with("tmc-shapley", {{"max_permutations", std::int64_t{30}}, {"convergence", 0.0},
                                                       {"warm_start", false}}),
          cold, 5);
  EXPECT_EQ(warm.fits(), cold.fits());
  ASSERT_EQ(warm_values.size(), cold_values.size());
  for (Eigen::Index i = 0; i < warm_values.size(); ++i) EXPECT_NEAR(warm_values(i), cold_values(i), 1e-12) << i;
}

TEST(GradientShapley, OneRowIsTheAccuracyGainOfOneStepFromZero) {
  // n = 1: the value is acc(theta_1) - acc(0). At theta = 0 the softmax is
  // uniform, so the step is W_c = -rate (1/k - [c = y]) x - rate l2 * 0,
  // b_c = -rate (1/k - [c = y]): class y gains, the others lose.
  SelectionData data = planted(1, 9);
  data.num_classes = 3;
  data.valid.y = Eigen::VectorXi::Zero(data.valid.rows());
  for (Eigen::Index i = 0; i < data.valid.rows(); i += 3) data.valid.y(i) = 2;  // a third of class 2
  data.train.y(0) = 2;
  const Utility utility(data, UtilityOptions{});
  const Eigen::VectorXd v = run("gradient-shapley", defaults_with("gradient-shapley", {{"max_permutations", std::int64_t{1}}}),
                                utility, 1);
  const double rate = 0.1;
  Eigen::MatrixXd w = Eigen::MatrixXd::Zero(3, data.train.x.cols());
  Eigen::VectorXd b = Eigen::VectorXd::Zero(3);
  for (int c = 0; c < 3; ++c) {
    const double r = 1.0 / 3 - (c == 2 ? 1.0 : 0.0);
    w.row(c) = -rate * r * data.train.x.row(0);
    b(c) = -rate * r;
  }
  int correct_after = 0, correct_before = 0;
  for (Eigen::Index i = 0; i < data.valid.rows(); ++i) {
    const Eigen::VectorXd z = w * data.valid.x.row(i).transpose() + b;
    Eigen::Index best = 0;
    for (Eigen::Index c = 1; c < 3; ++c) {
      if (z(c) > z(best)) best = c;
    }
    correct_after += best == data.valid.y(i);
    correct_before += data.valid.y(i) == 0;  // the zero model predicts class 0
  }
  EXPECT_NEAR(v(0), static_cast<double>(correct_after - correct_before) / static_cast<double>(data.valid.rows()), 1e-15);
  EXPECT_EQ(utility.fits(), 0);
}

TEST(GradientShapley, ValuesSumToTheMeanGainOfAnEpoch) {
  const SelectionData data = planted(6, 10);
  const Utility utility(data, UtilityOptions{});
  const Eigen::VectorXd v = run("gradient-shapley", defaults_with("gradient-shapley", {{"max_permutations", std::int64_t{50}},
                                                                                      {"convergence", 0.0}}),
                                utility, 2);
  // Efficiency per permutation: the marginals telescope to acc(after the
  // epoch) - acc(zero model); averaged, so the sum is the mean gain, which
  // lies within [-1, 1] and is not 0 for this problem.
  EXPECT_LE(std::abs(v.sum()), 1.0);
  EXPECT_GT(std::abs(v.sum()), 0.0);
}

TEST(ClasswiseShapley, ConvergesToTheEnumeratedContextAverage) {
  const SelectionData data = planted(7, 11);
  const Utility utility(data, UtilityOptions{});
  // The class-wise utility by hand on the full set.
  {
    std::vector<Eigen::Index> all = {0, 1, 2, 3, 4, 5, 6};
    const Eigen::VectorXi predicted = utility.fit(all).predict(data.valid.x);
    double in = 0, out = 0;
    for (Eigen::Index i = 0; i < data.valid.rows(); ++i) {
      if (predicted(i) == data.valid.y(i)) (data.valid.y(i) == 1 ? in : out) += 1.0 / data.valid.rows();
    }
    EXPECT_DOUBLE_EQ(classwise_utility(utility, all, 1), in * std::exp(out));
  }
  // Exact: for each class, the mean over all 2^|rest| contexts of the
  // Shapley values of the in-class game by enumeration.
  std::vector<double> exact(7, 0.0);
  for (int label = 0; label < 2; ++label) {
    std::vector<Eigen::Index> in_class, rest;
    for (Eigen::Index i = 0; i < 7; ++i) (data.train.y(i) == label ? in_class : rest).push_back(i);
    const int m = static_cast<int>(in_class.size());
    if (m == 0) continue;
    const unsigned contexts = 1u << rest.size();
    for (unsigned t = 0; t < contexts; ++t) {
      std::vector<double> u(size_t{1} << m);
      for (unsigned s = 0; s < u.size(); ++s) {
        std::vector<Eigen::Index> rows;
        for (size_t j = 0; j < rest.size(); ++j) {
          if (t & (1u << j)) rows.push_back(rest[j]);
        }
        for (int j = 0; j < m; ++j) {
          if (s & (1u << j)) rows.push_back(in_class[static_cast<size_t>(j)]);
        }
        u[s] = classwise_utility(utility, rows, label);
      }
      const auto phi = semivalues_from_utilities(u, m, shapley_weights(m));
      for (int j = 0; j < m; ++j) exact[static_cast<size_t>(in_class[static_cast<size_t>(j)])] += phi[static_cast<size_t>(j)] / contexts;
    }
  }
  const Eigen::VectorXd estimate = run(
      "classwise-shapley", defaults_with("classwise-shapley", {{"contexts", std::int64_t{400}}, {"permutations", std::int64_t{10}}}),
      utility, 3);
  double spread = 0;
  for (double v : exact) spread = std::max(spread, std::abs(v));
  ASSERT_GT(spread, 0.05);
  for (Eigen::Index i = 0; i < 7; ++i) EXPECT_NEAR(estimate(i), exact[static_cast<size_t>(i)], 0.01) << "row " << i;  // errors seen: 0.002
}

TEST(Lava, AFlippedLabelInSeparatedClustersIsTheLeastValuable) {
  // Two tight clusters far apart, labels by cluster; training row 3's label is flipped.
  SelectionData data;
  data.num_classes = 2;
  std::mt19937_64 rng(4);
  std::normal_distribution<double> noise(0, 0.1);
  auto cluster_table = [&](Eigen::Index n) {
    data::Table t;
    t.num_classes = 2;
    t.x.resize(n, 2);
    t.y.resize(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      t.y(i) = static_cast<int>(i % 2);
      t.x(i, 0) = 5.0 * t.y(i) + noise(rng);
      t.x(i, 1) = noise(rng);
    }
    return t;
  };
  data.train = cluster_table(20);
  data.valid = cluster_table(20);
  data.test = cluster_table(4);
  data.train.y(3) = 1 - data.train.y(3);
  data.corrupted.assign(20, 0);
  const Utility utility(data, UtilityOptions{});
  const Eigen::VectorXd v = run("lava", defaults_with("lava", {}), utility, 1);
  Eigen::Index lowest;
  v.minCoeff(&lowest);
  EXPECT_EQ(lowest, 3);
  // Calibration: values are minus (f_i - mean of the others), so they sum to 0.
  EXPECT_NEAR(v.sum(), 0.0, 1e-9 * v.cwiseAbs().sum());
  EXPECT_EQ(utility.fits(), 0);
}

TEST(Representer, ValuesSumToThePreActivationPrediction) {
  const SelectionData data = three_classes(300, 120, 60, 12);
  UtilityOptions o;
  o.l2 = 0.05;
  o.tolerance = 1e-11;
  const Utility utility(data, o);
  std::vector<Eigen::Index> all(120);
  std::iota(all.begin(), all.end(), Eigen::Index{0});
  const auto model = utility.fit(all);
  const Eigen::MatrixXd alpha = representer_alpha(data.train.x, data.train.y, model.weight, model.bias, o.l2);
  // sum_i alpha_i (x_i . x_t) + b = the logits of every validation row, up to
  // the fit's own stationarity defect: W - sum_i alpha_i x_i^T = grad_W / l2
  // exactly (grad_W of the penalised objective), which L-BFGS leaves small.
  const Eigen::MatrixXd from_points =
      (data.valid.x * data.train.x.transpose() * alpha).rowwise() + model.bias.transpose();
  Eigen::MatrixXd grad_w;
  Eigen::VectorXd grad_b;
  models::softmax_objective(data.train.x, data.train.y, model.weight, model.bias, o.l2, &grad_w, &grad_b);
  const Eigen::MatrixXd defect = data.valid.x * (grad_w / o.l2).transpose();
  EXPECT_LT((from_points + defect - model.logits(data.valid.x)).cwiseAbs().maxCoeff(), 1e-10);
  EXPECT_LT(defect.cwiseAbs().maxCoeff(), 1e-5);
  // The method's values: the true-class parts summed over validation rows.
  const Eigen::VectorXd v = run("representer", {}, utility, 1);
  double true_logits = 0;
  for (Eigen::Index t = 0; t < 60; ++t) {
    const auto y = data.valid.y(t);
    true_logits += model.logits(data.valid.x.row(t))(0, y) - model.bias(y) - defect(t, y);
  }
  EXPECT_NEAR(v.sum(), true_logits, 1e-10 * std::max(1.0, std::abs(true_logits)));
}

TEST(TracIn, OneFullBatchEpochIsTheStepTimesTheGradientProduct) {
  const SelectionData data = planted(12, 13);
  UtilityOptions o;
  o.l2 = 0.2;
  const Utility utility(data, o);
  const Eigen::VectorXd v = run("tracin", defaults_with("tracin", {{"epochs", std::int64_t{1}}, {"batch_size", std::int64_t{12}},
                                                                  {"learning_rate", 0.3}}),
                                utility, 1);
  // theta_1 = -0.3 * (mean gradient at 0): residuals 1/2 - [c = y] (l2 adds 0 at W = 0).
  Eigen::MatrixXd w = Eigen::MatrixXd::Zero(2, data.train.x.cols());
  Eigen::VectorXd b = Eigen::VectorXd::Zero(2);
  for (Eigen::Index i = 0; i < 12; ++i) {
    for (int c = 0; c < 2; ++c) {
      const double r = 0.5 - (c == data.train.y(i) ? 1.0 : 0.0);
      w.row(c) -= 0.3 / 12 * r * data.train.x.row(i);
      b(c) -= 0.3 / 12 * r;
    }
  }
  const Eigen::VectorXd gv = models::per_example_gradients(data.valid.x, data.valid.y, w, b).colwise().mean().transpose();
  const Eigen::MatrixXd gt = models::per_example_gradients(data.train.x, data.train.y, w, b);
  for (Eigen::Index i = 0; i < 12; ++i) EXPECT_NEAR(v(i), 0.3 * gt.row(i).dot(gv), 1e-14) << "row " << i;
}

TEST(TracIn, MlpOneCheckpointIsTheStepTimesTheLastLayerGradientProduct) {
  // model = mlp, one full-batch epoch: one checkpoint theta_1 =
  // sgd_mlp_train's; value_i = lr * grad_last loss_i . mean_t grad_last loss_t
  // at theta_1, the gradients here by backpropagation through
  // sgd_mlp_objective on single rows (l2 = 0), restricted to the last layer.
  const SelectionData data = planted(12, 13);
  UtilityOptions o;
  o.l2 = 0.2;
  const Utility utility(data, o);
  const Eigen::VectorXd v = run("tracin", defaults_with("tracin", {{"epochs", std::int64_t{1}}, {"batch_size", std::int64_t{12}},
                                                                  {"learning_rate", 0.3}, {"model", std::string("mlp")},
                                                                  {"hidden", std::int64_t{4}}}),
                                utility, 1);
  const models::SgdMlpShape shape{static_cast<int>(data.train.x.cols()), 4, 1, 2};
  models::SgdMlpOptions mo;
  mo.epochs = 1, mo.batch_size = 12, mo.learning_rate = 0.3, mo.l2 = 0.2;
  const Eigen::VectorXd theta = models::sgd_mlp_train(shape, data.train.x, data.train.y, mo, 1);
  const Eigen::Index last = 2 * (4 + 1);
  auto gradient = [&](const data::Table& t, Eigen::Index i) {
    Eigen::VectorXd g;
    const Eigen::MatrixXd xi = t.x.row(i);
    const Eigen::VectorXi yi = t.y.segment(i, 1);
    models::sgd_mlp_objective(shape, theta, xi, yi, 0.0, &g);
    return Eigen::VectorXd(g.tail(last));
  };
  Eigen::VectorXd gv = Eigen::VectorXd::Zero(last);
  for (Eigen::Index t = 0; t < data.valid.rows(); ++t) gv += gradient(data.valid, t) / static_cast<double>(data.valid.rows());
  ASSERT_GT(gv.norm(), 1e-6);
  for (Eigen::Index i = 0; i < 12; ++i) EXPECT_NEAR(v(i), 0.3 * gradient(data.train, i).dot(gv), 1e-12) << "row " << i;
}

TEST(KMeansSensitivity, OutlierIsMostSensitiveAndSensitivitiesSumToOnePlusClusters) {
  SelectionData data = planted(16, 14);
  // Row 0 becomes a far outlier of its class.
  data.train.x.row(0) += Eigen::RowVectorXd::Constant(data.train.x.cols(), 50.0);
  const Utility utility(data, UtilityOptions{});
  const Eigen::VectorXd v = run("kmeans-sensitivity", defaults_with("kmeans-sensitivity", {{"clusters", std::int64_t{1}}}),
                                utility, 1);
  Eigen::Index top;
  v.maxCoeff(&top);
  EXPECT_EQ(top, 0);
  // One cluster per class: sum over a class of d^2/cost is 1, of 1/|cluster| is 1.
  for (int label = 0; label < 2; ++label) {
    double sum = 0;
    for (Eigen::Index i = 0; i < 16; ++i) {
      if (data.train.y(i) == label) sum += v(i);
    }
    EXPECT_NEAR(sum, 2.0, 1e-12) << "class " << label;
  }
  // One cluster: d(x, B) is the distance to the class mean, by hand for row 1.
  std::vector<Eigen::Index> same;
  for (Eigen::Index i = 0; i < 16; ++i) {
    if (data.train.y(i) == data.train.y(1)) same.push_back(i);
  }
  const Eigen::RowVectorXd mean = models::select_rows(data.train.x, same).colwise().mean();
  double cost = 0;
  for (Eigen::Index i : same) cost += (data.train.x.row(i) - mean).squaredNorm();
  EXPECT_NEAR(v(1), (data.train.x.row(1) - mean).squaredNorm() / cost + 1.0 / same.size(), 1e-12);
}

TEST(Craig, GreedyFacilityLocationByHandAndBruteForce) {
  // Points on a line at 0, 1, 2, 10: c = 10. The first choice maximises
  // sum_i (10 - |g_i - g_j|): j = 1 (sum of distances 1 + 0 + 1 + 9 = 11 is the least).
  Eigen::MatrixXd g(4, 1);
  g << 0, 1, 2, 10;
  auto chosen = greedy_facility_location(g, 2);
  ASSERT_EQ(chosen.selected.size(), 2u);
  EXPECT_EQ(chosen.selected[0], 1);
  // Then the gains: row 3 raises only itself from 1 to 10 (+9), row 0 or 2 by 1: row 3.
  EXPECT_EQ(chosen.selected[1], 3);
  EXPECT_EQ(chosen.weights, (std::vector<double>{3, 1}));
  // The best pair by brute force has the same objective as the greedy one here.
  auto objective = [&](const std::vector<Eigen::Index>& s) {
    double f = 0;
    for (Eigen::Index i = 0; i < 4; ++i) {
      double top = 0;
      for (Eigen::Index j : s) top = std::max(top, 10 - std::abs(g(i, 0) - g(j, 0)));
      f += top;
    }
    return f;
  };
  double best = 0;
  for (Eigen::Index a = 0; a < 4; ++a) {
    for (Eigen::Index b = a + 1; b < 4; ++b) best = std::max(best, objective({a, b}));
  }
  EXPECT_DOUBLE_EQ(objective(chosen.selected), best);
  // Everything chosen: each row stands for itself.
  chosen = greedy_facility_location(g, 4);
  EXPECT_EQ(chosen.weights, (std::vector<double>{1, 1, 1, 1}));
  // The method: weights of the chosen rows sum to each class's size.
  const SelectionData data = planted(16, 15);
  const Utility utility(data, UtilityOptions{});
  const Eigen::VectorXd v = run("craig", defaults_with("craig", {{"fraction", 0.25}}), utility, 1);
  EXPECT_DOUBLE_EQ(v.sum(), 16.0);
  EXPECT_EQ((v.array() > 0).count(), std::llround(0.25 * (data.train.y.array() == 0).count()) +
                                         std::llround(0.25 * (data.train.y.array() == 1).count()));
}

TEST(Influence, PredictsTheValidationLossChangeOfRefitting) {
  const SelectionData data = three_classes(600, 300, 200, 7);
  UtilityOptions o;
  o.l2 = 0.05;
  o.tolerance = 1e-10;
  const Utility utility(data, o);
  const Eigen::VectorXd value = run("influence", {}, utility, 1);
  std::vector<Eigen::Index> all(300);
  std::iota(all.begin(), all.end(), Eigen::Index{0});
  auto valid_loss = [&](const std::vector<Eigen::Index>& rows) {
    const auto m = utility.fit(rows);
    return models::softmax_objective(data.valid.x, data.valid.y, m.weight, m.bias, 0.0, nullptr, nullptr);
  };
  const double base = valid_loss(all);
  std::vector<double> predicted, actual;
  for (Eigen::Index i = 0; i < 300; i += 10) {
    std::vector<Eigen::Index> rest = all;
    rest.erase(rest.begin() + i);
    actual.push_back(valid_loss(rest) - base);
    predicted.push_back(value(i));
  }
  const Eigen::Map<const Eigen::VectorXd> a(actual.data(), 30), p(predicted.data(), 30);
  const double corr = (a.array() - a.mean()).matrix().dot((p.array() - p.mean()).matrix()) /
                      std::sqrt((a.array() - a.mean()).square().sum() * (p.array() - p.mean()).square().sum());
  EXPECT_GT(corr, 0.95);
  EXPECT_LT((a - p).norm() / a.norm(), 0.2);
}

TEST(Influence, ConjugateGradientsAndLissaSolveTheSameSystem) {
  const SelectionData data = three_classes(400, 150, 100, 8);
  UtilityOptions o;
  o.l2 = 0.1;
  o.tolerance = 1e-10;
  const Utility utility(data, o);
  const Eigen::VectorXd exact = run("influence", {}, utility, 1);
  const Eigen::VectorXd cg = run("influence-cg", defaults_with("influence-cg", {{"tolerance", 1e-12}}), utility, 1);
  EXPECT_LT((cg - exact).norm() / exact.norm(), 1e-9);
  // Full-batch LiSSA is a Neumann series: converged after enough steps.
  const Eigen::VectorXd lissa = run("influence-lissa", defaults_with("influence-lissa", {{"depth", std::int64_t{4000}},
                                                                                        {"scale", 10.0}}),
                                    utility, 1);
  EXPECT_LT((lissa - exact).norm() / exact.norm(), 1e-6);
  // Too few steps are not.
  const Eigen::VectorXd short_lissa = run("influence-lissa", defaults_with("influence-lissa", {{"depth", std::int64_t{5}},
                                                                                              {"scale", 10.0}}),
                                          utility, 1);
  EXPECT_GT((short_lissa - exact).norm() / exact.norm(), 0.1);
  // Minibatch Hessians: a noisy estimate of the same values.
  const Eigen::VectorXd noisy = run("influence-lissa", defaults_with("influence-lissa", {{"depth", std::int64_t{4000}},
                                                                                        {"scale", 10.0},
                                                                                        {"batch_size", std::int64_t{50}}}),
                                    utility, 1);
  EXPECT_LT((noisy - exact).norm() / exact.norm(), 0.3);
  EXPECT_THROW(run("influence-lissa", defaults_with("influence-lissa", {{"scale", 0.01}}), utility, 1), MethodError);
}

}  // namespace
}  // namespace sb::selection
