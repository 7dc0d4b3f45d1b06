// Beta Shapley: Kwon & Zou (2022), Beta Shapley: a unified and noise-reduced data valuation framework, AISTATS
#include "benchmarks/selection/semivalue.h"
#include "estimators/selection/permutation_sampler.h"

namespace sb::selection {
namespace {

class BetaShapley : public Valuer {
 public:
  struct Params : PermutationOptions {
    double alpha = 16.0;
    double beta = 1.0;
  };
  explicit BetaShapley(const Params& p) : options_(p) {}
  Eigen::VectorXd values(const ValuationContext& ctx) const override {
    if (const auto s = split()) return unit_sum(ctx, 0, s->units) / static_cast<double>(s->units);
    const int n = static_cast<int>(ctx.data->train.rows());
    const auto importance = permutation_importance(beta_weights(n, options_.alpha, options_.beta));
    return permutation_semivalue(n, refit_marginals(*ctx.utility, options_), importance, options_,
                                 ctx.seed);
  }
  std::optional<Split> split() const override { return permutation_split(options_); }
  Eigen::VectorXd unit_sum(const ValuationContext& ctx, std::uint64_t begin, std::uint64_t end) const override {
    return permutation_unit_sum(ctx.data->train.rows(), refit_marginals(*ctx.utility, options_),
                                permutation_importance(beta_weights(static_cast<int>(ctx.data->train.rows()), options_.alpha, options_.beta)), ctx.seed, begin, end);
  }

 private:
  Params options_;
};

using P = BetaShapley::Params;

}  // namespace

SB_REGISTER_VALUER(BetaShapley, "beta-shapley")
    .tag("task:regression")
    .describe("Beta(alpha, beta) semivalue by permutation sampling: the marginal contribution at "
              "position k is reweighted by n C(n-1, k) w(k); Beta(1, 1) is Shapley")
    .paper("Kwon & Zou (2022), Beta Shapley: a unified and noise-reduced data valuation framework, AISTATS")
    .field(&P::alpha, "alpha", 1e-3, 1e6, "Beta alpha (large: weight on small subsets)")
    .field(&P::beta, "beta", 1e-3, 1e6, "Beta beta")
    .field(static_cast<std::int64_t P::*>(&P::max_permutations), "max_permutations", 1, 100000000,
           "permutations at most")
    .field(static_cast<std::int64_t P::*>(&P::min_permutations), "min_permutations", 1, 100000000,
           "permutations before the convergence check may stop")
    .field(static_cast<std::int64_t P::*>(&P::check_every), "check_every", 1, 1000000, "permutations between checks")
    .field(static_cast<double P::*>(&P::convergence), "convergence", 0.0, 10.0,
           "stop when the mean relative change over check_every permutations is below (0: never)")
    .field(static_cast<double P::*>(&P::truncation), "truncation", 0.0, 1.0,
           "skip the rest of a permutation once |U(D) - U(prefix)| <= truncation |U(D)| (0: never)")
    .field(static_cast<std::int64_t P::*>(&P::permutations_per_part), "permutations_per_part", 1, 100000000,
           "convergence = 0: a split cell of max_permutations permutations in parts of this many")
    .field(static_cast<bool P::*>(&P::warm_start), "warm_start",
           "fit each prefix from the previous prefix's model (same optimum to the tolerance, fewer iterations)")
    .version("4");  // 2: permutation u drawn from (seed, u) alone; convergence = 0 runs as a split cell.
                    // 3: warm-started prefix fits (warm_start)
                    // 4: two-class prefixes fitted by Newton along the permutation (PrefixUtility)

}  // namespace sb::selection
