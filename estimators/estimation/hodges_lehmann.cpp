// Paper: Hodges & Lehmann (1963), Estimates of location based on rank tests, Ann. Math. Statist. 34(2)
#include <string>
#include <vector>

#include "benchmarks/estimation/estimation.h"
#include "estimators/estimation/quantiles.h"
#include "estimators/estimation/robust_common.h"

namespace sb::estimation {
namespace {

// The coordinate-wise Hodges-Lehmann estimator: the median of the pairwise
// averages (x_i + x_j) / 2 over the pairs `pairs` names, in the notation of
// Park, Kim & Wang (2022) and their R package rQCC:
//   distinct   i < j            (HL1, n(n-1)/2 averages)
//   with_self  i <= j           (HL2, the n(n+1)/2 Walsh averages)
//   all        every (i, j)     (HL3, n^2 averages: each i < j twice)
// The averages are formed in full (O(n^2) memory), so n is capped. No CI.
class HodgesLehmann : public Estimator {
 public:
  struct Params {
    std::string pairs = "with_self";
  };
  explicit HodgesLehmann(const Params& p) : pairs_(p.pairs) {}

  Estimate estimate(const Data& data, std::uint64_t) const override {
    const Eigen::Index n = data.x.rows();
    SB_THROW_IF_NOT(MethodError, n >= 1 && data.x.cols() >= 1 && (n >= 2 || pairs_ != "distinct"),
                    "Hodges-Lehmann ({}) needs n >= {} and d >= 1 (n={}, d={})", pairs_,
                    pairs_ == "distinct" ? 2 : 1, n, data.x.cols());
    SB_THROW_IF_NOT(MethodError, n <= kMaxRows, "Hodges-Lehmann forms all n^2/2 pairwise averages: n={} > {}", n,
                    kMaxRows);
    Estimate est;
    est.value.resize(data.x.cols());
    for (Eigen::Index c = 0; c < data.x.cols(); ++c) {
      std::vector<double> averages;
      averages.reserve(static_cast<std::size_t>(pairs_ == "all" ? n * n : n * (n + 1) / 2));
      for (Eigen::Index i = 0; i < n; ++i) {
        if (pairs_ != "distinct") averages.push_back(data.x(i, c));
        for (Eigen::Index j = i + 1; j < n; ++j) {
          const double a = 0.5 * (data.x(i, c) + data.x(j, c));
          averages.push_back(a);
          if (pairs_ == "all") averages.push_back(a);
        }
      }
      est.value(c) = robust::median(std::move(averages));
    }
    return est;
  }

 private:
  static constexpr Eigen::Index kMaxRows = 5000;  // 12.5 million averages, 100 MB
  std::string pairs_;
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_ESTIMATOR(sb::estimation::HodgesLehmann, "hodges-lehmann")
    .describe("Coordinate-wise Hodges-Lehmann estimator: median of pairwise averages (n <= 5000); no CI")
    .paper("Hodges & Lehmann (1963), Estimates of location based on rank tests, Ann. Math. Statist. 34(2)")
    .tag("task:location")
    .field(&sb::estimation::HodgesLehmann::Params::pairs, "pairs", {"distinct", "with_self", "all"},
           "pairs averaged: i < j (HL1), i <= j (HL2, the Walsh averages), every (i, j) (HL3)");
