// The `coin` suite (an example, docs/ADDING-A-SUITE.md): estimate a coin's
// probability of heads from n flips. Its typed parts: the data a dataset
// draws, the interface of a method, and one registry per kind.
#pragma once

#include <cstdint>
#include <vector>

#include "harness/core/registry.h"

namespace sb::coin {

struct Flips {
  double p = 0;            // the truth
  std::vector<int> heads;  // 1 = heads, 0 = tails
};

class CoinDataset {
 public:
  virtual ~CoinDataset() = default;
  // Deterministic: the same seed gives the same flips on every rank.
  virtual Flips draw(std::uint64_t seed) const = 0;
};

class CoinMethod {
 public:
  virtual ~CoinMethod() = default;
  virtual double estimate(const Flips& flips) const = 0;
};

}  // namespace sb::coin

#define SB_REGISTER_COIN_DATASET(Type, name) \
  SB_REGISTER_COMPONENT(::sb::coin::CoinDataset, Type, "coin", "dataset", name)
#define SB_REGISTER_COIN_METHOD(Type, name) \
  SB_REGISTER_COMPONENT(::sb::coin::CoinMethod, Type, "coin", "method", name)
