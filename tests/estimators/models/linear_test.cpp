// OLS/WLS, HC0-HC3 sandwiches and logistic regression against hand-derived
// values and explicit loops.
#include <gtest/gtest.h>

#include <cmath>
#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>

#include "estimators/models/expit.h"
#include "estimators/models/linear.h"
#include "harness/core/errors.h"

namespace sb::models {
namespace {

// y = (1,3,2,5,4) on x = 1..5: by hand, xbar = ybar = 3, Sxx = 10, Sxy = 8,
// slope 0.8, intercept 0.6, residuals (-0.4, 0.8, -1, 1.2, -0.6), leverages
// 1/5 + (x-3)^2/10 = (0.6, 0.3, 0.2, 0.3, 0.6). Slope variance of a simple
// regression's sandwich = sum (x_i - xbar)^2 omega_i / Sxx^2.
struct FivePoints {
  Eigen::MatrixXd x = add_intercept((Eigen::MatrixXd(5, 1) << 1, 2, 3, 4, 5).finished());
  Eigen::VectorXd y = (Eigen::VectorXd(5) << 1, 3, 2, 5, 4).finished();
};

TEST(LeastSquares, FivePointFitByHand) {
  FivePoints d;
  const LeastSquaresFit fit = fit_least_squares(d.x, d.y);
  EXPECT_NEAR(fit.coef(0), 0.6, 1e-12);
  EXPECT_NEAR(fit.coef(1), 0.8, 1e-12);
  const double resid[] = {-0.4, 0.8, -1.0, 1.2, -0.6};
  const double lev[] = {0.6, 0.3, 0.2, 0.3, 0.6};
  for (int i = 0; i < 5; ++i) {
    EXPECT_NEAR(fit.residuals(i), resid[i], 1e-12);
    EXPECT_NEAR(fit.leverage(i), lev[i], 1e-12);
  }
  // (X'X)^{-1} for x = 1..5: [[55, -15], [-15, 5]] / 50.
  EXPECT_NEAR(fit.xtwx_inverse(0, 0), 1.1, 1e-12);
  EXPECT_NEAR(fit.xtwx_inverse(0, 1), -0.3, 1e-12);
  EXPECT_NEAR(fit.xtwx_inverse(1, 1), 0.1, 1e-12);
}

TEST(LeastSquares, FivePointSandwichSlopeByHand) {
  FivePoints d;
  const LeastSquaresFit fit = fit_least_squares(d.x, d.y);
  // sum (x-3)^2 u^2 = 4(.16) + .64 + 0 + 1.44 + 4(.36) = 4.16.
  EXPECT_NEAR(sandwich_covariance(d.x, fit, HcType::kHC0)(1, 1), 4.16 / 100, 1e-12);
  EXPECT_NEAR(sandwich_covariance(d.x, fit, HcType::kHC1)(1, 1), 4.16 / 100 * 5 / 3, 1e-12);
  // HC2: .64/.4 + .64/.7 + 1.44/.7 + 1.44/.4.
  EXPECT_NEAR(sandwich_covariance(d.x, fit, HcType::kHC2)(1, 1),
              (0.64 / 0.4 + 0.64 / 0.7 + 1.44 / 0.7 + 1.44 / 0.4) / 100, 1e-12);
  // HC3: .64/.16 + .64/.49 + 1.44/.49 + 1.44/.16.
  EXPECT_NEAR(sandwich_covariance(d.x, fit, HcType::kHC3)(1, 1),
              (0.64 / 0.16 + 0.64 / 0.49 + 1.44 / 0.49 + 1.44 / 0.16) / 100, 1e-12);
}

// Full matrices on a two-covariate example, against explicit loops over
// observations with the normal-equations inverse.
TEST(LeastSquares, SandwichMatchesExplicitLoops) {
  Eigen::MatrixXd raw(7, 2);
  raw << 0.5, 1.0, -1.2, 0.3, 2.0, -0.7, 0.1, 0.9, 1.5, 1.5, -0.4, -1.1, 0.8, 0.0;
  const Eigen::VectorXd y = (Eigen::VectorXd(7) << 1.0, -0.5, 2.2, 0.7, 3.1, -1.4, 0.9).finished();
  const Eigen::MatrixXd x = add_intercept(raw);
  const LeastSquaresFit fit = fit_least_squares(x, y);
  const Eigen::MatrixXd xtx_inv = (x.transpose() * x).inverse();
  const Eigen::VectorXd coef = xtx_inv * x.transpose() * y;
  for (int j = 0; j < 3; ++j) EXPECT_NEAR(fit.coef(j), coef(j), 1e-12);
  const int n = 7, p = 3;
  for (HcType type : {HcType::kHC0, HcType::kHC1, HcType::kHC2, HcType::kHC3}) {
    Eigen::MatrixXd meat = Eigen::MatrixXd::Zero(p, p);
    for (int i = 0; i < n; ++i) {
      const double u = y(i) - x.row(i).dot(coef);
      double h = 0;
      for (int a = 0; a < p; ++a)
        for (int b = 0; b < p; ++b) h += x(i, a) * xtx_inv(a, b) * x(i, b);
      double c = 1;
      if (type == HcType::kHC1) c = 7.0 / 4.0;
      if (type == HcType::kHC2) c = 1 / (1 - h);
      if (type == HcType::kHC3) c = 1 / ((1 - h) * (1 - h));
      for (int a = 0; a < p; ++a)
        for (int b = 0; b < p; ++b) meat(a, b) += u * u * c * x(i, a) * x(i, b);
    }
    const Eigen::MatrixXd expected = xtx_inv * meat * xtx_inv;
    const Eigen::MatrixXd got = sandwich_covariance(x, fit, type);
    EXPECT_LT((got - expected).cwiseAbs().maxCoeff(), 1e-12) << static_cast<int>(type);
  }
}

// Integer weights = repeating rows: the WLS fit equals OLS on the repeated data.
TEST(LeastSquares, IntegerWeightsEqualRepeatedRows) {
  FivePoints d;
  const Eigen::VectorXd w = (Eigen::VectorXd(5) << 1, 3, 2, 1, 2).finished();
  Eigen::MatrixXd xr(9, 2);
  Eigen::VectorXd yr(9);
  int r = 0;
  for (int i = 0; i < 5; ++i) {
    for (int k = 0; k < static_cast<int>(w(i)); ++k, ++r) {
      xr.row(r) = d.x.row(i);
      yr(r) = d.y(i);
    }
  }
  const LeastSquaresFit wls = fit_weighted_least_squares(d.x, d.y, w);
  const LeastSquaresFit ols = fit_least_squares(xr, yr);
  EXPECT_NEAR(wls.coef(0), ols.coef(0), 1e-12);
  EXPECT_NEAR(wls.coef(1), ols.coef(1), 1e-12);
  EXPECT_LT((wls.xtwx_inverse - ols.xtwx_inverse).cwiseAbs().maxCoeff(), 1e-12);
  // HC0 meat sum w_i^2 u_i^2 x x' is not the repeated-rows meat (sum w_i u_i^2 x x'),
  // so only the bread and coefficients are compared.
}

TEST(LeastSquares, SingularDesignThrows) {
  Eigen::MatrixXd x(4, 3);
  x << 1, 1, 2, 1, 2, 4, 1, 3, 6, 1, 4, 8;  // third column = 2 * second
  const Eigen::VectorXd y = Eigen::VectorXd::LinSpaced(4, 0, 3);
  EXPECT_THROW(fit_least_squares(x, y), MethodError);
  EXPECT_THROW(fit_least_squares(x.topRows(2), y.head(2)), MethodError);  // n < p
}

TEST(LeastSquares, ParseHcType) {
  EXPECT_EQ(parse_hc_type("HC3"), HcType::kHC3);
  EXPECT_THROW(parse_hc_type("HC4"), InputError);
}

// Saturated binary covariate: the MLE reproduces the cell log odds.
// Cell x=0: 3 ones of 10; cell x=1: 6 ones of 8.
TEST(Logistic, SaturatedBinaryCovariateGivesCellLogOdds) {
  Eigen::MatrixXd raw(18, 1);
  Eigen::VectorXd y(18);
  for (int i = 0; i < 18; ++i) {
    raw(i, 0) = i < 10 ? 0 : 1;
    y(i) = i < 10 ? (i < 3 ? 1 : 0) : (i < 16 ? 1 : 0);
  }
  const LogisticFit fit = fit_logistic(add_intercept(raw), y);
  EXPECT_NEAR(fit.coef(0), std::log(3.0 / 7.0), 1e-10);
  EXPECT_NEAR(fit.coef(1), std::log(6.0 / 2.0) - std::log(3.0 / 7.0), 1e-10);
  EXPECT_NEAR(fit.probability(0), 0.3, 1e-12);
  EXPECT_NEAR(fit.probability(17), 0.75, 1e-12);
  EXPECT_LT(fit.iterations, 20);
}

TEST(Logistic, InterceptOnlyIsLogOddsOfMean) {
  const Eigen::VectorXd y = (Eigen::VectorXd(7) << 1, 0, 0, 1, 0, 0, 0).finished();
  const LogisticFit fit = fit_logistic(Eigen::MatrixXd::Ones(7, 1), y);
  EXPECT_NEAR(fit.coef(0), std::log(2.0 / 5.0), 1e-12);
}

TEST(Logistic, SeparationAndBadResponsesThrow) {
  Eigen::MatrixXd raw(6, 1);
  raw << -3, -2, -1, 1, 2, 3;
  const Eigen::VectorXd separated = (Eigen::VectorXd(6) << 0, 0, 0, 1, 1, 1).finished();
  EXPECT_THROW(fit_logistic(add_intercept(raw), separated), MethodError);
  const Eigen::VectorXd not_binary = (Eigen::VectorXd(6) << 0, 0.5, 0, 1, 1, 0).finished();
  EXPECT_THROW(fit_logistic(add_intercept(raw), not_binary), MethodError);
}

TEST(Logistic, ScoreEquationsHoldAtTheFit) {
  Eigen::MatrixXd raw(8, 2);
  raw << 0.1, 1, -0.5, 0, 1.2, 1, -1.0, 0, 0.3, 0, 2.0, 1, -0.7, 1, 0.9, 0;
  const Eigen::VectorXd y = (Eigen::VectorXd(8) << 0, 0, 1, 0, 1, 1, 1, 0).finished();
  const Eigen::MatrixXd x = add_intercept(raw);
  const LogisticFit fit = fit_logistic(x, y);
  const Eigen::VectorXd score = x.transpose() * (y - logistic_predict(x, fit.coef));
  EXPECT_LT(score.cwiseAbs().maxCoeff(), 1e-9);
}

// Kang-Schafer-like scales (a column ~400 next to the intercept): the fit
// solves the score equations and is equivariant under column rescaling, as
// the MLE must be (coef_j scales by 1/c_j).
TEST(Logistic, BadlyScaledColumnsFitAndRescaleExactly) {
  const int n = 300;
  Eigen::MatrixXd raw(n, 2);
  Eigen::VectorXd y(n);
  std::uint64_t state = 12345;
  auto uniform = [&]() {  // a small LCG keeps the test independent of <random>
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<double>(state >> 11) / 9007199254740992.0;
  };
  for (int i = 0; i < n; ++i) {
    const double z = 2 * uniform() - 1;
    raw(i, 0) = z;
    raw(i, 1) = (20 + z + uniform()) * (20 + z + uniform());  // ~400
    y(i) = uniform() < expit(0.8 * z - 0.01 * (raw(i, 1) - 420)) ? 1 : 0;
  }
  const Eigen::MatrixXd x = add_intercept(raw);
  const LogisticFit fit = fit_logistic(x, y);
  const Eigen::VectorXd score = x.transpose() * (y - logistic_predict(x, fit.coef));
  EXPECT_LT(score.cwiseAbs().maxCoeff(), 1e-8);
  const Eigen::Vector3d c(1.0, 10.0, 1.0 / 400.0);
  const LogisticFit scaled = fit_logistic(x * c.asDiagonal(), y);
  for (int j = 0; j < 3; ++j) EXPECT_NEAR(scaled.coef(j) * c(j), fit.coef(j), 1e-8 * (1 + std::abs(fit.coef(j))));
  EXPECT_EQ(scaled.iterations, fit.iterations);  // Newton is affine invariant
}

// Stopping on predicted quadratic convergence saves the confirming Newton
// iteration but must still land within the tolerance of the optimum: the
// default fit agrees with one run to a 1e-15 step (which iterates until
// the steps vanish) to well within the default tolerance of 1e-10, on a
// well-specified and on a Kang-Schafer-transformed design.
TEST(Logistic, PredictedConvergenceStaysWithinTolerance) {
  const int n = 400;
  std::uint64_t state = 777;
  auto uniform = [&]() {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<double>(state >> 11) / 9007199254740992.0;
  };
  for (bool transformed : {false, true}) {
    Eigen::MatrixXd raw(n, 3);
    Eigen::VectorXd y(n);
    for (int i = 0; i < n; ++i) {
      const double z1 = 4 * uniform() - 2, z2 = 4 * uniform() - 2, z3 = 4 * uniform() - 2;
      raw.row(i) << z1, z2, z3;
      if (transformed) raw.row(i) << std::exp(z1 / 2), z2 / (1 + std::exp(z1)) + 10, (z2 + z3 + 20) * (z2 + z3 + 20);
      y(i) = uniform() < expit(-z1 + 0.5 * z2 - 0.25 * z3) ? 1 : 0;
    }
    const Eigen::MatrixXd x = add_intercept(raw);
    const LogisticFit fit = fit_logistic(x, y);
    LogisticOptions tight;
    tight.tolerance = 1e-15;
    const LogisticFit reference = fit_logistic(x, y, tight);
    EXPECT_LE(fit.iterations, reference.iterations) << transformed;
    EXPECT_LT((fit.coef - reference.coef).cwiseAbs().maxCoeff(), 1e-11) << transformed;
  }
}

TEST(Logistic, CollinearColumnsThrow) {
  Eigen::MatrixXd raw(6, 2);
  raw << -3, -6, -2, -4, -1, -2, 1, 2, 2, 4, 3, 6;
  const Eigen::VectorXd y = (Eigen::VectorXd(6) << 0, 1, 0, 1, 0, 1).finished();
  EXPECT_THROW(fit_logistic(add_intercept(raw), y), MethodError);
}

// The vectorised logistic function against 1 / (1 + exp(-t)) in long
// double over [-699, 699] (1.4 million points): within 4 ulp. Odd lengths
// send the last element through the scalar path, which must agree with the
// SIMD lanes bit for bit (results may not depend on an element's position).
TEST(ExpitArray, MatchesLongDoubleAndIsPositionIndependent) {
  const Eigen::Index n = 1398001;
  Eigen::ArrayXd eta(n), prob(n);
  for (Eigen::Index i = 0; i < n; ++i) eta(i) = -699.0 + 1e-3 * static_cast<double>(i) + 1e-9 * static_cast<double>(i % 13);
  expit_array(eta.data(), prob.data(), n);
  double worst = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const long double exact = 1.0L / (1.0L + std::exp(-static_cast<long double>(eta(i))));
    worst = std::max(worst, static_cast<double>(std::fabs((prob(i) - exact) / exact)));
  }
  EXPECT_LT(worst, 4 * std::numeric_limits<double>::epsilon() / 2) << "max relative error";
  // Each element alone (scalar path) equals its value inside the array.
  for (Eigen::Index i = 0; i < n; i += 997) {
    double alone = 0;
    expit_array(&eta(i), &alone, 1);
    ASSERT_EQ(alone, prob(i)) << "eta = " << eta(i);
  }
  // Limits and the clamp at +-700.
  const double edge_in[5] = {-1e6, -700.0, 0.0, 700.0, 1e6};
  double edge_out[5];
  expit_array(edge_in, edge_out, 5);
  EXPECT_EQ(edge_out[2], 0.5);
  EXPECT_EQ(edge_out[0], edge_out[1]);
  EXPECT_GT(edge_out[1], 0.0);
  EXPECT_NEAR(edge_out[1], std::exp(-700.0), 4e-16 * std::exp(-700.0));
  EXPECT_EQ(edge_out[3], 1.0);
  EXPECT_EQ(edge_out[4], 1.0);
}

TEST(FirstNonBinary, FindsTheFirstEntryThatIsNotZeroOrOne) {
  EXPECT_EQ(first_non_binary((Eigen::VectorXd(4) << 0, 1, 1, 0).finished()), -1);
  EXPECT_EQ(first_non_binary(Eigen::VectorXd(0)), -1);
  EXPECT_EQ(first_non_binary((Eigen::VectorXd(4) << 0, 1, 0.5, 2).finished()), 2);
  EXPECT_EQ(first_non_binary((Eigen::VectorXd(3) << -1, 1, 0).finished()), 0);
  EXPECT_EQ(first_non_binary((Eigen::VectorXd(3) << 1, 0, std::nan("")).finished()), 2);
}

TEST(WeightedGram, EqualsTheExplicitProduct) {
  const Eigen::MatrixXd x = (Eigen::MatrixXd(4, 3) << 1, 2, 3, 4, 5, 6, 7, 8, 10, -1, 0, 2).finished();
  const Eigen::VectorXd w = (Eigen::VectorXd(4) << 0.5, 1, 2, 0.25).finished();
  const Eigen::MatrixXd expected = x.transpose() * w.asDiagonal() * x;
  EXPECT_LT((weighted_gram(x, w) - expected).cwiseAbs().maxCoeff(), 1e-12);
  EXPECT_DOUBLE_EQ(weighted_gram(x, w)(0, 1), 0.5 * 1 * 2 + 1 * 4 * 5 + 2 * 7 * 8 + 0.25 * -1 * 0);
}

// Every width of the two-rows-at-a-time kernel (1-8 columns) and the wider
// fallback, with odd and even row counts (an odd last row is added alone):
// symmetric and equal to the explicit product. Small integers keep every
// sum exact, so the comparison is exact too.
TEST(WeightedGram, EveryWidthAndRowParity) {
  for (int p = 1; p <= 10; ++p) {
    for (int n : {1, 2, 7, 10}) {
      Eigen::MatrixXd x(n, p);
      Eigen::VectorXd w(n);
      for (int i = 0; i < n; ++i) {
        w(i) = 1 + (i % 3);
        for (int j = 0; j < p; ++j) x(i, j) = ((i * 7 + j * 3) % 11) - 5;
      }
      const Eigen::MatrixXd expected = x.transpose() * w.asDiagonal() * x;
      const Eigen::MatrixXd gram = weighted_gram(x, w);
      EXPECT_EQ(gram, expected) << p << " columns, " << n << " rows";
    }
  }
  EXPECT_THROW(weighted_gram(Eigen::MatrixXd::Ones(3, 2), Eigen::VectorXd::Ones(2)), MethodError);
}

TEST(LeastSquaresCoef, MatchesTheFullFitAndRefusesSingularDesigns) {
  const Eigen::MatrixXd x = (Eigen::MatrixXd(5, 2) << 1, 0, 1, 1, 1, 2, 1, 3, 1, 4).finished();
  const Eigen::VectorXd y = (Eigen::VectorXd(5) << 1, 3, 2, 5, 4).finished();
  // Hand: x-bar = 2, y-bar = 3, Sxy = 4 + 0 + 0 + 2 + 2 = 8, Sxx = 10:
  // slope 0.8, intercept 3 - 0.8 * 2 = 1.4.
  const Eigen::VectorXd coef = least_squares_coef(x, y);
  EXPECT_NEAR(coef(0), 1.4, 1e-12);
  EXPECT_NEAR(coef(1), 0.8, 1e-12);
  EXPECT_LT((coef - fit_least_squares(x, y).coef).cwiseAbs().maxCoeff(), 1e-12);
  Eigen::MatrixXd singular = x;
  singular.col(1).setOnes();
  EXPECT_THROW(least_squares_coef(singular, y), MethodError);
}

TEST(LeastSquaresCoef, SolvesTheNormalEquations) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal;
  Eigen::MatrixXd x(30, 3);
  Eigen::VectorXd y(30);
  for (int i = 0; i < 30; ++i) {
    x(i, 0) = normal(rng);
    x(i, 1) = normal(rng);
    x(i, 2) = 1;
    y(i) = normal(rng);
  }
  const Eigen::VectorXd b = least_squares_coef(x, y);
  const Eigen::VectorXd normal_eq = (x.transpose() * x).ldlt().solve(x.transpose() * y);
  EXPECT_LT((b - normal_eq).norm(), 1e-12);
  Eigen::MatrixXd collinear(4, 2);
  collinear << 1, 2, 2, 4, 3, 6, 4, 8;
  EXPECT_THROW(least_squares_coef(collinear, Eigen::VectorXd::Ones(4)), MethodError);
}

