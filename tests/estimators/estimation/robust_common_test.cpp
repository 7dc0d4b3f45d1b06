#include "estimators/estimation/robust_common.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "harness/core/errors.h"

namespace sb::estimation::robust {
namespace {

TEST(RobustCommon, TrimmedMeanByHand) {
  // {1,2,3,4,100}, trim 0.2: drop one value each end -> mean(2,3,4) = 3.
  // Winsorised {2,2,3,4,4}: s_w^2 = 1; SE^2 = (n-1) s_w^2 / (h(h-1)) = 4/6.
  const auto tm = trimmed_mean({1, 2, 3, 4, 100}, 0.2);
  EXPECT_DOUBLE_EQ(tm.value, 3);
  EXPECT_NEAR(tm.std_error, std::sqrt(2.0 / 3), 1e-14);
  const double t2 = 4.302652729911275;  // qt(0.975, 2)
  EXPECT_NEAR(tm.ci_low, 3 - t2 * std::sqrt(2.0 / 3), 1e-9);
  EXPECT_NEAR(tm.ci_high, 3 + t2 * std::sqrt(2.0 / 3), 1e-9);
  // trim 0 is the sample mean with the usual t interval.
  EXPECT_DOUBLE_EQ(trimmed_mean({1, 2, 3, 4, 100}, 0).value, 22);
}

TEST(RobustCommon, BlockAssignmentIsBalancedAndSeeded) {
  const auto a = block_assignment(10, 3, 42);
  EXPECT_EQ(a, block_assignment(10, 3, 42));
  EXPECT_NE(a, block_assignment(10, 3, 43));
  std::vector<int> sizes(3);
  for (int b : a) sizes.at(static_cast<std::size_t>(b))++;
  EXPECT_EQ(sizes, (std::vector<int>{4, 3, 3}));
  EXPECT_THROW(block_assignment(3, 4, 1), MethodError);
}

}  // namespace
}  // namespace sb::estimation::robust
