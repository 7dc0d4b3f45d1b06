// SalUn's entropy attack: entropies by hand; the RBF SVM against
// scikit-learn's SVC(C=3, gamma="auto", kernel="rbf") (values computed with
// Debian's python3-sklearn, below); the MIA-Efficacy on separable cases by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "benchmarks/unlearning/mia_svc.h"
#include "harness/core/errors.h"

namespace sb::unlearning {
namespace {

double frac(double v) { return v - std::floor(v); }

TEST(EntropyMia, EntropiesByHand) {
  Eigen::MatrixXd p(3, 2);
  p << 0.5, 0.5, 1.0, 0.0, 0.25, 0.75;
  const auto e = prediction_entropies(p);
  EXPECT_NEAR(e[0], std::log(2.0), 1e-15);
  EXPECT_EQ(e[1], 0.0);
  EXPECT_NEAR(e[2], -(0.25 * std::log(0.25) + 0.75 * std::log(0.75)), 1e-15);
}

// members 0.3 + 0.5 frac(0.618034 i), non-members 0.6 + 0.8 frac(0.4142136 i), i < 60.
void shadow(std::vector<double>& x, std::vector<bool>& positive) {
  for (int i = 0; i < 60; ++i) x.push_back(0.3 + 0.5 * frac(i * 0.618034)), positive.push_back(true);
  for (int i = 0; i < 60; ++i) x.push_back(0.6 + 0.8 * frac(i * 0.4142136)), positive.push_back(false);
}

TEST(EntropyMia, RbfSvcMatchesScikitLearn) {
  std::vector<double> x;
  std::vector<bool> positive;
  shadow(x, positive);
  RbfSvc svc(3.0, 1.0);
  svc.fit(x, positive);
  // scikit-learn 1.x: decision_function at 0, 0.2, ..., 2.0; 48 support vectors.
  const double expected[] = {2.73233,   2.659023,  2.077967,  1.03043,   -0.284082, -1.568115,
                             -2.535612, -3.015448, -2.997987, -2.608932, -2.035609};
  for (int k = 0; k <= 10; ++k) EXPECT_NEAR(svc.decision(0.2 * k), expected[k], 5e-3) << k;
  // Its predictions on the grid 0, 0.01, ..., 2 (1: member): members up to 0.75.
  const std::string predicted = std::string(76, '1') + std::string(125, '0');
  for (int k = 0; k <= 200; ++k)
    EXPECT_EQ(svc.decision(0.01 * k) > 0 ? '1' : '0', predicted[static_cast<size_t>(k)]) << k;
  // MIA-Efficacy of forget entropies 0.2 + 1.2 frac(0.7548777 i), i < 30: 0.5.
  std::vector<double> members(x.begin(), x.begin() + 60), nonmembers(x.begin() + 60, x.end()), forget;
  for (int i = 0; i < 30; ++i) forget.push_back(0.2 + 1.2 * frac(i * 0.7548777));
  EXPECT_DOUBLE_EQ(entropy_mia_efficacy(members, nonmembers, forget), 0.5);
}

TEST(EntropyMia, EfficacyOnSeparableEntropies) {
  // Members are confident (entropy near 0), non-members uncertain (near log 2).
  std::vector<double> members, nonmembers;
  for (int i = 0; i < 20; ++i) members.push_back(0.01 * i / 20), nonmembers.push_back(0.69 - 0.01 * i / 20);
  EXPECT_EQ(entropy_mia_efficacy(members, nonmembers, {0.0, 0.005, 0.01}), 0.0);  // all look seen
  EXPECT_EQ(entropy_mia_efficacy(members, nonmembers, {0.69, 0.68}), 1.0);        // all look unseen
  EXPECT_EQ(entropy_mia_efficacy(members, nonmembers, {0.0, 0.69, 0.005, 0.68}), 0.5);
  EXPECT_THROW(entropy_mia_efficacy(members, {}, {0.1}), InputError);
}

}  // namespace
}  // namespace sb::unlearning
