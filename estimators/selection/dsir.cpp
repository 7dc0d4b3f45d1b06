// DSIR: Xie, Santurkar, Ma & Liang (2023), Data selection for language models via importance resampling, NeurIPS
#include "estimators/selection/dsir.h"

#include <cmath>
#include <random>

#include "benchmarks/selection/selection.h"
#include "datasets/random.h"

namespace sb::selection {

Eigen::VectorXd dsir_log_weights(const Eigen::MatrixXd& raw, const Eigen::MatrixXd& target,
                                 const HashedFeatureOptions& options) {
  const Eigen::MatrixXd raw_counts = hashed_counts(raw, options);
  const Eigen::VectorXd log_ratio = smoothed_distribution(hashed_counts(target, options)).array().log() -
                                    smoothed_distribution(raw_counts).array().log();
  return raw_counts * log_ratio;
}

namespace {

class Dsir : public Valuer {
 public:
  struct Params {
    std::int64_t buckets = 1024;
    std::int64_t bins = 8;
    bool bigrams = true;
    bool resample = true;
  };
  explicit Dsir(const Params& p) : p_(p) {}

  // The training split is the raw pool, the validation split the target
  // sample (labels unused). value = log importance weight, plus a Gumbel(0, 1)
  // draw when resampling, so that the top k values are DSIR's Gumbel-top-k
  // sample of k rows without replacement with probabilities proportional to w.
  Eigen::VectorXd values(const ValuationContext& ctx) const override {
    HashedFeatureOptions o;
    o.buckets = static_cast<int>(p_.buckets), o.bins = static_cast<int>(p_.bins), o.bigrams = p_.bigrams;
    Eigen::VectorXd v = dsir_log_weights(ctx.data->train.x, ctx.data->valid.x, o);
    if (p_.resample) {
      std::mt19937_64 rng(ctx.seed);
      for (Eigen::Index i = 0; i < v.size(); ++i) {
        double u = data::uniform01(rng);
        while (u <= 0) u = data::uniform01(rng);
        v(i) += -std::log(-std::log(u));
      }
    }
    return v;
  }

 private:
  Params p_;
};

}  // namespace

SB_REGISTER_VALUER(Dsir, "dsir")
    .describe("Importance weight log p_target(z) - log p_raw(z) of each training row under add-one smoothed "
              "multinomials of hashed quantised features (target: the validation split); with resample, plus a "
              "Gumbel draw (top k = importance resampling); no model fit")
    .paper("Xie, Santurkar, Ma & Liang (2023), Data selection for language models via importance resampling, NeurIPS")
    .field(&Dsir::Params::buckets, "buckets", 1, 1000000, "hash buckets")
    .field(&Dsir::Params::bins, "bins", 1, 1000, "equal-width bins of a standardised feature over [-3, 3]")
    .field(&Dsir::Params::bigrams, "bigrams", "also hash pairs of adjacent columns (DSIR's bigrams)")
    .field(&Dsir::Params::resample, "resample", "add Gumbel(0, 1) noise: the top k is a Gumbel-top-k resample");

}  // namespace sb::selection
