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
    if (const auto s = split()) return unit_sum(ctx, 0, s->units) / static_cast<double>(s->units);
    const int n = static_cast<int>(ctx.data->train.rows());
    return permutation_semivalue(n, refit_marginals(*ctx.utility, options_),
                                 permutation_importance(shapley_weights(n)), options_, ctx.seed);
  }
  std::optional<Split> split() const override { return permutation_split(options_); }
  Eigen::VectorXd unit_sum(const ValuationContext& ctx, std::uint64_t begin, std::uint64_t end) const override {
    return permutation_unit_sum(ctx.data->train.rows(), refit_marginals(*ctx.utility, options_),
                                permutation_importance(shapley_weights(static_cast<int>(ctx.data->train.rows()))), ctx.seed, begin, end);
  }

 private:
  PermutationOptions options_;
};

}  // namespace

SB_REGISTER_VALUER(TmcShapley, "tmc-shapley")
    .tag("task:regression")
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
           "skip the rest of a permutation once |U(D) - U(prefix)| <= truncation |U(D)| (0: never)")
    .field(&PermutationOptions::permutations_per_part, "permutations_per_part", 1, 100000000,
           "convergence = 0: a split cell of max_permutations permutations in parts of this many")
    .field(&PermutationOptions::warm_start, "warm_start",
           "fit each prefix from the previous prefix's model (same optimum to the tolerance, fewer iterations)")
    .version("4");  // 2: permutation u drawn from (seed, u) alone; convergence = 0 runs as a split cell.
                    // 3: warm-started prefix fits (warm_start)
                    // 4: two-class prefixes fitted by Newton along the permutation (PrefixUtility)

}  // namespace sb::selection
