// ATE estimators against hand computations, algebraic identities and a
// numerical M-estimation sandwich (an independent route to the SEs).
#include <gtest/gtest.h>

#include <cmath>

#include "estimators/models/linear.h"
#include "tests/benchmarks/estimation/causal_test_util.h"

namespace sb::estimation::testing {
namespace {

constexpr double kZ = 1.959963984540054;

Data tiny_ate() {
  Data d;
  d.task = "ate";
  d.y = (Eigen::VectorXd(5) << 3, 5, 7, 1, 2).finished();
  d.treatment = (Eigen::VectorXd(5) << 1, 1, 1, 0, 0).finished();
  d.x = Eigen::MatrixXd(5, 0);
  return d;
}

TEST(DifferenceInMeans, HandComputed) {
  // Treated {3,5,7}: mean 5, s^2 4; control {1,2}: mean 1.5, s^2 0.5.
  const Estimate e = run("difference-in-means", tiny_ate());
  const double se = std::sqrt(4.0 / 3 + 0.5 / 2);
  EXPECT_NEAR(e.value(0), 3.5, 1e-12);
  EXPECT_NEAR(e.std_error, se, 1e-12);
  EXPECT_NEAR(e.ci_low, 3.5 - kZ * se, 1e-9);
  EXPECT_NEAR(e.ci_high, 3.5 + kZ * se, 1e-9);
}

Data four_units_with_propensity() {
  Data d;
  d.task = "ate";
  d.y = (Eigen::VectorXd(4) << 2, 4, 1, 3).finished();
  d.treatment = (Eigen::VectorXd(4) << 1, 0, 1, 0).finished();
  d.propensity = (Eigen::VectorXd(4) << 0.5, 0.25, 0.8, 0.4).finished();
  d.x = Eigen::MatrixXd(4, 0);
  return d;
}

TEST(Ipw, TruePropensityByHand) {
  // psi = 2/.5, -4/.75, 1/.8, -3/.6 = 4, -5.3333, 1.25, -5; mean -1.2708333.
  const Estimate e = run("ipw", four_units_with_propensity(), {{"propensity", std::string("true")}});
  EXPECT_NEAR(e.value(0), (4 - 16.0 / 3 + 1.25 - 5) / 4, 1e-12);
  EXPECT_NEAR(e.std_error, 2.319246914409934, 1e-9);  // sd(psi)/2
}

TEST(Hajek, TruePropensityByHand) {
  // mu1 = (4 + 1.25)/(2 + 1.25), mu0 = (16/3 + 5)/(4/3 + 5/3).
  const Estimate e =
      run("hajek", four_units_with_propensity(), {{"propensity", std::string("true")}});
  EXPECT_NEAR(e.value(0), 5.25 / 3.25 - (31.0 / 3) / 3, 1e-12);
  EXPECT_NEAR(e.std_error, 0.5585380048511724, 1e-9);
}

// Without covariates the fitted propensity is n1/n: IPW, Hajek and AIPW all
// equal the difference in means, and the propensity-corrected influence
// function reduces to T (y - mu1)/p - (1-T)(y - mu0)/(1-p), so
// SE^2 = n/(n-1) [(n1-1) s1^2 / n1^2 + (n0-1) s0^2 / n0^2].
TEST(IpwHajekAipw, NoCovariatesReduceToDifferenceInMeans) {
  const Data d = tiny_ate();
  const double n = 5, n1 = 3, n0 = 2;
  const double se = std::sqrt(n / (n - 1) * ((n1 - 1) * 4.0 / (n1 * n1) + (n0 - 1) * 0.5 / (n0 * n0)));
  for (const char* name : {"ipw", "hajek", "aipw"}) {
    const Estimate e = run(name, d);
    EXPECT_NEAR(e.value(0), 3.5, 1e-9) << name;
    EXPECT_NEAR(e.std_error, se, 1e-9) << name;
  }
}

Data kang_schafer_sample(int n, std::uint64_t seed, const std::string& ps = "correct",
                         const std::string& om = "correct") {
  return make_scenario("kang-schafer", {{"n", std::int64_t{n}},
                                        {"propensity_model", ps},
                                        {"outcome_model", om}})
      ->generate(seed);
}

// IPW with a fitted logistic propensity: the SE equals the stacked
// M-estimation sandwich of (alpha, tau) with a numerical Jacobian.
TEST(Ipw, FittedPropensitySeMatchesNumericalSandwich) {
  const Data d = kang_schafer_sample(150, 3);
  const Estimate e = run("ipw", d);
  const Eigen::MatrixXd x = models::add_intercept(d.x_propensity);
  const auto alpha = models::fit_logistic(x, d.treatment).coef;
  const Eigen::Index n = d.y.size(), p = x.cols();
  auto g = [&](const Eigen::VectorXd& theta) {
    Eigen::MatrixXd out(n, p + 1);
    for (Eigen::Index i = 0; i < n; ++i) {
      const double ei = expit(x.row(i).dot(theta.head(p)));
      const double t = d.treatment(i), y = d.y(i);
      out.row(i).head(p) = x.row(i) * (t - ei);
      out(i, p) = t * y / ei - (1 - t) * y / (1 - ei) - theta(p);
    }
    return out;
  };
  Eigen::VectorXd theta(p + 1);
  theta << alpha, e.value(0);
  EXPECT_LT(g(theta).colwise().mean().cwiseAbs().maxCoeff(), 1e-6);
  const double se = std::sqrt(numerical_sandwich(g, theta)(p, p));
  // The estimator's sd uses n-1, the sandwich n.
  EXPECT_NEAR(e.std_error, se * std::sqrt(n / (n - 1.0)), 1e-4 * se);
}

TEST(Hajek, FittedPropensitySeMatchesNumericalSandwich) {
  const Data d = kang_schafer_sample(150, 4);
  const Estimate e = run("hajek", d);
  const Eigen::MatrixXd x = models::add_intercept(d.x_propensity);
  const auto alpha = models::fit_logistic(x, d.treatment).coef;
  const Eigen::Index n = d.y.size(), p = x.cols();
  const Eigen::VectorXd ps = models::logistic_predict(x, alpha);
  double s1 = 0, w1 = 0, s0 = 0, w0 = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const double t = d.treatment(i);
    s1 += t * d.y(i) / ps(i), w1 += t / ps(i);
    s0 += (1 - t) * d.y(i) / (1 - ps(i)), w0 += (1 - t) / (1 - ps(i));
  }
  EXPECT_NEAR(e.value(0), s1 / w1 - s0 / w0, 1e-9);
  auto g = [&](const Eigen::VectorXd& theta) {
    Eigen::MatrixXd out(n, p + 2);
    for (Eigen::Index i = 0; i < n; ++i) {
      const double ei = expit(x.row(i).dot(theta.head(p)));
      const double t = d.treatment(i), y = d.y(i);
      out.row(i).head(p) = x.row(i) * (t - ei);
      out(i, p) = t * (y - theta(p)) / ei;
      out(i, p + 1) = (1 - t) * (y - theta(p + 1)) / (1 - ei);
    }
    return out;
  };
  Eigen::VectorXd theta(p + 2);
  theta << alpha, s1 / w1, s0 / w0;
  const Eigen::MatrixXd v = numerical_sandwich(g, theta);
  const double se = std::sqrt(v(p, p) + v(p + 1, p + 1) - 2 * v(p, p + 1));
  EXPECT_NEAR(e.std_error, se * std::sqrt(n / (n - 1.0)), 1e-4 * se);
}

// Outcome regression: value = mean of the per-arm OLS predictions (explicit
// normal equations), SE = stacked sandwich of (b1, b0, mean of x, tau).
TEST(OutcomeRegression, ValueAndSeMatchStackedSandwich) {
  const Data d = kang_schafer_sample(120, 5);
  const Estimate e = run("outcome-regression", d);
  const Eigen::MatrixXd x = models::add_intercept(d.x);
  const Eigen::Index n = d.y.size(), p = x.cols(), k = d.x.cols();
  Eigen::MatrixXd a1 = Eigen::MatrixXd::Zero(p, p), a0 = a1;
  Eigen::VectorXd c1 = Eigen::VectorXd::Zero(p), c0 = c1;
  for (Eigen::Index i = 0; i < n; ++i) {
    const Eigen::VectorXd xi = x.row(i).transpose();
    if (d.treatment(i) == 1) a1 += xi * xi.transpose(), c1 += xi * d.y(i);
    else a0 += xi * xi.transpose(), c0 += xi * d.y(i);
  }
  const Eigen::VectorXd b1 = a1.inverse() * c1, b0 = a0.inverse() * c0;
  const double tau = (x * (b1 - b0)).mean();
  EXPECT_NEAR(e.value(0), tau, 1e-8);
  auto g = [&](const Eigen::VectorXd& th) {
    const Eigen::VectorXd tb1 = th.segment(0, p), tb0 = th.segment(p, p), m = th.segment(2 * p, k);
    Eigen::VectorXd mbar(p);
    mbar << 1, m;
    Eigen::MatrixXd out(n, 2 * p + k + 1);
    for (Eigen::Index i = 0; i < n; ++i) {
      const double t = d.treatment(i);
      out.row(i).segment(0, p) = x.row(i) * t * (d.y(i) - x.row(i).dot(tb1));
      out.row(i).segment(p, p) = x.row(i) * (1 - t) * (d.y(i) - x.row(i).dot(tb0));
      out.row(i).segment(2 * p, k) = d.x.row(i) - m.transpose();
      out(i, 2 * p + k) = mbar.dot(tb1 - tb0) - th(2 * p + k);
    }
    return out;
  };
  Eigen::VectorXd theta(2 * p + k + 1);
  theta << b1, b0, d.x.colwise().mean().transpose(), tau;
  const double se = std::sqrt(numerical_sandwich(g, theta)(2 * p + k, 2 * p + k));
  EXPECT_NEAR(e.std_error, se * std::sqrt(n / (n - 1.0)), 1e-4 * se);
}

// AIPW value against an explicit loop with normal-equation fits.
TEST(Aipw, ValueMatchesExplicitFormula) {
  const Data d = kang_schafer_sample(100, 6, "misspecified", "correct");
  const Estimate e = run("aipw", d);
  const Eigen::MatrixXd x = models::add_intercept(d.x);
  const Eigen::MatrixXd xp = models::add_intercept(d.x_propensity);
  const Eigen::VectorXd ps = models::logistic_predict(xp, models::fit_logistic(xp, d.treatment).coef);
  Eigen::MatrixXd a1 = Eigen::MatrixXd::Zero(5, 5), a0 = a1;
  Eigen::VectorXd c1 = Eigen::VectorXd::Zero(5), c0 = c1;
  for (Eigen::Index i = 0; i < 100; ++i) {
    const Eigen::VectorXd xi = x.row(i).transpose();
    if (d.treatment(i) == 1) a1 += xi * xi.transpose(), c1 += xi * d.y(i);
    else a0 += xi * xi.transpose(), c0 += xi * d.y(i);
  }
  const Eigen::VectorXd b1 = a1.inverse() * c1, b0 = a0.inverse() * c0;
  double sum = 0, sumsq = 0;
  for (Eigen::Index i = 0; i < 100; ++i) {
    const double m1 = x.row(i).dot(b1), m0 = x.row(i).dot(b0), t = d.treatment(i);
    const double phi = m1 - m0 + t * (d.y(i) - m1) / ps(i) - (1 - t) * (d.y(i) - m0) / (1 - ps(i));
    sum += phi, sumsq += phi * phi;
  }
  const double mean = sum / 100;
  EXPECT_NEAR(e.value(0), mean, 1e-8);
  EXPECT_NEAR(e.std_error, std::sqrt((sumsq - 100 * mean * mean) / 99 / 100), 1e-8);
}

// Cross-fitting without covariates: each fold's outcome models are the
// training arms' means and its propensity the training treated share. The
// fold split (Fisher-Yates on derive_seed(seed, "aipw-crossfit/folds"),
// position % K) is the documented contract that the test replays.
TEST(AipwCrossfit, NoCovariatesMatchesFoldMeans) {
  Data d = kang_schafer_sample(40, 7);
  d.x = Eigen::MatrixXd(40, 0);
  d.x_propensity = Eigen::MatrixXd();
  const int k = 4;
  const std::uint64_t seed = 11;
  const Estimate e = run("aipw-crossfit", d, {{"folds", std::int64_t{k}}}, seed);
  std::vector<int> order(40);
  for (int i = 0; i < 40; ++i) order[i] = i;
  std::mt19937_64 rng(derive_seed(seed, "aipw-crossfit/folds"));
  for (int i = 39; i > 0; --i) std::swap(order[i], order[rng() % static_cast<std::uint64_t>(i + 1)]);
  std::vector<int> fold(40);
  for (int pos = 0; pos < 40; ++pos) fold[order[pos]] = pos % k;
  double total = 0;
  for (int i = 0; i < 40; ++i) {
    double s1 = 0, s0 = 0, n1 = 0, n0 = 0;
    for (int j = 0; j < 40; ++j) {
      if (fold[j] == fold[i]) continue;
      if (d.treatment(j) == 1) s1 += d.y(j), n1 += 1;
      else s0 += d.y(j), n0 += 1;
    }
    const double m1 = s1 / n1, m0 = s0 / n0, p = n1 / (n1 + n0), t = d.treatment(i);
    total += m1 - m0 + t * (d.y(i) - m1) / p - (1 - t) * (d.y(i) - m0) / (1 - p);
  }
  EXPECT_NEAR(e.value(0), total / 40, 1e-8);
  // Another seed gives another split, the same seed the same bits.
  EXPECT_EQ(run("aipw-crossfit", d, {{"folds", std::int64_t{k}}}, seed).value(0), e.value(0));
  EXPECT_NE(run("aipw-crossfit", d, {{"folds", std::int64_t{k}}}, seed + 1).value(0), e.value(0));
}

// Lin (2013): with no covariates, the HC2 SE of the T coefficient equals the
// Neyman SE exactly; with a binary covariate the estimate is the
// post-stratified difference in means.
TEST(RegressionAdjustmentHc, NoCovariatesHc2EqualsNeyman) {
  const Estimate e = run("regression-adjustment-hc", tiny_ate(), {{"hc", std::string("HC2")}});
  EXPECT_NEAR(e.value(0), 3.5, 1e-12);
  EXPECT_NEAR(e.std_error, std::sqrt(4.0 / 3 + 0.5 / 2), 1e-12);
}

TEST(RegressionAdjustmentHc, BinaryCovariateIsPostStratified) {
  Data d;
  d.y = (Eigen::VectorXd(8) << 1, 2, 4, 6, 3, 5, 9, 8).finished();
  d.treatment = (Eigen::VectorXd(8) << 0, 0, 1, 1, 0, 0, 1, 1).finished();
  d.x = (Eigen::MatrixXd(8, 1) << 0, 0, 0, 0, 1, 1, 1, 1).finished();
  // Stratum 0: 5 - 1.5 = 3.5; stratum 1: 8.5 - 4 = 4.5; equal sizes.
  const Estimate e = run("regression-adjustment-hc", d, {{"hc", std::string("HC3")}});
  EXPECT_NEAR(e.value(0), 4.0, 1e-12);
  // HC3 SE >= HC2 SE >= HC0 SE on the same fit.
  const double hc2 = run("regression-adjustment-hc", d, {{"hc", std::string("HC2")}}).std_error;
  const double hc0 = run("regression-adjustment-hc", d, {{"hc", std::string("HC0")}}).std_error;
  EXPECT_GT(e.std_error, hc2);
  EXPECT_GT(hc2, hc0);
}

TEST(AteEstimators, RejectBadInput) {
  Data d = tiny_ate();
  d.treatment(0) = 0.5;
  EXPECT_THROW(run("difference-in-means", d), MethodError);
  Data one_arm = tiny_ate();
  one_arm.treatment.setOnes();
  EXPECT_THROW(run("aipw", one_arm), MethodError);
  EXPECT_THROW(run("ipw", tiny_ate(), {{"propensity", std::string("true")}}), MethodError);
}

}  // namespace
}  // namespace sb::estimation::testing
