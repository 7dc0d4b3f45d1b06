// Random values: the baseline of OpenDataVal (Jiang et al. 2023, NeurIPS Datasets and Benchmarks)
#include <random>

#include "benchmarks/selection/selection.h"
#include "datasets/random.h"

namespace sb::selection {
namespace {

class RandomValues : public Valuer {
 public:
  Eigen::VectorXd values(const ValuationContext& ctx) const override {
    std::mt19937_64 rng(ctx.seed);
    Eigen::VectorXd v(ctx.data->train.rows());
    for (Eigen::Index i = 0; i < v.size(); ++i) v(i) = data::uniform01(rng);
    return v;
  }
};

}  // namespace

SB_REGISTER_VALUER(RandomValues, "random")
    .tag("task:regression")
    .describe("i.i.d. U(0, 1) values: what every method must beat")
    .paper("Jiang et al. (2023), OpenDataVal: a unified benchmark for data valuation, NeurIPS D&B");

}  // namespace sb::selection
