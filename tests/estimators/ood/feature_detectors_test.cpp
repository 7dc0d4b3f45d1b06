// Feature-based detectors against direct computations by loops.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "estimators/ood/common.h"
#include "tests/estimators/ood/helpers.h"

namespace sb::ood::testing {
namespace {

// 2x2 helpers written out by hand.
struct Mat2 {
  double a, b, c, d;  // [[a, b], [c, d]]
  Mat2 inverse() const {
    const double det = a * d - b * c;
    return {d / det, -b / det, -c / det, a / det};
  }
  double quad(double x, double y) const { return x * (a * x + b * y) + y * (c * x + d * y); }
};

// Covariance (1/N) of rows around per-row centres.
Mat2 loop_cov(const Eigen::MatrixXd& f, const std::vector<std::pair<double, double>>& centre) {
  Mat2 s{0, 0, 0, 0};
  for (long i = 0; i < f.rows(); ++i) {
    const double x = f(i, 0) - centre[i].first, y = f(i, 1) - centre[i].second;
    s.a += x * x, s.b += x * y, s.c += x * y, s.d += y * y;
  }
  const double n = static_cast<double>(f.rows());
  return {s.a / n, s.b / n, s.c / n, s.d / n};
}

TEST(Mahalanobis, SharedCovarianceByHand) {
  TinyProblem t;
  // Class means (2.5, 0.5), (0.5, 2.5), (-1.5, -1.25); shared covariance
  // [[1/4, 1/24], [1/24, 17/48]] (worked out by hand from the six rows).
  const std::vector<std::pair<double, double>> means{{2.5, 0.5}, {0.5, 2.5}, {-1.5, -1.25}};
  std::vector<std::pair<double, double>> centre;
  for (long i = 0; i < 6; ++i) centre.push_back(means[t.train.labels(i)]);
  const Mat2 cov = loop_cov(t.train.features, centre);
  ASSERT_NEAR(cov.a, 0.25, 1e-15);
  ASSERT_NEAR(cov.b, 1.0 / 24, 1e-15);
  ASSERT_NEAR(cov.d, 17.0 / 48, 1e-15);
  const Mat2 prec = cov.inverse();
  auto d = make_detector("mahalanobis");
  d->fit(t.ctx);
  const Eigen::VectorXd got = d->score(t.test);
  for (long i = 0; i < got.size(); ++i) {
    double best = 1e300;
    for (const auto& [mx, my] : means)
      best = std::min(best, prec.quad(t.test.features(i, 0) - mx, t.test.features(i, 1) - my));
    EXPECT_NEAR(got(i), -best, 1e-10) << "row " << i;
  }
}

TEST(RelativeMahalanobis, SubtractsBackgroundDistance) {
  TinyProblem t;
  const std::vector<std::pair<double, double>> means{{2.5, 0.5}, {0.5, 2.5}, {-1.5, -1.25}};
  std::vector<std::pair<double, double>> centre, global;
  double gx = 0, gy = 0;
  for (long i = 0; i < 6; ++i) gx += t.train.features(i, 0) / 6, gy += t.train.features(i, 1) / 6;
  for (long i = 0; i < 6; ++i) centre.push_back(means[t.train.labels(i)]), global.emplace_back(gx, gy);
  const Mat2 prec = loop_cov(t.train.features, centre).inverse();
  const Mat2 prec0 = loop_cov(t.train.features, global).inverse();
  auto d = make_detector("relative-mahalanobis");
  d->fit(t.ctx);
  const Eigen::VectorXd got = d->score(t.test);
  for (long i = 0; i < got.size(); ++i) {
    const double x = t.test.features(i, 0), y = t.test.features(i, 1);
    const double md0 = prec0.quad(x - gx, y - gy);
    double best = 1e300;
    for (const auto& [mx, my] : means) best = std::min(best, prec.quad(x - mx, y - my) - md0);
    EXPECT_NEAR(got(i), -best, 1e-10) << "row " << i;
  }
}

// Brute force: sort all distances.
double brute_kth(const Eigen::MatrixXd& ref, const Eigen::MatrixXd& q, long i, int k) {
  std::vector<double> dist;
  for (long r = 0; r < ref.rows(); ++r) {
    double s = 0;
    for (long j = 0; j < ref.cols(); ++j) s += (ref(r, j) - q(i, j)) * (ref(r, j) - q(i, j));
    dist.push_back(std::sqrt(s));
  }
  std::sort(dist.begin(), dist.end());
  return dist[k - 1];
}

TEST(KnnIndex, MatchesBruteForceAcrossBlocks) {
  // More rows than one reference block (2048) and queries than one query
  // block (256); duplicated rows exercise ties.
  std::mt19937_64 rng(3);
  std::normal_distribution<double> n01;
  Eigen::MatrixXd ref(4500, 6), q(300, 6);
  for (long i = 0; i < ref.size(); ++i) ref.data()[i] = n01(rng);
  for (long i = 0; i < q.size(); ++i) q.data()[i] = n01(rng);
  ref.row(10) = ref.row(3000);
  q.row(5) = ref.row(42);
  const detail::KnnIndex index(ref);
  for (int k : {1, 2, 17}) {
    const Eigen::VectorXd got = index.kth_distance(q, k);
    for (long i = 0; i < q.rows(); ++i) EXPECT_NEAR(got(i), brute_kth(ref, q, i, k), 1e-12) << k;
  }
  EXPECT_NEAR(index.kth_distance(q, 1)(5), 0.0, 1e-12);
  EXPECT_THROW(index.kth_distance(q, 4501), InputError);
}

TEST(Knn, NegativeKthDistanceOfNormalisedFeatures) {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> n01;
  Eigen::MatrixXd f(80, 4), g(20, 4);
  for (long i = 0; i < f.size(); ++i) f.data()[i] = n01(rng);
  for (long i = 0; i < g.size(); ++i) g.data()[i] = 3.0 * n01(rng);
  Eigen::MatrixXd w = Eigen::MatrixXd::Ones(2, 4);
  Eigen::VectorXd b = Eigen::VectorXd::Zero(2);
  Split train = make_split(f, w, b, std::vector<int>(80, 0));
  Split test = make_split(g, w, b);
  FitContext ctx;
  ctx.train = &train, ctx.weight = w, ctx.bias = b, ctx.num_classes = 2;
  auto d = make_detector("knn", {{"k", std::int64_t{5}}});
  d->fit(ctx);
  auto unit = [](Eigen::MatrixXd x) {
    for (long i = 0; i < x.rows(); ++i) {
      double s = 0;
      for (long j = 0; j < x.cols(); ++j) s += x(i, j) * x(i, j);
      for (long j = 0; j < x.cols(); ++j) x(i, j) /= std::sqrt(s);
    }
    return x;
  };
  const Eigen::MatrixXd fu = unit(f), gu = unit(g);
  const Eigen::VectorXd got = d->score(test);
  for (long i = 0; i < 20; ++i) EXPECT_NEAR(got(i), -brute_kth(fu, gu, i, 5), 1e-12);

  // A training subset can only push the k-th neighbour further away.
  auto sub = make_detector("knn", {{"k", std::int64_t{5}}, {"train_fraction", 0.5}});
  sub->fit(ctx);
  const Eigen::VectorXd got_sub = sub->score(test);
  for (long i = 0; i < 20; ++i) EXPECT_LE(got_sub(i), got(i) + 1e-12);
  EXPECT_FALSE(got_sub.isApprox(got));
  auto too_big = make_detector("knn", {{"k", std::int64_t{50}}, {"train_fraction", 0.5}});
  EXPECT_THROW(too_big->fit(ctx), MethodError);
}

// Features u + (+-3, +-0.1): the uncentred moment about the origin
// u = -pinv(W) b = (0, -0.5) is diag(9, 0.01), so the principal direction
// (D = 1) is the x axis and the residual of f is |f_y - u_y|.
struct SubspaceProblem {
  TinyProblem t;
  Split train;
  FitContext ctx;
  SubspaceProblem() {
    const Eigen::MatrixXd f{{3.0, -0.4}, {3.0, -0.6}, {-3.0, -0.4}, {-3.0, -0.6}};
    train = make_split(f, t.w, t.b, {0, 1, 2, 0});
    ctx = t.ctx;
    ctx.train = &train;
  }
};

TEST(Residual, ResidualOfKnownPrincipalDirection) {
  SubspaceProblem p;
  auto d = make_detector("residual", {{"dim", std::int64_t{1}}});
  d->fit(p.ctx);
  const Eigen::VectorXd got = d->score(p.t.test);
  for (long i = 0; i < got.size(); ++i)
    EXPECT_NEAR(got(i), -std::abs(p.t.test.features(i, 1) + 0.5), 1e-12) << "row " << i;
  auto bad = make_detector("residual", {{"dim", std::int64_t{2}}});
  EXPECT_THROW(bad->fit(p.ctx), InputError);
}

TEST(Vim, EnergyMinusScaledVirtualLogit) {
  SubspaceProblem p;
  // alpha = mean training max-logit / mean training residual (= 0.1).
  double mean_max = 0;
  for (long i = 0; i < 4; ++i) mean_max += p.train.logits.row(i).maxCoeff() / 4;
  const double alpha = mean_max / 0.1;
  auto d = make_detector("vim", {{"dim", std::int64_t{1}}});
  d->fit(p.ctx);
  auto fixed = make_detector("vim", {{"dim", std::int64_t{1}}, {"alpha", 2.0}});
  fixed->fit(p.ctx);
  const Eigen::VectorXd got = d->score(p.t.test), got_fixed = fixed->score(p.t.test);
  for (long i = 0; i < got.size(); ++i) {
    const double res = std::abs(p.t.test.features(i, 1) + 0.5);
    EXPECT_NEAR(got(i), loop_energy(p.t.test.logits, i) - alpha * res, 1e-10) << "row " << i;
    EXPECT_NEAR(got_fixed(i), loop_energy(p.t.test.logits, i) - 2.0 * res, 1e-10);
  }
}

TEST(React, ClipsAtTrainingPercentileThenEnergy) {
  TinyProblem t;
  // The 12 training activations sorted: -2 -2 -1 -0.5 0 0 1 1 2 2 3 3.
  // p = 50: h = 5.5 -> (0 + 1) / 2 = 0.5.  p = 90: h = 9.9 -> 2 + 0.9 = 2.9.
  for (auto [p, c] : {std::pair{50.0, 0.5}, std::pair{90.0, 2.9}}) {
    auto d = make_detector("react", {{"percentile", p}});
    d->fit(t.ctx);
    Eigen::MatrixXd clipped = t.test.features;
    for (long i = 0; i < clipped.rows(); ++i)
      for (long j = 0; j < 2; ++j) clipped(i, j) = std::min(clipped(i, j), c);
    const Eigen::MatrixXd logits = loop_logits(clipped, t.w, t.b);
    const Eigen::VectorXd got = d->score(t.test);
    for (long i = 0; i < got.size(); ++i) EXPECT_NEAR(got(i), loop_energy(logits, i), 1e-12) << p;
  }
}

TEST(Ash, PruneBinariseScaleByHand) {
  // m = 4, p = 50 keeps the 2 largest of (0.5, 3, 1, 2): entries 1 and 3.
  const Eigen::MatrixXd w{{1.0, 0.0, 0.5, -1.0}, {0.0, 1.0, 0.0, 0.5}, {0.2, 0.2, 0.2, 0.2}};
  const Eigen::VectorXd b{{0.1, -0.1, 0.0}};
  const Eigen::MatrixXd f{{0.5, 3.0, 1.0, 2.0}};
  Split train = make_split(f, w, b, {0});
  FitContext ctx;
  ctx.train = &train, ctx.weight = w, ctx.bias = b, ctx.num_classes = 3;
  const double s1 = 6.5, s2 = 5.0;
  const Eigen::MatrixXd pruned{{0.0, 3.0, 0.0, 2.0}};
  const Eigen::MatrixXd binary{{0.0, s1 / 2, 0.0, s1 / 2}};
  const Eigen::MatrixXd scaled = pruned * std::exp(s1 / s2);
  for (auto [variant, shaped] : {std::pair{"p", pruned}, std::pair{"b", binary}, std::pair{"s", scaled}}) {
    auto d = make_detector("ash", {{"variant", std::string(variant)}, {"percentile", 50.0}});
    d->fit(ctx);
    EXPECT_NEAR(d->score(train)(0), loop_energy(loop_logits(shaped, w, b), 0), 1e-12) << variant;
  }
}

TEST(Dice, SparsifiesWeightsByContribution) {
  TinyProblem t;
  // Mean training feature (0.5, 7/12): contributions W_cj * mean_j =
  // [[0.5, 0], [0, 7/12], [-0.5, -7/12]]; p = 50 -> threshold = (0 + 0) / 2 = 0,
  // keeps W_00 and W_11 only.
  auto d = make_detector("dice", {{"percentile", 50.0}});
  d->fit(t.ctx);
  const Eigen::MatrixXd w_sparse{{1.0, 0.0}, {0.0, 1.0}, {0.0, 0.0}};
  const Eigen::MatrixXd logits = loop_logits(t.test.features, w_sparse, t.b);
  const Eigen::VectorXd got = d->score(t.test);
  for (long i = 0; i < got.size(); ++i) EXPECT_NEAR(got(i), loop_energy(logits, i), 1e-12);
  // p = 80: h = 0.8 * 5 = 4 -> threshold = 0.5 (5th smallest); keeps W_11 only.
  auto d80 = make_detector("dice", {{"percentile", 80.0}});
  d80->fit(t.ctx);
  const Eigen::MatrixXd w80{{0.0, 0.0}, {0.0, 1.0}, {0.0, 0.0}};
  const Eigen::MatrixXd logits80 = loop_logits(t.test.features, w80, t.b);
  for (long i = 0; i < got.size(); ++i) EXPECT_NEAR(d80->score(t.test)(i), loop_energy(logits80, i), 1e-12);
}

TEST(She, InnerProductWithPredictedClassPattern) {
  TinyProblem t;
  auto d = make_detector("she");
  d->fit(t.ctx);
  // Patterns: mean of correctly classified training rows per class.
  double pat[3][2] = {};
  int cnt[3] = {};
  for (long i = 0; i < 6; ++i) {
    long pred = 0;
    for (long c = 1; c < 3; ++c)
      if (t.train.logits(i, c) > t.train.logits(i, pred)) pred = c;
    if (pred != t.train.labels(i)) continue;
    pat[pred][0] += t.train.features(i, 0), pat[pred][1] += t.train.features(i, 1), ++cnt[pred];
  }
  for (int c = 0; c < 3; ++c) ASSERT_GT(cnt[c], 0) << "fixture should classify each class";
  const Eigen::VectorXd got = d->score(t.test);
  for (long i = 0; i < got.size(); ++i) {
    long pred = 0;
    for (long c = 1; c < 3; ++c)
      if (t.test.logits(i, c) > t.test.logits(i, pred)) pred = c;
    const double expected = (t.test.features(i, 0) * pat[pred][0] + t.test.features(i, 1) * pat[pred][1]) / cnt[pred];
    EXPECT_NEAR(got(i), expected, 1e-12) << "row " << i;
  }
}

TEST(Sprod, SplitsMisassignedSubgroupIntoItsOwnPrototype) {
  // Class 0 = {(0,0),(0,0.2)} + a subgroup {(4,0),(4,0.2)} nearer class 1's
  // mean (5.5,0.1) than its own (2,0.1): prototypes (0,0.1), (4,0.1), (5.5,0.1).
  const Eigen::MatrixXd f{{0, 0}, {0, 0.2}, {4, 0}, {4, 0.2}, {5, 0}, {5, 0.2}, {6, 0}, {6, 0.2}};
  const Eigen::MatrixXd w{{1.0, 0.0}, {0.0, 1.0}};
  const Eigen::VectorXd b = Eigen::VectorXd::Zero(2);
  Split train = make_split(f, w, b, {0, 0, 0, 0, 1, 1, 1, 1});
  FitContext ctx;
  ctx.train = &train, ctx.weight = w, ctx.bias = b, ctx.num_classes = 2;
  const Eigen::MatrixXd q{{3.9, 0.1}, {2.0, 0.1}, {0.0, 1.1}, {7.0, 0.1}};
  Split test = make_split(q, w, b);
  const std::vector<double> expected{-0.1, -2.0, -1.0, -1.5};
  for (std::int64_t steps : {0, 2}) {
    auto d = make_detector("sprod", {{"normalize", false}, {"refine_steps", steps}});
    d->fit(ctx);
    const Eigen::VectorXd got = d->score(test);
    for (long i = 0; i < 4; ++i) EXPECT_NEAR(got(i), expected[i], 1e-12) << "steps " << steps;
  }
  // With min_group above the subgroup size, class 0 keeps one prototype (2, 0.1).
  auto merged = make_detector("sprod", {{"normalize", false}, {"min_group", std::int64_t{3}}, {"refine_steps", std::int64_t{0}}});
  merged->fit(ctx);
  EXPECT_NEAR(merged->score(test)(1), 0.0, 1e-12);
}

// 1-D partition integral by the trapezoid rule on a wide fine grid.
double quad_partition(double nu, double p) {
  auto d = [&](double t) {
    const double s = nu > 0 ? 1.0 : (nu < 0 ? -1.0 : 0.0);
    return (std::pow(std::abs(t), p) - std::pow(std::abs(nu), p)) / p - s * std::pow(std::abs(nu), p - 1) * (t - nu);
  };
  const double lo = nu - 30, hi = nu + 30, h = 1e-3;
  double sum = 0;
  for (double t = lo; t <= hi; t += h) sum += std::exp(-d(t)) * h;
  return sum;
}

TEST(ConjNorm, MixtureLogDensityWithQuadraturePartition) {
  TinyProblem t;
  for (double p : {2.0, 3.0, 1.5}) {
    auto d = make_detector("conjnorm", {{"p", p}, {"samples", std::int64_t{400000}}});
    d->fit(t.ctx);
    // Scale s = RMS within-class deviation per coordinate (hand: sqrt((1.5 + 2.125) / 12)).
    const double s = std::sqrt((1.5 + 2.125) / 12.0);
    const double means[3][2] = {{2.5, 0.5}, {0.5, 2.5}, {-1.5, -1.25}};
    const Eigen::VectorXd got = d->score(t.test);
    for (long i = 0; i < got.size(); ++i) {
      double total = 0;
      for (const auto& m : means) {
        double log_density = 0;
        for (int j = 0; j < 2; ++j) {
          const double z = t.test.features(i, j) / s, nu = m[j] / s;
          const double sg = nu > 0 ? 1.0 : -1.0;
          log_density -= (std::pow(std::abs(z), p) - std::pow(std::abs(nu), p)) / p -
                         sg * std::pow(std::abs(nu), p - 1) * (z - nu);
          log_density -= std::log(quad_partition(nu, p));
        }
        total += std::exp(log_density) / 3.0;
      }
      // Importance sampling error of log Z with 4e5 draws is ~1e-3.
      EXPECT_NEAR(got(i), std::log(total), 0.01) << "p=" << p << " row " << i;
    }
  }
  // p = 2 is an isotropic Gaussian: Z = sqrt(2 pi) per coordinate.
  EXPECT_NEAR(quad_partition(1.3, 2.0), std::sqrt(2 * M_PI), 1e-9);
}

}  // namespace
}  // namespace sb::ood::testing
