#include "estimators/estimation/conformal_common.h"

#include <gtest/gtest.h>

#include <set>

#include "harness/core/errors.h"

namespace sb::estimation::robust {
namespace {

TEST(ConformalCommon, ConformalRankFormula) {
  EXPECT_EQ(conformal_rank(99, 0.1), 90u);  // (99+1)*0.9 = 90 exactly
  EXPECT_EQ(conformal_rank(10, 0.1), 10u);  // ceil(9.9)
  EXPECT_EQ(conformal_rank(8, 0.1), 9u);    // > n: infinite interval
  EXPECT_EQ(conformal_rank(19, 0.05), 19u);
  EXPECT_DOUBLE_EQ(conformal_quantile({5, 1, 4, 2, 3, 9, 8, 7, 6, 10}, 0.1), 10);
  EXPECT_DOUBLE_EQ(conformal_quantile({5, 1, 4, 2, 3, 9, 8, 7, 6, 10}, 0.2), 9);  // ceil(8.8)
  EXPECT_THROW(conformal_quantile({1, 2, 3}, 0.1), MethodError);
}

TEST(ConformalCommon, SplitRowsPartitionsAllRows) {
  const auto s = split_rows(11, 0.5, 1, 7);
  EXPECT_EQ(s.fit.size(), 5u);
  EXPECT_EQ(s.calibration.size(), 6u);
  std::set<Eigen::Index> all(s.fit.begin(), s.fit.end());
  all.insert(s.calibration.begin(), s.calibration.end());
  EXPECT_EQ(all.size(), 11u);
  EXPECT_THROW(split_rows(4, 0.5, 2, 7), MethodError);
}

}  // namespace
}  // namespace sb::estimation::robust