TEST(LeastSquaresCoef, WeightedIsTheFitOnRootWeightedRows) {
  // Weight 4 on a row = that row's sqrt(4)-scaled copy in an unweighted fit;
  // unit weights give the unweighted coefficients bit for bit.
  FivePoints d;
  const Eigen::VectorXd ones = Eigen::VectorXd::Ones(5);
  EXPECT_EQ(weighted_least_squares_coef(d.x, d.y, ones), least_squares_coef(d.x, d.y));
  Eigen::VectorXd w = ones;
  w(2) = 4;
  Eigen::MatrixXd xs = d.x;
  Eigen::VectorXd ys = d.y;
  xs.row(2) *= 2;
  ys(2) *= 2;
  EXPECT_LT((weighted_least_squares_coef(d.x, d.y, w) - least_squares_coef(xs, ys)).norm(), 1e-12);
}

TEST(InverseGram, InvertsXtXAndRefusesSingularDesigns) {
  FivePoints d;
  const Eigen::MatrixXd gram = d.x.transpose() * d.x;  // [[5, 15], [15, 55]]
  EXPECT_LT((inverse_gram(d.x) * gram - Eigen::MatrixXd::Identity(2, 2)).norm(), 1e-12);
  EXPECT_NEAR(inverse_gram(d.x)(1, 1), 0.1, 1e-12);  // 1 / Sxx
  Eigen::MatrixXd collinear(4, 2);
  collinear << 1, 2, 2, 4, 3, 6, 4, 8;
  EXPECT_THROW(inverse_gram(collinear), MethodError);
}

}  // namespace
}  // namespace sb::models
