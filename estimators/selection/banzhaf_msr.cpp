// Data Banzhaf (maximum sample reuse): Wang & Jia (2023), Data Banzhaf: a robust data valuation framework for machine learning, AISTATS
#include <random>

#include "benchmarks/selection/selection.h"
#include "datasets/random.h"

namespace sb::selection {
namespace {

class BanzhafMsr : public Valuer {
 public:
  struct Params {
    std::int64_t subsets = 1000;
  };
  explicit BanzhafMsr(const Params& p) : subsets_(p.subsets) {}
  Eigen::VectorXd values(const ValuationContext& ctx) const override {
    const auto n = ctx.data->train.rows();
    std::mt19937_64 rng(ctx.seed);
    // Every sampled subset (each row in with probability 1/2) serves every
    // row: in the "with i" mean when it holds i, else in the "without" mean.
    Eigen::VectorXd with_sum = Eigen::VectorXd::Zero(n), without_sum = Eigen::VectorXd::Zero(n);
    Eigen::VectorXd with_count = Eigen::VectorXd::Zero(n), without_count = Eigen::VectorXd::Zero(n);
    std::vector<char> mask(static_cast<size_t>(n));
    for (std::int64_t s = 0; s < subsets_; ++s) {
      for (auto& m : mask) m = static_cast<char>(rng() >> 63);
      const double u = ctx.utility->of_mask(mask);
      for (Eigen::Index i = 0; i < n; ++i) {
        if (mask[static_cast<size_t>(i)]) with_sum(i) += u, with_count(i) += 1;
        else without_sum(i) += u, without_count(i) += 1;
      }
    }
    // A row never (or always) sampled has no estimate of one side: 0 there.
    const Eigen::VectorXd with_mean = with_sum.array() / with_count.array().max(1.0);
    const Eigen::VectorXd without_mean = without_sum.array() / without_count.array().max(1.0);
    return with_mean - without_mean;
  }

 private:
  std::int64_t subsets_;
};

}  // namespace

SB_REGISTER_VALUER(BanzhafMsr, "banzhaf-msr")
    .tag("task:regression")
    .describe("Banzhaf values by maximum sample reuse: one fit per random subset (each row in with "
              "probability 1/2); value_i = mean U(S ∋ i) - mean U(S ∌ i)")
    .paper("Wang & Jia (2023), Data Banzhaf: a robust data valuation framework for machine learning, AISTATS")
    .field(&BanzhafMsr::Params::subsets, "subsets", 1, 100000000, "sampled subsets (model fits)");

}  // namespace sb::selection
