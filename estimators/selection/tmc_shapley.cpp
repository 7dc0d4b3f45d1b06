// TMC Data Shapley: Ghorbani & Zou (2019), Data Shapley: equitable valuation of data for machine learning, ICML
#include "benchmarks/selection/semivalue.h"
#include "estimators/selection/permutation_sampler.h"

namespace sb::selection {
namespace {

class TmcShapley : public Valuer {
 public:
  using Params = PermutationOptions;
  explicit TmcShapley(const Params& p) : options_(p) {}
  Eigen::VectorXd values(const ValuationContext& ctx) const override {
    const int n = static_cast<int>(ctx.data->train.rows());
    return permutation_semivalue(n, refit_marginals(*ctx.utility, options_.truncation),
                                 permutation_importance(shapley_weights(n)), options_, ctx.seed);
  }

 private:
  PermutationOptions options_;
};

}  // namespace

SB_REGISTER_VALUER(TmcShapley, "tmc-shapley")
    .describe("Truncated Monte Carlo Shapley: permutations until the estimate stops moving; "
              "the rest of a permutation is skipped once U(prefix) is within the truncation of U(D)")
    .paper("Ghorbani & Zou (2019), Data Shapley: equitable valuation of data for machine learning, ICML")
    .field(&PermutationOptions::max_permutations, "max_permutations", 1, 100000000, "permutations at most")
    .field(&PermutationOptions::min_permutations, "min_permutations", 1, 100000000,
           "permutations before the convergence check may stop")
    .field(&PermutationOptions::check_every, "check_every", 1, 1000000, "permutations between checks")
    .field(&PermutationOptions::convergence, "convergence", 0.0, 10.0,
           "stop when the mean relative change of the values over check_every permutations is below (0: never)")
    .field(&PermutationOptions::truncation, "truncation", 0.0, 1.0,
           "skip the rest of a permutation once |U(D) - U(prefix)| <= truncation |U(D)| (0: never)");

}  // namespace sb::selection
