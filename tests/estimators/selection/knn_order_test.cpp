// order_by_key (KNN-Shapley's radix ordering) against std::stable_sort of
// the indices by key: ties by index, negatives, -0.0 equal to 0.0.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "estimators/selection/knn_shapley.h"

namespace sb::selection {
namespace {

std::vector<std::uint32_t> reference_order(const std::vector<double>& key) {
  std::vector<std::uint32_t> order(key.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return key[a] < key[b]; });
  return order;
}

TEST(KnnOrder, RadixOrderEqualsAStableSortByKey) {
  std::mt19937_64 rng(3);
  std::uniform_int_distribution<int> small(-20, 20);
  std::normal_distribution<double> z;
  for (int round = 0; round < 4; ++round) {
    std::vector<double> key(5000);
    for (size_t i = 0; i < key.size(); ++i) {
      // Many exact ties (small integers), wide magnitudes, signed zeros.
      key[i] = round == 0 ? small(rng) : round == 1 ? z(rng) * std::pow(10.0, small(rng)) : round == 2 ? 7.0 : z(rng);
    }
    key[10] = -0.0;
    key[11] = 0.0;
    key[12] = -0.0;
    std::vector<std::uint32_t> order;
    std::vector<std::uint64_t> scratch;
    order_by_key(key.data(), static_cast<std::int64_t>(key.size()), order, scratch);
    EXPECT_EQ(order, reference_order(key)) << "round " << round;
  }
  std::vector<std::uint32_t> order;
  std::vector<std::uint64_t> scratch;
  order_by_key(nullptr, 0, order, scratch);
  EXPECT_TRUE(order.empty());
}

}  // namespace
}  // namespace sb::selection
