#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "estimators/estimation/quantiles.h"
#include "estimators/estimation/robust_common.h"
#include "harness/core/errors.h"
#include "tests/benchmarks/estimation/test_util.h"

namespace sb::estimation {
namespace {

using testing::location_data;
using testing::make_estimator;
using testing::resolved;

TEST(SampleMean, ValueAndStudentInterval) {
  const auto est = make_estimator("sample-mean")->estimate(location_data({1, 2, 3, 4}), 0);
  EXPECT_DOUBLE_EQ(est.value(0), 2.5);
  const double se = std::sqrt(5.0 / 3) / 2;  // sd = sqrt(5/3), n = 4
  EXPECT_NEAR(est.std_error, se, 1e-14);
  EXPECT_NEAR(est.ci_high - est.value(0), 3.182446305284263 * se, 1e-9);  // qt(0.975, 3)
}

TEST(CoordinateMedian, ValueAndOrderStatisticInterval) {
  // n = 10: P(Bin(10,1/2) <= 1) = 11/1024 <= 0.025 < P(<= 2) = 56/1024, so l = 2
  // and the interval is [x_(2), x_(9)].
  const auto est = make_estimator("coordinate-median")
                       ->estimate(location_data({10, 3, 5, 1, 7, 2, 9, 4, 8, 6}), 0);
  EXPECT_DOUBLE_EQ(est.value(0), 5.5);
  EXPECT_DOUBLE_EQ(est.ci_low, 2);
  EXPECT_DOUBLE_EQ(est.ci_high, 9);
  // n = 5: even [x_(1), x_(5)] covers with probability 1 - 2/32 < 0.95: no CI.
  const auto small = make_estimator("coordinate-median")->estimate(location_data({1, 2, 3, 4, 5}), 0);
  EXPECT_DOUBLE_EQ(small.value(0), 3);
  EXPECT_TRUE(std::isnan(small.ci_low));
}

TEST(HodgesLehmann, HandValuesOfTheThreePairSets) {
  // x = (0, 1, 5). i < j: averages 0.5, 2.5, 3 -> 2.5. i <= j adds 0, 1, 5:
  // (0, 0.5, 1, 2.5, 3, 5) -> (1 + 2.5) / 2 = 1.75. All (i, j): the i < j
  // averages twice and the diagonal once, (0, .5, .5, 1, 2.5, 2.5, 3, 3, 5) -> 2.5.
  const Data d = location_data({5, 0, 1});
  const auto hl = [&](const char* pairs) {
    return make_estimator("hodges-lehmann", {{"pairs", std::string(pairs)}})->estimate(d, 0).value(0);
  };
  EXPECT_DOUBLE_EQ(hl("distinct"), 2.5);
  EXPECT_DOUBLE_EQ(hl("with_self"), 1.75);
  EXPECT_DOUBLE_EQ(hl("all"), 2.5);
  EXPECT_DOUBLE_EQ(make_estimator("hodges-lehmann")->estimate(d, 0).value(0), 1.75);  // default: Walsh averages
  // n = 4, i < j: the 3rd and 4th of the 6 averages are two complementary
  // pairs, so HL1 is the sample mean (Park, Kim & Wang's n Var = 1 at n = 4).
  const Data four = location_data({0.3, -1.2, 2.5, 0.9});
  EXPECT_NEAR(make_estimator("hodges-lehmann", {{"pairs", std::string("distinct")}})->estimate(four, 0).value(0),
              (0.3 - 1.2 + 2.5 + 0.9) / 4, 1e-15);
  EXPECT_THROW(make_estimator("hodges-lehmann", {{"pairs", std::string("distinct")}})->estimate(location_data({1}), 0),
               MethodError);
}

TEST(HodgesLehmann, MatchesBruteForceOnEveryColumn) {
  Data d;
  d.task = "location";
  d.x = Eigen::MatrixXd::Random(9, 3);  // Eigen's fixed generator: deterministic
  for (Eigen::Index c = 0; c < 3; ++c) {
    std::vector<double> all;
    for (Eigen::Index i = 0; i < 9; ++i) {
      for (Eigen::Index j = 0; j < 9; ++j) all.push_back((d.x(i, c) + d.x(j, c)) / 2);
    }
    std::sort(all.begin(), all.end());  // 81 values: the 41st
    EXPECT_DOUBLE_EQ(make_estimator("hodges-lehmann", {{"pairs", std::string("all")}})->estimate(d, 0).value(c),
                     all[40]);
  }
}

TEST(TrimmedMean, HandValue) {
  const auto est = make_estimator("trimmed-mean", {{"trim", 0.2}})
                       ->estimate(location_data({1, 2, 3, 4, 100}), 0);
  EXPECT_DOUBLE_EQ(est.value(0), 3);
  EXPECT_NEAR(est.std_error, std::sqrt(2.0 / 3), 1e-14);
}

TEST(TrimmedMean, DeclaredRangeIsTheOnlyRule) {
  // The constructor used to accept trim < 0.5 while the declaration said
  // [0, 0.49]; the declaration, which config validation enforces, is the rule.
  EXPECT_THROW(make_estimator("trimmed-mean", {{"trim", 0.495}}), InputError);
  const auto* entry = EstimatorRegistry::instance().find("trimmed-mean");
  auto set = resolved(entry->info, {});
  set.set("trim", 0.495);
  EXPECT_THROW(entry->make(set), InputError);  // also when resolve_params is skipped
  EXPECT_NO_THROW(make_estimator("trimmed-mean", {{"trim", 0.49}}));
}

TEST(MedianOfMeans, LimitsAreMeanAndMedian) {
  const std::vector<double> v = {1, 2, 3, 4, 100};
  EXPECT_DOUBLE_EQ(make_estimator("median-of-means", {{"blocks", std::int64_t{1}}})
                       ->estimate(location_data(v), 9).value(0),
                   22);
  EXPECT_DOUBLE_EQ(make_estimator("median-of-means", {{"blocks", std::int64_t{5}}})
                       ->estimate(location_data(v), 9).value(0),
                   3);
  // More blocks than samples: capped at n (the median).
  EXPECT_DOUBLE_EQ(make_estimator("median-of-means", {{"blocks", std::int64_t{50}}})
                       ->estimate(location_data(v), 9).value(0),
                   3);
}

TEST(MedianOfMeans, GivenBlocksByHand) {
  const std::vector<double> v = {1, 2, 3, 10, 20, 30, 100, 200, 300};
  const std::uint64_t seed = 11;
  const auto block = robust::block_assignment(v.size(), 3, seed);
  std::vector<double> sums(3), counts(3);
  for (std::size_t i = 0; i < v.size(); ++i) {
    sums[static_cast<std::size_t>(block[i])] += v[i];
    counts[static_cast<std::size_t>(block[i])] += 1;
  }
  std::vector<double> means = {sums[0] / counts[0], sums[1] / counts[1], sums[2] / counts[2]};
  std::sort(means.begin(), means.end());
  const auto est = make_estimator("median-of-means", {{"blocks", std::int64_t{3}}})
                       ->estimate(location_data(v), seed);
  EXPECT_DOUBLE_EQ(est.value(0), means[1]);
  EXPECT_TRUE(std::isnan(est.ci_low));  // no CI by design
}

TEST(HuberMean, HandIteratedFixedPoint) {
  // {0,1,2,4,100}: median 2, MAD 2, s = 2/0.67449. With c = 1.345, c s = 3.988:
  // only 100 is clipped, so the root of sum psi = 0 solves
  // (0 + 1 + 2 + 4 - 4 mu) + c s = 0, i.e. mu = (7 + c s) / 4.
  const double cs = 1.345 * 2 / 0.6744897501960817;
  const auto est = make_estimator("huber-mean", {{"c", 1.345}})
                       ->estimate(location_data({0, 1, 2, 4, 100}), 0);
  EXPECT_NEAR(est.value(0), (7 + cs) / 4, 1e-9);
  EXPECT_GT(est.ci_high, est.value(0));
  // A huge c clips nothing: the sample mean.
  EXPECT_NEAR(make_estimator("huber-mean", {{"c", 100.0}})
                  ->estimate(location_data({0, 1, 2, 4, 100}), 0).value(0),
              21.4, 1e-9);
}

TEST(RateAware, KeepsOnlyKnownCleanSamplesWhenThatIsBest) {
  // 50 samples with p = 0, 50 with p = 0.5: B(50) = 1/sqrt(50) = 0.1414 beats
  // every m > 50 (eps_m > 0), so the estimate is the mean of the first 50.
  Data data = location_data({});
  data.x.resize(100, 2);
  data.corruption_rate.resize(100);
  for (int i = 0; i < 100; ++i) {
    data.x(i, 0) = i < 50 ? i : 1000 + i;
    data.x(i, 1) = -i;
    data.corruption_rate(i) = i < 50 ? 0.0 : 0.5;
  }
  data.truth = Eigen::VectorXd::Zero(2);
  const auto est = make_estimator("rate-aware")->estimate(data, 0);
  EXPECT_DOUBLE_EQ(est.value(0), 24.5);
  EXPECT_DOUBLE_EQ(est.value(1), -24.5);
}

TEST(RateAware, ConstantRatesKeepAllAndTrimTheBound) {
  // p = 0.1 for all: B(m) = 1/sqrt(m) + 0.1 is smallest at m = n = 100;
  // trim = 0.1 + 2 sqrt(0.1 * 0.9 / 100) = 0.16: drop 16 values per end.
  std::vector<double> v(100);
  for (int i = 0; i < 100; ++i) v[static_cast<std::size_t>(i)] = (i * 37) % 100 + (i % 7 == 0 ? 500 : 0);
  Data data = location_data(v);
  data.corruption_rate = Eigen::VectorXd::Constant(100, 0.1);
  std::vector<double> s = v;
  std::sort(s.begin(), s.end());
  const double expected = std::accumulate(s.begin() + 16, s.end() - 16, 0.0) / 68;
  EXPECT_NEAR(make_estimator("rate-aware")->estimate(data, 0).value(0), expected, 1e-12);
  // Without rates it refuses.
  EXPECT_THROW(make_estimator("rate-aware")->estimate(location_data(v), 0), MethodError);
}

}  // namespace
}  // namespace sb::estimation
