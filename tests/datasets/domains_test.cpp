// datasets/domains.h: held-out classes, targeted splits, out-of-domain rows.
#include <gtest/gtest.h>

#include <set>

#include <fmt/format.h>

#include "datasets/domains.h"
#include "harness/core/errors.h"

namespace sb::data {
namespace {

// n rows of c classes: row r has label r % c and features (r, -r).
Table labelled(Eigen::Index n, int c) {
  Table t;
  t.num_classes = c;
  for (int k = 0; k < c; ++k) t.class_names.push_back(fmt::format("c{}", k));
  t.x.resize(n, 2);
  t.y.resize(n);
  for (Eigen::Index r = 0; r < n; ++r) t.x(r, 0) = static_cast<double>(r), t.x(r, 1) = -static_cast<double>(r), t.y(r) = static_cast<int>(r % c);
  return t;
}

TEST(Domains, HoldOutClassesRenumbersTheRest) {
  const Table t = labelled(40, 5);
  const auto p = hold_out_classes(t, {1, 3});
  EXPECT_EQ(p.in_domain.num_classes, 3);
  EXPECT_EQ(p.in_domain.class_names, (std::vector<std::string>{"c0", "c2", "c4"}));
  EXPECT_EQ(p.new_label, (std::vector<int>{0, -1, 1, -1, 2}));
  EXPECT_EQ(p.in_domain.rows(), 24);
  EXPECT_EQ(p.out_of_domain.rows(), 16);
  for (Eigen::Index i = 0; i < p.in_domain.rows(); ++i) {
    const int original = static_cast<int>(p.in_domain.x(i, 0)) % 5;  // row r had label r % 5
    EXPECT_EQ(p.in_domain.y(i), original / 2) << i;                  // 0 -> 0, 2 -> 1, 4 -> 2
  }
  for (Eigen::Index i = 0; i < p.out_of_domain.rows(); ++i) {
    const int label = p.out_of_domain.y(i);
    EXPECT_TRUE(label == 1 || label == 3);
    EXPECT_EQ(static_cast<int>(p.out_of_domain.x(i, 0)) % 5, label);
  }
  EXPECT_THROW(hold_out_classes(t, {5}), InputError);
  EXPECT_THROW(hold_out_classes(t, {0, 1, 2, 3}), InputError);  // one class left
}

TEST(Domains, SplitByDomainTakesValidationAndTestFromTheTarget) {
  const Table t = labelled(300, 3);
  std::vector<char> in_target(300);
  for (Eigen::Index r = 0; r < 300; ++r) in_target[static_cast<size_t>(r)] = t.y(r) == 0;  // 100 target rows
  const auto d = split_by_domain(t, in_target, 15, 45, 40, 45, 7);
  ASSERT_EQ(d.splits.train.rows(), 60);
  EXPECT_EQ(std::count(d.train_in_target.begin(), d.train_in_target.end(), 1), 15);
  for (Eigen::Index i = 0; i < 60; ++i) EXPECT_EQ(d.train_in_target[static_cast<size_t>(i)] != 0, d.splits.train.y(i) == 0);
  EXPECT_EQ(d.splits.valid.rows(), 40);
  EXPECT_EQ(d.splits.test.rows(), 45);
  EXPECT_EQ(d.splits.valid.y, Eigen::VectorXi::Zero(40));
  EXPECT_EQ(d.splits.test.y, Eigen::VectorXi::Zero(45));
  std::set<double> seen;  // rows are distinct: feature 0 is the row number
  for (const Table* s : {&d.splits.train, &d.splits.valid, &d.splits.test})
    for (Eigen::Index i = 0; i < s->rows(); ++i) EXPECT_TRUE(seen.insert(s->x(i, 0)).second);
  // Target and source rows are interleaved (the training order is permuted).
  EXPECT_FALSE(std::is_sorted(d.train_in_target.begin(), d.train_in_target.end()) &&
               std::is_sorted(d.train_in_target.rbegin(), d.train_in_target.rend()));
  const auto again = split_by_domain(t, in_target, 15, 45, 40, 45, 7);
  EXPECT_EQ(again.splits.train.x, d.splits.train.x);
  EXPECT_EQ(again.train_in_target, d.train_in_target);
  EXPECT_THROW(split_by_domain(t, in_target, 20, 45, 40, 45, 7), InputError);  // 105 target rows > 100
  EXPECT_THROW(split_by_domain(t, in_target, 15, 201, 40, 45, 7), InputError);  // 201 source rows > 200
}

TEST(Domains, OutOfDomainRowsReplaceTheMarkedFeaturesAndKeepTheLabels) {
  Table t = labelled(50, 2);
  const Table before = t;
  Table pool = labelled(30, 2);
  pool.x.array() += 1000.0;  // recognisable
  std::mt19937_64 rng(3);
  const auto mask = replace_with_out_of_domain(t, pool, 0.2, rng);
  EXPECT_EQ(std::count(mask.begin(), mask.end(), 1), 10);
  std::set<double> used;
  for (Eigen::Index i = 0; i < t.rows(); ++i) {
    EXPECT_EQ(t.y(i), before.y(i));
    if (mask[static_cast<size_t>(i)]) {
      EXPECT_GE(t.x(i, 0), 1000.0);
      EXPECT_DOUBLE_EQ(t.x(i, 1), -(t.x(i, 0) - 1000.0) + 1000.0);  // a pool row's own features
      EXPECT_TRUE(used.insert(t.x(i, 0)).second);                    // without replacement
    } else {
      EXPECT_EQ(t.x.row(i), before.x.row(i));
    }
  }
  Table small = labelled(50, 2);
  EXPECT_THROW(replace_with_out_of_domain(small, labelled(4, 2), 0.2, rng), InputError);
  EXPECT_THROW(replace_with_out_of_domain(small, pool, 0.6, rng), InputError);
}

TEST(Domains, StandardizeAppliesTheTrainingStatisticsToExtraTables) {
  Splits s;
  s.train = labelled(10, 2);
  s.valid = labelled(4, 2);
  s.test = labelled(4, 2);
  Table extra = labelled(3, 2);
  extra.x.array() += 5.0;
  const double mean0 = s.train.x.col(0).mean();
  const double sd0 = std::sqrt((s.train.x.col(0).array() - mean0).square().mean());
  standardize(s, {&extra});
  EXPECT_NEAR(extra.x(2, 0), (7.0 - mean0) / sd0, 1e-12);
  EXPECT_NEAR(s.valid.x(2, 0), (2.0 - mean0) / sd0, 1e-12);
}

}  // namespace
}  // namespace sb::data
