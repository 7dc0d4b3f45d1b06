// Paper: Lugosi & Mendelson (2019), Mean estimation and regression under heavy-tailed distributions: a survey, Found. Comput. Math. 19(5)
#include <algorithm>

#include "benchmarks/estimation/estimation.h"
#include "estimators/estimation/quantiles.h"
#include "estimators/estimation/robust_common.h"

namespace sb::estimation {
namespace {

// Coordinate-wise median of block means. Samples are put in k = min(blocks, n)
// blocks by a seeded permutation (robust::block_assignment). No CI: the
// median-of-means deviation bound is a non-asymptotic inequality with loose
// constants, not an interval with a nominal 95% coverage.
class MedianOfMeans : public Estimator {
 public:
  struct Params { std::int64_t blocks = 10; };
  explicit MedianOfMeans(const Params& p) : blocks_(p.blocks) {}

  Estimate estimate(const Data& data, std::uint64_t seed) const override {
    const auto n = static_cast<std::size_t>(data.x.rows());
    SB_THROW_IF_NOT(MethodError, n >= 1 && data.x.cols() >= 1,
                    "median of means needs n >= 1 and d >= 1 (n={}, d={})", n, data.x.cols());
    const std::size_t k = std::min(static_cast<std::size_t>(blocks_), n);
    const auto block = robust::block_assignment(n, k, seed);
    Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(k), data.x.cols());
    Eigen::VectorXd counts = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(k));
    for (std::size_t i = 0; i < n; ++i) {
      sums.row(block[i]) += data.x.row(static_cast<Eigen::Index>(i));
      counts(block[i]) += 1;
    }
    Estimate est;
    est.value.resize(data.x.cols());
    for (Eigen::Index j = 0; j < data.x.cols(); ++j) {
      std::vector<double> means(k);
      for (std::size_t b = 0; b < k; ++b) {
        means[b] = sums(static_cast<Eigen::Index>(b), j) / counts(static_cast<Eigen::Index>(b));
      }
      est.value(j) = robust::median(std::move(means));
    }
    return est;
  }

 private:
  std::int64_t blocks_;
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_ESTIMATOR(sb::estimation::MedianOfMeans, "median-of-means")
    .describe("Coordinate-wise median of the means of k seeded random blocks; no CI")
    .paper("Lugosi & Mendelson (2019), Mean estimation and regression under heavy-tailed distributions, FoCM 19(5)")
    .tag("task:location")
    .field(&sb::estimation::MedianOfMeans::Params::blocks, "blocks", 1, 1000000, "number of blocks k (capped at n)");
