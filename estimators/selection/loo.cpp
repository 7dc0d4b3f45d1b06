// Leave-one-out: value_i = U(D) - U(D \ {i}); Cook (1977), Technometrics 19(1)
#include "benchmarks/selection/ground_truth.h"
#include "benchmarks/selection/selection.h"

namespace sb::selection {
namespace {

class LeaveOneOut : public Valuer {
 public:
  Eigen::VectorXd values(const ValuationContext& ctx) const override {
    const auto v = loo_values(*ctx.utility);
    return Eigen::Map<const Eigen::VectorXd>(v.data(), static_cast<Eigen::Index>(v.size()));
  }
};

}  // namespace

SB_REGISTER_VALUER(LeaveOneOut, "loo")
    .tag("task:regression")
    .describe("Exact leave-one-out: U(D) - U(D \\ {i}), n + 1 fits")
    .paper("Cook (1977), Detection of influential observation in linear regression, Technometrics 19(1)")
    .version("2");  // 2: each D \ {i} is fitted warm from the fit on D

}  // namespace sb::selection
