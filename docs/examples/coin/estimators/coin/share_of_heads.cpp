// The maximum-likelihood estimate of p: the share of heads.
#include "benchmarks/coin/coin.h"

namespace sb::coin {
namespace {

class ShareOfHeads : public CoinMethod {
 public:
  double estimate(const Flips& flips) const override {
    double heads = 0;
    for (int h : flips.heads) heads += h;
    return heads / static_cast<double>(flips.heads.size());
  }
};
SB_REGISTER_COIN_METHOD(ShareOfHeads, "share-of-heads").describe("heads / n (maximum likelihood)");

}  // namespace
}  // namespace sb::coin
