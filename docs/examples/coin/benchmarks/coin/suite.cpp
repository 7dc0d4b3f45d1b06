// The `coin` suite: its dataset, its metric and the protocol of one cell.
#include <chrono>
#include <cmath>
#include <random>

#include "benchmarks/coin/coin.h"
#include "harness/core/errors.h"
#include "harness/core/suite.h"

namespace sb::coin {
namespace {

class Bernoulli : public CoinDataset {
 public:
  struct Params {
    double p = 0.5;
    std::int64_t n = 100;
  };
  explicit Bernoulli(const Params& params) : p_(params.p), n_(params.n) {}
  Flips draw(std::uint64_t seed) const override {
    std::mt19937_64 rng(seed);
    std::bernoulli_distribution flip(p_);
    Flips out;
    out.p = p_;
    for (std::int64_t i = 0; i < n_; ++i) out.heads.push_back(flip(rng) ? 1 : 0);
    return out;
  }

 private:
  double p_;
  std::int64_t n_;
};
SB_REGISTER_COIN_DATASET(Bernoulli, "bernoulli")
    .describe("n independent flips with probability p of heads")
    .field(&Bernoulli::Params::p, "p", 0.0, 1.0, "probability of heads")
    .field(&Bernoulli::Params::n, "n", 1, 10000000, "number of flips");

class CoinSuite : public Suite {
 public:
  std::vector<ComponentInfo> datasets() const override {
    return Registry<CoinDataset>::instance().infos();
  }
  std::vector<ComponentInfo> methods() const override {
    return Registry<CoinMethod>::instance().infos();
  }
  std::vector<MetricInfo> metrics() const override {
    return {{"abs_err", false, "|estimate - p|"}};
  }
  // The suite grades; a method only estimates.
  CellOutput run(const CellSpec& cell, CellCache&) const override {
    const auto* dataset = Registry<CoinDataset>::instance().find(cell.dataset);
    const auto* method = Registry<CoinMethod>::instance().find(cell.method);
    if (!dataset || !method) throw InternalError("coin: unknown component in cell");
    const Flips flips = dataset->make(cell.dataset_params)->draw(derive_seed(cell.seed, "data"));
    const auto start = std::chrono::steady_clock::now();
    const double estimate = method->make(cell.method_params)->estimate(flips);
    CellOutput out;
    out.method_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    out.metrics.emplace_back("abs_err", std::abs(estimate - flips.p));
    return out;
  }
};
SB_REGISTER_SUITE(CoinSuite, "coin").describe("Example: a coin's probability of heads from n flips");

}  // namespace
}  // namespace sb::coin
