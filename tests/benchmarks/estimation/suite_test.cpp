#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "benchmarks/estimation/metrics.h"
#include "harness/core/errors.h"
#include "harness/core/suite.h"
#include "tests/benchmarks/estimation/test_util.h"

namespace sb::estimation {
namespace {

std::unique_ptr<Suite> suite() {
  const auto* e = SuiteRegistry::instance().find("estimation");
  if (!e) throw std::runtime_error("estimation suite not registered");
  return e->make(ParamSet{});
}

CellSpec cell(const std::string& dataset, std::map<std::string, ParamValue> dparams,
              const std::string& method, std::map<std::string, ParamValue> mparams,
              std::uint64_t seed) {
  CellSpec c;
  c.suite = "estimation";
  c.dataset = dataset;
  c.dataset_params =
      testing::resolved(ScenarioRegistry::instance().find(dataset)->info, dparams);
  c.method = method;
  c.method_params = testing::resolved(EstimatorRegistry::instance().find(method)->info, mparams);
  c.seed = seed;
  return c;
}

double metric(const CellOutput& out, const std::string& name) {
  for (const auto& [k, v] : out.metrics) {
    if (k == name) return v;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

TEST(EstimationMetrics, GradeByHand) {
  Data d;
  d.task = "location";
  d.truth = Eigen::Vector2d(1, 2);
  d.x = Eigen::MatrixXd::Zero(5, 2);  // n = 5 samples
  Estimate e;
  e.value = Eigen::Vector2d(4, -2);
  e.ci_low = 0;
  e.ci_high = 2;
  e.std_error = 0.5;
  const auto m = grade(d, e);
  std::map<std::string, double> got(m.begin(), m.end());
  EXPECT_EQ(got.at("estimate"), 4);
  EXPECT_EQ(got.at("error"), 3);
  EXPECT_EQ(got.at("abs_error"), 3);
  EXPECT_EQ(got.at("sq_error"), 9);
  EXPECT_EQ(got.at("n_sq_error"), 45);  // 5 x 9
  EXPECT_EQ(got.at("l2_error"), 5);  // sqrt(9 + 16)
  EXPECT_EQ(got.at("ci_width"), 2);
  EXPECT_EQ(got.at("covered"), 1);
  EXPECT_EQ(got.at("std_error"), 0.5);
  e.ci_low = std::numeric_limits<double>::quiet_NaN();
  const auto no_ci = grade(d, e);
  EXPECT_TRUE(std::none_of(no_ci.begin(), no_ci.end(), [](auto& kv) { return kv.first == "covered"; }));
  e.value(1) = std::numeric_limits<double>::infinity();
  EXPECT_THROW(grade(d, e), MethodError);
  e.value = Eigen::VectorXd::Zero(3);
  EXPECT_THROW(grade(d, e), MethodError);
}

TEST(EstimationMetrics, IntervalGradeByHand) {
  Data d;
  d.task = "interval";
  d.level = 0.9;
  d.y_test = Eigen::Vector4d(0, 1, 2, 3);
  Estimate e;
  const double inf = std::numeric_limits<double>::infinity();
  e.lower = Eigen::Vector4d(-1, 1.5, 2, -inf);
  e.upper = Eigen::Vector4d(1, 2.5, 4, inf);
  std::map<std::string, double> got;
  for (const auto& [k, v] : grade(d, e)) got[k] = v;
  EXPECT_DOUBLE_EQ(got.at("coverage"), 0.75);  // point 1 (y = 1) is missed
  EXPECT_DOUBLE_EQ(got.at("coverage_gap"), 0.15);
  EXPECT_DOUBLE_EQ(got.at("mean_width"), 5.0 / 3);
  EXPECT_DOUBLE_EQ(got.at("infinite_fraction"), 0.25);
  EXPECT_EQ(got.count("covered"), 0u);
}

TEST(EstimationSuite, DeclaresEveryMetricItRecords) {
  auto s = suite();
  std::set<std::string> declared;
  for (const auto& m : s->metrics()) declared.insert(m.name);
  const auto out = s->run(cell("corrupted-mean", {{"n", std::int64_t{30}}, {"d", std::int64_t{2}}},
                               "sample-mean", {}, 0),
                          *std::make_unique<CellCache>());
  for (const auto& [k, v] : out.metrics) EXPECT_TRUE(declared.count(k)) << k;
  ASSERT_EQ(out.artifacts.size(), 1u);  // d = 2: the estimate vector
  EXPECT_EQ(out.artifacts[0].name, "estimate");
  EXPECT_EQ(out.artifacts[0].values.size(), 2u);
}

TEST(EstimationSuite, IncompatibilityFollowsTaskTags) {
  auto s = suite();
  EXPECT_EQ(s->incompatibility(cell("corrupted-mean", {}, "trimmed-mean", {}, 0)), "");
  EXPECT_EQ(s->incompatibility(cell("contaminated-regression", {}, "lad", {}, 0)), "");
  const auto why = s->incompatibility(cell("contaminated-regression", {}, "sample-mean", {}, 0));
  EXPECT_NE(why.find("regression"), std::string::npos) << why;
  EXPECT_NE(s->incompatibility(cell("shifted-intervals", {}, "ols", {}, 0)), "");
}

TEST(EstimationSuite, CellsAreDeterministicAndShareData) {
  auto s = suite();
  CellCache cache;
  const auto c = cell("corrupted-mean", {{"n", std::int64_t{40}}}, "median-of-means", {}, 3);
  const auto a = s->run(c, cache);
  CellCache fresh;
  const auto b = s->run(c, fresh);
  EXPECT_EQ(a.metrics, b.metrics);
  s->run(cell("corrupted-mean", {{"n", std::int64_t{40}}}, "sample-mean", {}, 3), cache);
  EXPECT_EQ(cache.size(), 1u);  // the second cell reused the replication's data
  const auto other_seed = s->run(cell("corrupted-mean", {{"n", std::int64_t{40}}}, "median-of-means", {}, 4), cache);
  EXPECT_NE(metric(a, "estimate"), metric(other_seed, "estimate"));
}

TEST(EstimationSuite, SampleMeanCiCoversAbout95Percent) {
  // 400 clean replications: covered ~ Binomial(400, 0.95)/400, sd 0.011.
  auto s = suite();
  CellCache cache;
  double covered = 0;
  for (std::uint64_t seed = 0; seed < 400; ++seed) {
    covered += metric(s->run(cell("corrupted-mean", {{"n", std::int64_t{30}}, {"rate", 0.0}},
                                  "sample-mean", {}, seed),
                             cache),
                      "covered");
  }
  EXPECT_NEAR(covered / 400, 0.95, 3 * std::sqrt(0.95 * 0.05 / 400));
}

TEST(EstimationSuite, RobustEstimatorsBeatTheMeanUnderCorruption) {
  auto s = suite();
  CellCache cache;
  std::map<std::string, double> mse;
  for (const char* m : {"sample-mean", "coordinate-median", "trimmed-mean", "huber-mean",
                        "median-of-means", "rate-aware"}) {
    for (std::uint64_t seed = 0; seed < 20; ++seed) {
      mse[m] += metric(s->run(cell("corrupted-mean", {{"n", std::int64_t{400}}, {"rate", 0.1}},
                                   m, {}, seed),
                              cache),
                       "sq_error");
    }
  }
  for (const auto& [m, v] : mse) {
    if (m != "sample-mean") {
      EXPECT_LT(v, mse["sample-mean"]) << m;
    }
  }
}

// Registry sweep: every registered estimator on every compatible registered
// scenario (estcausal's included), at small sizes, through the Suite.
TEST(EstimationSuite, RegistrySweepGivesFiniteMetrics) {
  auto s = suite();
  int ran = 0;
  for (const auto& scen : s->datasets()) {
    std::map<std::string, ParamValue> small;
    for (const auto& spec : scen.params) {
      if ((spec.name == "n" || spec.name == "n_test") && spec.type == ParamType::kInt) {
        small[spec.name] = std::min<std::int64_t>(std::get<std::int64_t>(spec.default_value), 400);
      }
    }
    for (const auto& method : s->methods()) {
      const auto c = cell(scen.name, small, method.name, {}, 1);
      if (!s->incompatibility(c).empty()) continue;
      CellCache cache;
      CellOutput out;
      ASSERT_NO_THROW(out = s->run(c, cache)) << method.name << " on " << scen.name;
      EXPECT_FALSE(out.metrics.empty()) << method.name << " on " << scen.name;
      for (const auto& [k, v] : out.metrics) {
        EXPECT_TRUE(std::isfinite(v)) << method.name << " on " << scen.name << ": " << k;
      }
      ++ran;
    }
  }
  RecordProperty("cells_run", ran);
  EXPECT_GE(ran, 13);
  EXPECT_TRUE(registry_problems().empty());
}

}  // namespace
}  // namespace sb::estimation
