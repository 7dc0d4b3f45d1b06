// The unlearning metrics on hand-computed cases; the KS p-value against
// scipy.stats.ks_2samp(method="exact") and the Kolmogorov distribution
// against scipy.stats.kstwobign (values computed with scipy 1.10).
#include <gtest/gtest.h>

#include <cmath>

#include "benchmarks/unlearning/metrics.h"

namespace sb::unlearning {
namespace {

TEST(UnlearningMetrics, AccuracyByHandWithTiesToTheLowerClass) {
  Eigen::MatrixXd p(4, 3);
  p << 0.2, 0.5, 0.3,  //
      0.4, 0.4, 0.2,   // tie: class 0
      0.1, 0.1, 0.8,   //
      0.6, 0.3, 0.1;
  Eigen::VectorXi y(4);
  y << 1, 1, 2, 2;
  EXPECT_DOUBLE_EQ(accuracy(p, y), 0.5);
  EXPECT_TRUE(std::isnan(accuracy(Eigen::MatrixXd(0, 3), Eigen::VectorXi(0))));
}

TEST(UnlearningMetrics, MembershipAurocCountsLowerLossesAndHalfTies) {
  // forget {0.1, 0.5}, heldout {0.2, 0.5, 0.9}: 0.1 beats 3; 0.5 beats 1 (0.9), ties 1 -> 4.5 / 6.
  EXPECT_DOUBLE_EQ(membership_auroc({0.1, 0.5}, {0.2, 0.5, 0.9}), 4.5 / 6);
  EXPECT_DOUBLE_EQ(membership_auroc({0.1}, {0.2, 0.3}), 1.0);
  EXPECT_DOUBLE_EQ(membership_auroc({0.9}, {0.2, 0.3}), 0.0);
}

TEST(UnlearningMetrics, PrivLeakIsTheRelativeAucDifferenceInPercent) {
  // Unlearned AUC 0.6 against a retrained 0.5: (0.6 - 0.5) / 0.5 * 100 = 20.
  EXPECT_NEAR(privleak(0.6, 0.5), 20.0, 1e-7);
  EXPECT_NEAR(privleak(0.3, 0.4), -25.0, 1e-7);  // over-unlearning: below the oracle
  EXPECT_DOUBLE_EQ(privleak(0.55, 0.55), 0.0);
  // From losses: forget {0.1, 0.5} vs heldout {0.2, 0.5, 0.9} gives 4.5/6 = 0.75 (above);
  // forget {0.5, 0.9} gives (1 + 0.5 + 0.5) / 6 = 1/3: privleak (0.75 - 1/3) / (1/3) * 100 = 125.
  const double unlearned = membership_auroc({0.1, 0.5}, {0.2, 0.5, 0.9});
  const double retrained = membership_auroc({0.5, 0.9}, {0.2, 0.5, 0.9});
  EXPECT_DOUBLE_EQ(retrained, 2.0 / 6);
  EXPECT_NEAR(privleak(unlearned, retrained), 125.0, 1e-6);
}

TEST(UnlearningMetrics, KlByHandForProbabilitiesAndGaussians) {
  Eigen::MatrixXd p(2, 2), q(2, 2);
  p << 0.5, 0.5, 1.0, 0.0;
  q << 0.25, 0.75, 0.5, 0.5;
  const double row0 = 0.5 * std::log(2.0) + 0.5 * std::log(0.5 / 0.75), row1 = std::log(2.0);
  EXPECT_NEAR(mean_kl(p, q, false), (row0 + row1) / 2, 1e-15);
  EXPECT_DOUBLE_EQ(mean_kl(p, p, false), 0.0);
  EXPECT_TRUE(std::isinf(mean_kl(q, p, false)));  // q puts mass where p has none
  Eigen::MatrixXd a(1, 2), b(1, 2);
  a << 1, 2;
  b << 0, 0;
  EXPECT_DOUBLE_EQ(mean_kl(a, b, true), 2.5);
  EXPECT_DOUBLE_EQ(relative_l2(a, b * 0 + a * 2), 0.5);
}

TEST(UnlearningMetrics, KsStatisticAndExactPValueMatchScipy) {
  const std::vector<double> a = {0.1, 0.5, 0.9, 1.3, 2.2}, b = {0.3, 0.35, 1.0, 1.1, 1.2, 3.0, 4.0};
  EXPECT_NEAR(ks_statistic(a, b), 0.3142857142857143, 1e-15);
  EXPECT_NEAR(ks_pvalue(a, b), 0.8383838383838382, 1e-12);
  EXPECT_NEAR(ks_pvalue({1, 2, 3, 4, 5, 6}, {7, 8, 9, 10}), 0.009523809523809525, 1e-14);  // 2 / C(10, 4)
  const std::vector<double> c = {0.12573, -0.132105, 0.640423, 0.1049, -0.535669, 0.361595, 1.304, 0.947081,
                                 -0.703735, -1.265421, -0.623274, 0.041326, -2.325031, -0.218792, -1.245911,
                                 -0.732267, -0.544259, -0.3163, 0.411631, 1.042513, -0.128535, 1.366463, -0.665195,
                                 0.35151, 0.90347, 0.094012, -0.743499, -0.921725, -0.457726, 0.220195};
  const std::vector<double> d = {-0.509618, 0.290824, 0.340775, 1.040846, 0.714659, 0.855373, -0.153829, 0.370386,
                                 1.283975, 1.993431, -0.759066, 2.013924, 1.845875, 1.281311, 0.764456, 0.186077,
                                 1.958021, 2.460258, 2.301635, 1.815104, 0.85738, -0.708319, 0.495546, 1.156475,
                                 -0.788361, 0.895122, 0.929864, 1.196043, -0.684118, -0.161703, 0.063565,
                                 -0.669802, 2.239368, 0.004089, 0.82897, 0.241427, 2.083473, 1.820361, 1.133353,
                                 -1.70351};
  EXPECT_NEAR(ks_statistic(c, d), 0.4083333333333333, 1e-15);
  EXPECT_NEAR(ks_pvalue(c, d), 0.004728961491669425, 1e-12);
  EXPECT_DOUBLE_EQ(ks_pvalue(a, a), 1.0);
}

TEST(UnlearningMetrics, KolmogorovSurvivalMatchesScipy) {
  EXPECT_NEAR(kolmogorov_survival(1.0), 0.26999967167735456, 1e-12);
  EXPECT_NEAR(kolmogorov_survival(1.36), 0.049485876755377876, 1e-12);
  EXPECT_NEAR(kolmogorov_survival(0.5), 0.9639452436648751, 1e-12);
}

}  // namespace
}  // namespace sb::unlearning
