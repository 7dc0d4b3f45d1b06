// The worst-case forget set: on cases small enough to enumerate every forget
// set of the size, the greedy set's retrain gap (checked against refitting
// from zero) beats every random set's and comes close to the enumerated
// optimum; one greedy step is the best single row; the pool keeps the rows of
// largest gradient norm.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "benchmarks/unlearning/worst_case.h"
#include "datasets/corruption.h"
#include "estimators/models/linear.h"
#include "harness/core/errors.h"

namespace sb::unlearning {
namespace {

struct Tiny {
  Eigen::MatrixXd z;
  Eigen::VectorXi y;
  int classes = 2;
};

// n rows, d Gaussian features shifted by 1.5 * (class), `classes` classes.
Tiny tiny(Eigen::Index n, Eigen::Index d, int classes, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  Eigen::MatrixXd x(n, d);
  Tiny t;
  t.classes = classes;
  t.y.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    t.y(i) = static_cast<int>(i % classes);
    for (Eigen::Index j = 0; j < d; ++j) x(i, j) = normal(rng) + 1.5 * (j == t.y(i) % d ? 1.0 : 0.0);
  }
  t.z = models::augment(x);
  return t;
}

models::PenalizedLinear model_of(models::LinearLoss loss, double lambda) {
  models::PenalizedLinear m;
  m.loss = loss;
  m.lambda = lambda;
  m.tolerance = 1e-13;
  return m;
}

// Every k-subset of {0..n-1}, in lexicographic order.
std::vector<std::vector<Eigen::Index>> subsets(Eigen::Index n, Eigen::Index k) {
  std::vector<std::vector<Eigen::Index>> out;
  std::vector<Eigen::Index> s(static_cast<size_t>(k));
  for (Eigen::Index i = 0; i < k; ++i) s[static_cast<size_t>(i)] = i;
  while (true) {
    out.push_back(s);
    Eigen::Index i = k - 1;
    while (i >= 0 && s[static_cast<size_t>(i)] == n - k + i) --i;
    if (i < 0) return out;
    ++s[static_cast<size_t>(i)];
    for (Eigen::Index j = i + 1; j < k; ++j) s[static_cast<size_t>(j)] = s[static_cast<size_t>(j - 1)] + 1;
  }
}

void check_against_enumeration(models::LinearLoss loss, int classes, std::uint64_t seed) {
  const Tiny t = tiny(12, 2, classes, seed);
  const auto model = model_of(loss, 0.5);
  const Eigen::Index size = 3;
  const auto greedy = worst_case_forget_set(model, t.z, t.y, t.classes, size, 0);
  ASSERT_EQ(greedy.forget.size(), 3u);
  ASSERT_TRUE(std::is_sorted(greedy.forget.begin(), greedy.forget.end()));
  // The reported gap is the gap of the set, refitted from zero.
  EXPECT_NEAR(greedy.gap, retrain_gap(model, t.z, t.y, t.classes, greedy.forget), 1e-9);
  // Enumerate all C(12, 3) = 220 sets.
  std::vector<double> gaps;
  for (const auto& s : subsets(12, size)) gaps.push_back(retrain_gap(model, t.z, t.y, t.classes, s));
  ASSERT_EQ(gaps.size(), 220u);
  const double optimum = *std::max_element(gaps.begin(), gaps.end());
  EXPECT_LE(greedy.gap, optimum + 1e-9);
  // Above every random set (100 uniform draws).
  std::mt19937_64 rng(seed + 1);
  for (int draw = 0; draw < 100; ++draw) {
    auto s = data::draw_without_replacement(12, size, rng);
    std::sort(s.begin(), s.end());
    EXPECT_GE(greedy.gap, retrain_gap(model, t.z, t.y, t.classes, s) - 1e-9);
  }
  // Near the optimum: within 10% of it and in the top 5% of all sets.
  EXPECT_GE(greedy.gap, 0.9 * optimum);
  const auto above = std::count_if(gaps.begin(), gaps.end(), [&](double g) { return g > greedy.gap + 1e-9; });
  EXPECT_LE(above, 11);
  std::printf("greedy gap %.6f, optimum %.6f, sets above greedy %ld of 220\n", greedy.gap, optimum,
              static_cast<long>(above));
}

TEST(WorstCaseForgetSet, GreedyBeatsRandomSetsAndNearsTheEnumeratedOptimumLogistic) {
  check_against_enumeration(models::LinearLoss::kSoftmax, 2, 11);
  check_against_enumeration(models::LinearLoss::kSoftmax, 3, 12);
}

TEST(WorstCaseForgetSet, GreedyBeatsRandomSetsAndNearsTheEnumeratedOptimumRidge) {
  check_against_enumeration(models::LinearLoss::kSquared, 2, 13);
}

TEST(WorstCaseForgetSet, OneStepIsTheBestSingleRow) {
  const Tiny t = tiny(15, 3, 3, 5);
  const auto model = model_of(models::LinearLoss::kSoftmax, 1.0);
  const auto greedy = worst_case_forget_set(model, t.z, t.y, t.classes, 1, 0);
  Eigen::Index best = -1;
  double best_gap = -1;
  for (Eigen::Index i = 0; i < 15; ++i) {
    const double g = retrain_gap(model, t.z, t.y, t.classes, {i});
    if (g > best_gap) best = i, best_gap = g;
  }
  ASSERT_EQ(greedy.forget, std::vector<Eigen::Index>{best});
  EXPECT_NEAR(greedy.gap, best_gap, 1e-9);
}

TEST(WorstCaseForgetSet, PoolOfOneTakesTheRowOfLargestGradientNorm) {
  const Tiny t = tiny(15, 3, 3, 6);
  const auto model = model_of(models::LinearLoss::kSoftmax, 1.0);
  const Eigen::MatrixXd theta = models::fit_linear(model, t.z, t.y, t.classes);
  // ||grad loss_i|| by central finite differences of example_losses.
  Eigen::Index top = -1;
  double top_norm = -1;
  for (Eigen::Index i = 0; i < 15; ++i) {
    const Eigen::MatrixXd zi = t.z.row(i);
    const Eigen::VectorXi yi = t.y.segment(i, 1);
    double sq = 0;
    for (Eigen::Index e = 0; e < theta.size(); ++e) {
      Eigen::MatrixXd up = theta, down = theta;
      up(e) += 1e-6, down(e) -= 1e-6;
      const double d = (models::example_losses(model, zi, yi, up)(0) - models::example_losses(model, zi, yi, down)(0)) /
                       2e-6;
      sq += d * d;
    }
    if (std::sqrt(sq) > top_norm) top = i, top_norm = std::sqrt(sq);
  }
  const auto pooled = worst_case_forget_set(model, t.z, t.y, t.classes, 1, 1);
  EXPECT_EQ(pooled.forget, std::vector<Eigen::Index>{top});
  // The pooled search of two steps returns a set whose gap is its own.
  const auto two = worst_case_forget_set(model, t.z, t.y, t.classes, 2, 3);
  EXPECT_NEAR(two.gap, retrain_gap(model, t.z, t.y, t.classes, two.forget), 1e-9);
}

TEST(WorstCaseForgetSet, RejectsSizesOutsideTheRows) {
  const Tiny t = tiny(6, 2, 2, 1);
  const auto model = model_of(models::LinearLoss::kSoftmax, 1.0);
  EXPECT_THROW(worst_case_forget_set(model, t.z, t.y, t.classes, 0, 0), InputError);
  EXPECT_THROW(worst_case_forget_set(model, t.z, t.y, t.classes, 6, 0), InputError);
}

}  // namespace
}  // namespace sb::unlearning
