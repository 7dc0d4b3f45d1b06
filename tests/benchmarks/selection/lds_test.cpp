// The linear datamodeling score: by hand, exactness for a learner that is
// linear in the data, its ground truth, and grading through the suite.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>

#include "benchmarks/selection/ground_truth.h"
#include "benchmarks/selection/metrics.h"
#include "benchmarks/selection/protocol.h"
#include "harness/core/suite.h"

namespace sb::selection {
namespace {

TEST(LinearDatamodelingScore, HandComputedCase) {
  // 3 training rows, 4 subsets, 2 evaluation points.
  Eigen::MatrixXd masks(4, 3);
  masks << 1, 0, 0,
           0, 1, 1,
           1, 1, 0,
           0, 0, 1;
  Eigen::MatrixXd attribution(3, 2);
  attribution << 1, 0,
                 2, 1,
                 4, -1;
  // Predicted: point 0: 1, 6, 3, 4 (ranks 1, 4, 2, 3); point 1: 0, 0, 1, -1
  // (ranks 2.5, 2.5, 4, 1).
  Eigen::MatrixXd outputs(4, 2);
  outputs << 0.1, 5,
             0.9, 6,
             0.2, 7,
             0.3, 8;  // point 0: ranks 1, 4, 2, 3 -> rho 1; point 1: ranks 1, 2, 3, 4
  // Point 1 by hand: d = x - mean(x) with x = (2.5, 2.5, 4, 1), mean 2.5:
  // (0, 0, 1.5, -1.5); y = (1, 2, 3, 4) - 2.5 = (-1.5, -0.5, 0.5, 1.5);
  // sum dx dy = 0.75 - 2.25 = -1.5; |dx| = sqrt(4.5), |dy| = sqrt(5);
  // rho = -1.5 / sqrt(22.5).
  const double rho1 = -1.5 / std::sqrt(22.5);
  EXPECT_NEAR(linear_datamodeling_score(masks, outputs, attribution), (1.0 + rho1) / 2, 1e-12);
  // A point whose outputs are constant over the subsets is left out of the mean.
  outputs.col(1).setConstant(3.0);
  EXPECT_NEAR(linear_datamodeling_score(masks, outputs, attribution), 1.0, 1e-12);
  outputs.col(0).setConstant(1.0);
  EXPECT_TRUE(std::isnan(linear_datamodeling_score(masks, outputs, attribution)));
}

TEST(LinearDatamodelingScore, AnExactAttributionOfALinearInDataLearnerScoresOne) {
  // Kernel regression without normalisation, f_S(x) = sum_{i in S} y_i k(x_i, x),
  // is linear in the data: tau(i, t) = y_i k(x_i, x_t) is exact, LDS = 1.
  std::mt19937_64 rng(1);
  std::normal_distribution<double> normal;
  const Eigen::Index n = 30, m = 8, subsets = 40;
  Eigen::MatrixXd x(n, 2), xt(m, 2);
  Eigen::VectorXd y(n);
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = normal(rng);
  for (Eigen::Index i = 0; i < xt.size(); ++i) xt.data()[i] = normal(rng);
  for (Eigen::Index i = 0; i < n; ++i) y(i) = normal(rng);
  Eigen::MatrixXd tau(n, m);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index t = 0; t < m; ++t) tau(i, t) = y(i) * std::exp(-(x.row(i) - xt.row(t)).squaredNorm());
  Eigen::MatrixXd masks = Eigen::MatrixXd::Zero(subsets, n), outputs = Eigen::MatrixXd::Zero(subsets, m);
  for (Eigen::Index s = 0; s < subsets; ++s) {
    for (Eigen::Index i = 0; i < n; ++i) masks(s, i) = (rng() >> 63) ? 1.0 : 0.0;
    for (Eigen::Index t = 0; t < m; ++t)
      for (Eigen::Index i = 0; i < n; ++i)
        if (masks(s, i) == 1.0) outputs(s, t) += y(i) * std::exp(-(x.row(i) - xt.row(t)).squaredNorm());
  }
  EXPECT_NEAR(linear_datamodeling_score(masks, outputs, tau), 1.0, 1e-12);
  // Any positive rescaling per point is as exact (ranks); noise is not.
  EXPECT_NEAR(linear_datamodeling_score(masks, outputs, 3.0 * tau), 1.0, 1e-12);
  Eigen::MatrixXd noisy = tau;
  for (Eigen::Index i = 0; i < noisy.size(); ++i) noisy.data()[i] += 0.5 * normal(rng);
  const double degraded = linear_datamodeling_score(masks, outputs, noisy);
  EXPECT_LT(degraded, 0.95);
  EXPECT_GT(linear_datamodeling_score(masks, outputs, -tau), -1.0 - 1e-12);
  EXPECT_NEAR(linear_datamodeling_score(masks, outputs, -tau), -1.0, 1e-12);
}

ParamSet dataset_params(const std::string& name, std::map<std::string, ParamValue> given) {
  for (auto& info : SuiteRegistry::instance().find("selection")->make(ParamSet{})->datasets()) {
    if (info.name == name) return resolve_params(info.params, given, "dataset " + name);
  }
  throw InternalError("no dataset {}", name);
}

ParamSet method_params(const std::string& name) {
  return resolve_params(ValuerRegistry::instance().find(name)->info.params, {}, "method " + name);
}

TEST(LinearDatamodelingScore, GroundTruthRefitsHalfSubsetsAndShipsThroughTheReference) {
  const auto params = dataset_params("gaussian-classifier",
                                     {{"n", std::int64_t{300}}, {"n_train", std::int64_t{41}},
                                      {"n_valid", std::int64_t{20}}, {"n_test", std::int64_t{20}},
                                      {"lds_subsets", std::int64_t{12}}, {"exact_loo", false}});
  const auto in_place = prepare("gaussian-classifier", params, 3);
  ASSERT_TRUE(in_place->lds);
  const LdsTruth& lds = *in_place->lds;
  ASSERT_EQ(lds.masks.rows(), 12);
  ASSERT_EQ(lds.masks.cols(), 41);
  ASSERT_EQ(lds.outputs.cols(), 20);
  for (Eigen::Index s = 0; s < 12; ++s) EXPECT_EQ(lds.masks.row(s).sum(), 20.0);  // floor(41 / 2)
  // Subset 0's outputs are the margins of the model refitted on its rows.
  std::vector<Eigen::Index> rows;
  for (Eigen::Index i = 0; i < 41; ++i)
    if (lds.masks(0, i) == 1.0) rows.push_back(i);
  const Utility utility(in_place->data, in_place->utility);
  const auto model = utility.fit(rows);
  const Eigen::MatrixXd z = model.logits(in_place->data.valid.x);
  for (Eigen::Index t = 0; t < 20; ++t) {
    const int y = in_place->data.valid.y(t);
    double others = 0;
    for (Eigen::Index c = 0; c < z.cols(); ++c)
      if (c != y) others += std::exp(z(t, c));
    EXPECT_NEAR(lds.outputs(0, t), z(t, y) - std::log(others), 1e-12);
  }
  // Through the reference: bitwise the same truth and grades.
  const CellOutput truth = compute_ground_truth("gaussian-classifier", params, 3);
  const auto shipped = prepare("gaussian-classifier", params, 3, &truth);
  ASSERT_TRUE(shipped->lds);
  EXPECT_EQ(shipped->lds->masks, lds.masks);
  EXPECT_EQ(shipped->lds->outputs, lds.outputs);
  const auto a = run_valuer(*in_place, "influence", method_params("influence"), 3);
  const auto b = run_valuer(*shipped, "influence", method_params("influence"), 3);
  EXPECT_EQ(a.metrics, b.metrics);
}

TEST(LinearDatamodelingScore, AttributionMethodsBeatChanceAndValuersGetNone) {
  const auto params = dataset_params("gaussian-classifier",
                                     {{"n", std::int64_t{400}}, {"d", std::int64_t{4}}, {"n_train", std::int64_t{100}},
                                      {"n_valid", std::int64_t{30}}, {"n_test", std::int64_t{30}},
                                      {"lds_subsets", std::int64_t{40}}, {"exact_loo", false}});
  const auto prepared = prepare("gaussian-classifier", params, 1);
  std::map<std::string, double> lds;
  for (const char* method : {"influence", "influence-cg", "trak", "gradient-final", "grass", "representer",
                             "representer-l1", "representer-nuclear", "tracin", "random", "knn-shapley"}) {
    SCOPED_TRACE(method);
    const auto out = run_valuer(*prepared, method, method_params(method), 1);
    for (const auto& [name, value] : out.metrics)
      if (name == "lds") lds[method] = value;
  }
  EXPECT_FALSE(lds.count("random"));
  EXPECT_FALSE(lds.count("knn-shapley"));
  for (const auto& [method, score] : lds) std::cout << "lds " << method << " " << score << "\n";
  for (const char* method : {"influence", "influence-cg", "trak", "gradient-final", "grass", "representer",
                             "representer-l1", "representer-nuclear", "tracin"}) {
    ASSERT_TRUE(lds.count(method)) << method;
    EXPECT_GT(lds.at(method), 0.2) << method;
  }
  // The exact-Hessian influence explains refits on half the data well.
  EXPECT_GT(lds.at("influence"), 0.5);
}

}  // namespace
}  // namespace sb::selection
