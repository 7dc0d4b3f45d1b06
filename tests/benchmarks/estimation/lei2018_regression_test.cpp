// lei2018-regression (Lei et al. 2018, the authors' sim.xy): its pieces by
// hand, against SciPy's B-splines and against closed forms; the scenario's
// mean, errors and sd recovered from two draws of one seed (sigma 0 and 1).
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <set>
#include <vector>

#include "benchmarks/estimation/lei2018_design.h"
#include "tests/benchmarks/estimation/test_util.h"

namespace sb::estimation::testing {
namespace {

TEST(Lei2018Design, MadByHand) {
  // median 2; |v - 2| = 2, 1, 1, 8 -> median 1.5; x 1.4826.
  EXPECT_DOUBLE_EQ(lei2018::r_mad(Eigen::Vector4d(0, 1, 3, 10)), 1.4826 * 1.5);
  // odd count: median 3; |v - 3| = 2, 1, 0, 1, 97 -> 1.
  Eigen::VectorXd odd(5);
  odd << 1, 2, 3, 4, 100;
  EXPECT_DOUBLE_EQ(lei2018::r_mad(odd), 1.4826);
}

TEST(Lei2018Design, AutocorrelationByHand) {
  // One row (1, 2, 4), k = 1. Column 0: itself (weight 1) -> 1. Column 1:
  // u = (1, 3) -> w = (1/4, 3/4) over (1, 2), mean of w x = (0.25 + 1.5) / 2
  // = 0.875. Column 2: u = (1, 1) -> w = (1/2, 1/2) over the NEW column 1
  // and 4: (0.4375 + 2) / 2 = 1.21875.
  Eigen::MatrixXd x(1, 3);
  x << 1, 2, 4;
  const std::vector<double> draws = {0.3, 1, 3, 1, 1};
  std::size_t next = 0;
  lei2018::autocorrelate(x, 1, [&] { return draws.at(next++); });
  EXPECT_EQ(next, draws.size());
  EXPECT_DOUBLE_EQ(x(0, 0), 1.0);
  EXPECT_DOUBLE_EQ(x(0, 1), 0.875);
  EXPECT_DOUBLE_EQ(x(0, 2), 1.21875);
}

TEST(Lei2018Design, StandardizedColumnsHaveMeanZeroAndUnitNorm) {
  Eigen::MatrixXd x(3, 2);
  x << 1, 5, 2, 5, 3, 5;
  lei2018::standardize_columns(x);
  // (1, 2, 3): centred (-1, 0, 1), sd 1, divided by sqrt(2).
  EXPECT_NEAR(x(0, 0), -1 / std::sqrt(2.0), 1e-15);
  EXPECT_NEAR(x(1, 0), 0.0, 1e-15);
  EXPECT_NEAR(x(2, 0), 1 / std::sqrt(2.0), 1e-15);
  EXPECT_EQ(x.col(1), Eigen::Vector3d::Zero());  // constant: 0, not NaN
}

// Rows of SciPy 1.10's BSpline.design_matrix(x, t, 3) without its first
// column, t = (0, 0, 0, 0, interior quantiles of x, 10, 10, 10, 10): the
// basis R's bs(x, df = m) returns.
TEST(Lei2018Design, BSplinesMatchScipy) {
  Eigen::VectorXd x(8);
  x << 0, 0.5, 1, 2, 3, 4, 7, 10;
  const std::vector<std::vector<double>> m4 = {
      {0.0, 0.0, 0.0, 0.0},
      {0.46049999999999996, 0.026999999999999996, 0.0005, 0.0},
      {0.6840000000000002, 0.09600000000000002, 0.004, 0.0},
      {0.672, 0.28800000000000003, 0.032, 0.0},
      {0.45733333333333326, 0.4355555555555556, 0.10681481481481482, 0.0002962962962962963},
      {0.28800000000000003, 0.48000000000000004, 0.224, 0.008},
      {0.036000000000000004, 0.24000000000000005, 0.508, 0.216},
      {0.0, 0.0, 0.0, 1.0}};
  const std::vector<std::vector<double>> m5 = {
      {0.0, 0.0, 0.0, 0.0, 0.0},
      {0.6285995609504134, 0.12470299586776865, 0.002556818181818183, 0.0, 0.0},
      {0.5799328512396695, 0.3839876033057853, 0.020454545454545465, 0.0, 0.0},
      {0.1475796930342384, 0.6997729543184088, 0.1509567355721202, 0.0016906170752324617, 0.0},
      {0.00944510035419124, 0.609985469076378, 0.3541535387689233, 0.02641589180050719, 0.0},
      {0.0, 0.39352226720647765, 0.4986739661361438, 0.10765797280987881, 0.00014579384749963624},
      {0.0, 0.049190283400809706, 0.3082856627710665, 0.4967302063284882, 0.1457938474996356},
      {0.0, 0.0, 0.0, 0.0, 1.0}};
  for (const auto* expected : {&m4, &m5}) {
    const int m = static_cast<int>(expected->front().size());
    const Eigen::MatrixXd basis = lei2018::bspline_basis(x, m);
    ASSERT_EQ(basis.rows(), 8);
    ASSERT_EQ(basis.cols(), m);
    for (int r = 0; r < 8; ++r) {
      for (int c = 0; c < m; ++c) EXPECT_NEAR(basis(r, c), (*expected)[r][c], 1e-12) << "m=" << m << " " << r << "," << c;
    }
  }
  // Affine invariance (the knots move with the data): the same basis for 3x - 7.
  const Eigen::VectorXd moved = (3 * x.array() - 7).matrix();
  EXPECT_LT((lei2018::bspline_basis(moved, 4) - lei2018::bspline_basis(x, 4)).cwiseAbs().maxCoeff(), 1e-12);
}

TEST(Lei2018Design, SkewNormalAndT2MatchTheirClosedForms) {
  Rng rng(2018);
  StandardNormal normal;
  constexpr int kDraws = 400000;
  double sum = 0, sum2 = 0, sum3 = 0;
  int t_below_1 = 0, t_within_mad = 0;
  for (int i = 0; i < kDraws; ++i) {
    const double z = lei2018::standard_skew_normal(5.0, rng);
    sum += z;
    sum2 += z * z;
    sum3 += z * z * z;
    const double t = student_t(2, normal, rng);
    t_below_1 += t <= 1;
    t_within_mad += std::abs(t) <= std::sqrt(2.0 / 3);
  }
  const double mean = sum / kDraws, var = sum2 / kDraws - mean * mean;
  EXPECT_NEAR(mean, 0.0, 0.005);
  EXPECT_NEAR(var, 1.0, 0.01);
  // Skewness of SN(alpha = 5): (4 - pi)/2 * (d sqrt(2/pi))^3 / (1 - 2 d^2/pi)^(3/2), d = 5/sqrt(26).
  const double d = 5 / std::sqrt(26.0), mu = d * std::sqrt(2 / std::numbers::pi);
  const double skewness = (4 - std::numbers::pi) / 2 * std::pow(mu, 3) / std::pow(1 - mu * mu, 1.5);
  EXPECT_NEAR(skewness, 0.851, 0.001);
  EXPECT_NEAR(sum3 / kDraws, skewness, 0.03);  // standardised, so E[z^3] is the skewness
  // t2: F(t) = 1/2 + t / (2 sqrt(2 + t^2)); F(1) = 1/2 + 1/(2 sqrt 3), and
  // P(|T| <= sqrt(2/3)) = 1/2 (the population MAD / 1.4826).
  EXPECT_NEAR(static_cast<double>(t_below_1) / kDraws, 0.5 + 1 / (2 * std::sqrt(3.0)), 0.003);
  EXPECT_NEAR(static_cast<double>(t_within_mad) / kDraws, 0.5, 0.003);
}

Data lei_data(std::map<std::string, ParamValue> params, double sigma, std::uint64_t seed) {
  params["sigma"] = sigma;
  return make_scenario("lei2018-regression", params)->generate(seed);
}

// The p variables of train and test rows together (no intercept).
Eigen::MatrixXd features(const Data& d) {
  Eigen::MatrixXd all(d.x.rows() + d.x_test.rows(), d.x.cols() - 1);
  all << d.x.leftCols(d.x.cols() - 1), d.x_test.leftCols(d.x_test.cols() - 1);
  return all;
}

Eigen::VectorXd outcomes(const Data& d) {
  Eigen::VectorXd all(d.y.size() + d.y_test.size());
  all << d.y, d.y_test;
  return all;
}

TEST(Lei2018Regression, LayoutStandardizationAndDeterminism) {
  const Data d = lei_data({{"n", std::int64_t{30}}, {"n_test", std::int64_t{20}}, {"p", std::int64_t{4}},
                           {"s", std::int64_t{2}}, {"x_dist", std::string("mix")}, {"correlation", std::string("auto")}},
                          1.0, 5);
  EXPECT_EQ(d.task, "interval");
  EXPECT_EQ(d.x.rows(), 30);
  EXPECT_EQ(d.x_test.rows(), 20);
  EXPECT_EQ(d.x.cols(), 5);
  EXPECT_EQ(d.x.col(4), Eigen::VectorXd::Ones(30));  // the intercept, last
  EXPECT_DOUBLE_EQ(d.level, 0.9);
  EXPECT_EQ(d.propensity, Eigen::VectorXd::Constant(50, 0.5));
  const Eigen::MatrixXd x = features(d);
  for (int j = 0; j < 4; ++j) {
    EXPECT_NEAR(x.col(j).mean(), 0.0, 1e-12);
    EXPECT_NEAR(x.col(j).norm(), 1.0, 1e-12);  // train and test standardised together
  }
  const Data again = lei_data({{"n", std::int64_t{30}}, {"n_test", std::int64_t{20}}, {"p", std::int64_t{4}},
                               {"s", std::int64_t{2}}, {"x_dist", std::string("mix")},
                               {"correlation", std::string("auto")}},
                              1.0, 5);
  EXPECT_EQ(again.y, d.y);
  EXPECT_EQ(again.x_test, d.x_test);
}

TEST(Lei2018Regression, MixedFeaturesAreBinaryAboutOneThirdOfTheTime) {
  int binary = 0, columns = 0;
  for (std::uint64_t seed = 0; seed < 300; ++seed) {
    const Eigen::MatrixXd x = features(lei_data({{"x_dist", std::string("mix")}}, 1.0, seed));
    for (Eigen::Index j = 0; j < x.cols(); ++j, ++columns) {
      std::set<double> values(x.col(j).data(), x.col(j).data() + x.rows());
      binary += values.size() == 2;
    }
  }
  EXPECT_NEAR(static_cast<double>(binary) / columns, 1.0 / 3, 0.04);  // 3000 columns: SE 0.009
}

// Least-squares coefficients of y on the columns of a (exact for y in their span).
Eigen::VectorXd fit(const Eigen::MatrixXd& a, const Eigen::VectorXd& y) { return a.colPivHouseholderQr().solve(y); }

TEST(Lei2018Regression, LinearMeanHasSOfPCoefficientsPlusOrMinusOne) {
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    const Data d = lei_data({{"s", std::int64_t{4}}}, 0.0, seed);  // sigma 0: y = mu
    const Eigen::VectorXd beta = fit(features(d), outcomes(d));
    int nonzero = 0;
    for (Eigen::Index j = 0; j < beta.size(); ++j) {
      const double b = std::abs(beta(j));
      EXPECT_TRUE(std::abs(b - 1) < 1e-9 || b < 1e-9) << beta.transpose();
      nonzero += b > 0.5;
    }
    EXPECT_EQ(nonzero, 4);
  }
}

TEST(Lei2018Regression, AdditiveMeanIsPlusOrMinusOneOnFourSplinesOfSVariables) {
  for (std::uint64_t seed = 0; seed < 10; ++seed) {
    const Data d = lei_data({{"s", std::int64_t{3}}, {"p", std::int64_t{5}}, {"mean", std::string("additive")}}, 0.0,
                            seed);
    const Eigen::MatrixXd x = features(d);
    Eigen::MatrixXd splines(x.rows(), 5 * 4);
    for (int j = 0; j < 5; ++j) splines.middleCols(4 * j, 4) = lei2018::bspline_basis(x.col(j), 4);
    const Eigen::VectorXd beta = fit(splines, outcomes(d));
    int groups = 0;
    for (int j = 0; j < 5; ++j) {
      const Eigen::Vector4d b = beta.segment<4>(4 * j).cwiseAbs();
      if (b.maxCoeff() < 1e-8) continue;
      ++groups;
      EXPECT_LT((b - Eigen::Vector4d::Ones()).cwiseAbs().maxCoeff(), 1e-8) << beta.transpose();
    }
    EXPECT_EQ(groups, 3);
  }
}

TEST(Lei2018Regression, T2ErrorsHaveMadOneAndSdOnePlusTwiceTheRelativeCubedMean) {
  // One seed with sigma 0 (y = mu) and sigma 1 (y = mu + e sd): the same x, e, mu.
  const std::map<std::string, ParamValue> c = {{"x_dist", std::string("mix")}, {"correlation", std::string("auto")},
                                               {"errors", std::string("t2")}, {"variance", std::string("var")}};
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    const Eigen::VectorXd mu = outcomes(lei_data(c, 0.0, seed));
    const Eigen::VectorXd y = outcomes(lei_data(c, 1.0, seed));
    const Eigen::ArrayXd cubed = mu.array().abs().cube();
    const Eigen::ArrayXd sd = 1 + 2 * cubed / cubed.mean();
    const Eigen::VectorXd e = ((y - mu).array() / sd).matrix();
    EXPECT_NEAR(lei2018::r_mad(e), 1.0, 1e-12);  // t2 errors divided by their own MAD
    const Eigen::VectorXd doubled = outcomes(lei_data(c, 2.0, seed));
    EXPECT_LT((doubled - mu - 2 * (y - mu)).cwiseAbs().maxCoeff(), 1e-9);  // sigma scales e sd
  }
}

TEST(Lei2018Regression, RefusesSplinesOfBinaryFeaturesAndTooFewRows) {
  EXPECT_THROW(make_scenario("lei2018-regression", {{"mean", std::string("additive")}, {"x_dist", std::string("mix")}}),
               InputError);
  EXPECT_THROW(make_scenario("lei2018-regression", {{"s", std::int64_t{11}}}), InputError);
  EXPECT_THROW(make_scenario("lei2018-regression", {{"n", std::int64_t{11}}}), InputError);
}

}  // namespace
}  // namespace sb::estimation::testing
