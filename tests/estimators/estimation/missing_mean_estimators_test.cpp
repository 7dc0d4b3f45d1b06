// Kang-Schafer missing-data mean estimators (task missing-mean) against hand
// formulas computed here, statsmodels values for the fitted response model,
// and identities that hold without covariates.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "tests/benchmarks/estimation/causal_test_util.h"

namespace sb::estimation::testing {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
const char* const kEstimators[] = {"ks-ols", "ks-ht", "ks-ipw-pop", "ks-ipw-nr", "ks-wls", "ks-bc-ols"};

// Six units, one covariate x = 0..5; units 2 and 4 do not respond.
Data six_units() {
  Data d;
  d.task = "missing-mean";
  d.x = (Eigen::MatrixXd(6, 1) << 0, 1, 2, 3, 4, 5).finished();
  d.treatment = (Eigen::VectorXd(6) << 1, 1, 0, 1, 0, 1).finished();
  d.y = (Eigen::VectorXd(6) << 1, 3, kNaN, 4, kNaN, 8).finished();
  d.propensity = (Eigen::VectorXd(6) << 0.5, 0.8, 0.4, 0.25, 0.5, 0.9).finished();
  d.truth = Eigen::VectorXd::Constant(1, 0.0);
  return d;
}

const std::map<std::string, ParamValue> kTrue = {{"propensity", std::string("true")}};

// Weighted simple regression of y on [1, x] over the respondents of
// six_units (weights w), by the textbook centred formulas; returns the mean
// of the fitted line over all six x (mean x = 2.5) and the fitted values.
struct LineFit {
  double mean_prediction;
  std::vector<double> fitted;
};
LineFit weighted_line(const Data& d, const std::vector<double>& w) {
  double sw = 0, swx = 0, swy = 0;
  for (int i = 0; i < 6; ++i) {
    if (d.treatment(i) == 0) continue;
    sw += w[i], swx += w[i] * d.x(i, 0), swy += w[i] * d.y(i);
  }
  const double xw = swx / sw, yw = swy / sw;
  double sxy = 0, sxx = 0;
  for (int i = 0; i < 6; ++i) {
    if (d.treatment(i) == 0) continue;
    sxy += w[i] * (d.x(i, 0) - xw) * (d.y(i) - yw);
    sxx += w[i] * (d.x(i, 0) - xw) * (d.x(i, 0) - xw);
  }
  const double slope = sxy / sxx;
  LineFit out{yw + slope * (2.5 - xw), {}};
  for (int i = 0; i < 6; ++i) out.fitted.push_back(yw + slope * (d.x(i, 0) - xw));
  return out;
}

TEST(KsOls, HandComputed) {
  // Respondents x = 0,1,3,5, y = 1,3,4,8: xbar 2.25, ybar 4, Sxy 19, Sxx 14.75;
  // mean fitted value over x = 0..5 is 4 + (2.5 - 2.25) * 19/14.75.
  EXPECT_NEAR(run("ks-ols", six_units()).value(0), 4 + 0.25 * 19 / 14.75, 1e-12);
}

TEST(KsHt, TruePropensityByHand) {
  const double expected = (1 / 0.5 + 3 / 0.8 + 4 / 0.25 + 8 / 0.9) / 6;
  const Estimate e = run("ks-ht", six_units(), kTrue);
  EXPECT_NEAR(e.value(0), expected, 1e-12);
  EXPECT_TRUE(std::isnan(e.std_error));  // point estimate only
}

TEST(KsIpwPop, TruePropensityByHand) {
  const double expected =
      (1 / 0.5 + 3 / 0.8 + 4 / 0.25 + 8 / 0.9) / (1 / 0.5 + 1 / 0.8 + 1 / 0.25 + 1 / 0.9);
  EXPECT_NEAR(run("ks-ipw-pop", six_units(), kTrue).value(0), expected, 1e-12);
}

// Four respondents (y = 1, 3, 4, 8) stand for themselves; the two
// nonrespondents get their mean weighted by the odds (1 - pi)/pi = 1, 1/4, 3, 1/9.
TEST(KsIpwNr, TruePropensityByHand) {
  const double nonrespondent_mean = (1 * 1 + 0.25 * 3 + 3 * 4 + 8.0 / 9) / (1 + 0.25 + 3 + 1.0 / 9);
  const double expected = (4.0 / 6) * (16.0 / 4) + (2.0 / 6) * nonrespondent_mean;
  EXPECT_NEAR(run("ks-ipw-nr", six_units(), kTrue).value(0), expected, 1e-12);
}

// With one response probability for all the odds are equal, so the
// nonrespondents' estimated mean is the respondents' mean, and so is the whole.
TEST(KsIpwNr, ConstantPropensityGivesTheRespondentMean) {
  Data d = six_units();
  d.propensity.setConstant(0.6);
  EXPECT_NEAR(run("ks-ipw-nr", d, kTrue).value(0), 4.0, 1e-12);
}

TEST(KsWls, TruePropensityByHand) {
  const Data d = six_units();
  std::vector<double> w(6);
  for (int i = 0; i < 6; ++i) w[i] = 1 / d.propensity(i);
  EXPECT_NEAR(run("ks-wls", d, kTrue).value(0), weighted_line(d, w).mean_prediction, 1e-12);
}

TEST(KsBcOls, TruePropensityByHand) {
  const Data d = six_units();
  const LineFit ols = weighted_line(d, std::vector<double>(6, 1.0));
  double correction = 0;
  for (int i = 0; i < 6; ++i) {
    if (d.treatment(i) == 1) correction += (d.y(i) - ols.fitted[i]) / d.propensity(i);
  }
  EXPECT_NEAR(run("ks-bc-ols", d, kTrue).value(0), ols.mean_prediction + correction / 6, 1e-12);
}

// WLS with an intercept zeroes the weighted residual sum, so adding BC-OLS's
// correction with the WLS fit changes nothing (the paper's point that WLS is
// doubly robust): checked with the hand-fitted line.
TEST(KsWls, WeightedResidualsSumToZero) {
  const Data d = six_units();
  std::vector<double> w(6);
  for (int i = 0; i < 6; ++i) w[i] = 1 / d.propensity(i);
  const LineFit wls = weighted_line(d, w);
  double correction = 0;
  for (int i = 0; i < 6; ++i) {
    if (d.treatment(i) == 1) correction += (d.y(i) - wls.fitted[i]) * w[i];
  }
  EXPECT_NEAR(correction, 0, 1e-10);
}

// Fitted logistic response model on [1, x]: values from statsmodels 0.13.5,
//   /usr/bin/python3 - <<'PY'
//   import numpy as np, statsmodels.api as sm
//   x = np.array([0., 1, 2, 3, 4, 5]); t = np.array([1., 1, 0, 1, 0, 1])
//   y = np.array([1., 3, np.nan, 4, np.nan, 8]); X = sm.add_constant(x); r = t == 1; n = 6
//   pi = sm.Logit(t, X).fit(disp=0, tol=1e-14, maxiter=200).predict(X)
//   m_ols = sm.OLS(y[r], X[r]).fit().predict(X)
//   m_wls = sm.WLS(y[r], X[r], weights=1 / pi[r]).fit().predict(X)
//   odds = (1 - pi[r]) / pi[r]
//   print(m_ols.mean(), np.sum(y[r] / pi[r]) / n, np.sum(y[r] / pi[r]) / np.sum(1 / pi[r]),
//         r.mean() * y[r].mean() + (1 - r.mean()) * np.sum(odds * y[r]) / np.sum(odds),
//         m_wls.mean(), m_ols.mean() + np.sum((y[r] - m_ols[r]) / pi[r]) / n)
//   PY
TEST(KsEstimators, FittedResponseModelMatchesStatsmodels) {
  const Data d = six_units();
  EXPECT_NEAR(run("ks-ols", d).value(0), 4.322033898305084, 1e-10);
  EXPECT_NEAR(run("ks-ht", d).value(0), 4.488717531985375, 1e-8);
  EXPECT_NEAR(run("ks-ipw-pop", d).value(0), 4.441706626428475, 1e-8);
  EXPECT_NEAR(run("ks-ipw-nr", d).value(0), 4.432644348631613, 1e-8);
  EXPECT_NEAR(run("ks-wls", d).value(0), 4.331328593079643, 1e-8);
  EXPECT_NEAR(run("ks-bc-ols", d).value(0), 4.33349813747404, 1e-8);
}

// Without covariates the fitted response probability is r/n for everyone
// and the regression is the respondents' mean: all six give that mean.
TEST(KsEstimators, WithoutCovariatesAllGiveTheRespondentMean) {
  Data d = six_units();
  d.x = Eigen::MatrixXd(6, 0);
  for (const char* name : kEstimators) {
    EXPECT_NEAR(run(name, d).value(0), 4.0, 1e-10) << name;
  }
}

// Non-respondents' outcomes are never read: any value there changes nothing.
TEST(KsEstimators, IgnoreNonRespondentsOutcomes) {
  const Data d = six_units();
  Data filled = d;
  filled.y(2) = 1e6;
  filled.y(4) = -3;
  for (const char* name : kEstimators) {
    EXPECT_EQ(run(name, d).value(0), run(name, filled).value(0)) << name;
  }
}

TEST(KsEstimators, RejectBadInput) {
  Data missing_respondent = six_units();
  missing_respondent.y(1) = kNaN;
  Data one_nonrespondent = six_units();
  one_nonrespondent.treatment(2) = 1;
  one_nonrespondent.y(2) = 2;
  Data short_x = six_units();
  short_x.x = Eigen::MatrixXd::Zero(5, 1);
  for (const char* name : kEstimators) {
    EXPECT_THROW(run(name, missing_respondent), MethodError) << name;
    EXPECT_THROW(run(name, one_nonrespondent), MethodError) << name;
    EXPECT_THROW(run(name, short_x), MethodError) << name;
  }
}

}  // namespace
}  // namespace sb::estimation::testing
