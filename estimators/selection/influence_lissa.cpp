// LiSSA inverse-Hessian products: Agarwal, Bullins & Hazan (2017), Second-order stochastic optimization for machine learning in linear time, JMLR 18
#include <random>

#include "datasets/random.h"
#include "estimators/models/linear.h"
#include "estimators/selection/influence_common.h"
#include "harness/core/errors.h"

namespace sb::selection {

namespace {

class InfluenceLissa : public Valuer {
 public:
  struct Params {
    std::int64_t depth = 5000;
    double scale = 50.0;
    double damping = 0.0;
    std::int64_t batch_size = 0;
  };
  explicit InfluenceLissa(const Params& p) : params_(p) {}

  Eigen::VectorXd values(const ValuationContext& ctx) const override {
    const InfluenceProblem p = influence_problem(ctx);
    const auto& train = ctx.data->train;
    const auto n = train.rows();
    std::mt19937_64 rng(ctx.seed);
    // h_j = g + (I - (H_j + damping I) / scale) h_{j-1}, H_j the Hessian of a
    // minibatch (the whole split when batch_size = 0); H^{-1} g ~ h_J / scale.
    const Eigen::VectorXd& g = p.valid_gradient;
    Eigen::VectorXd h = g;
    std::vector<Eigen::Index> batch(static_cast<size_t>(params_.batch_size));
    for (std::int64_t j = 0; j < params_.depth; ++j) {
      Eigen::VectorXd hv;
      if (params_.batch_size == 0) {
        hv = p.hessian_vector(h);
      } else {
        for (auto& r : batch) r = static_cast<Eigen::Index>(data::uniform_index(rng, static_cast<std::uint64_t>(n)));
        hv = models::softmax_hessian_vector(models::select_rows(train.x, batch), p.model.weight, p.model.bias, p.l2, h);
      }
      h = g + h - (hv + params_.damping * h) / params_.scale;
    }
    if (!h.allFinite()) {
      throw MethodError("influence-lissa: the recursion diverged; scale = {} must exceed the Hessian's largest "
                        "eigenvalue", params_.scale);
    }
    return p.values(h / params_.scale);
  }

 private:
  Params params_;
};

}  // namespace

SB_REGISTER_VALUER(InfluenceLissa, "influence-lissa")
    .describe("Influence functions with H^{-1} g by the LiSSA recursion (Neumann series of I - H / scale "
              "on minibatch Hessian-vector products); scale must exceed H's largest eigenvalue")
    .paper("Agarwal, Bullins & Hazan (2017), Second-order stochastic optimization for machine learning in "
           "linear time, JMLR 18")
    .field(&InfluenceLissa::Params::depth, "depth", 1, 100000000, "recursion steps (Hessian-vector products)")
    .field(&InfluenceLissa::Params::scale, "scale", 1e-6, 1e12, "divides H; larger than its largest eigenvalue")
    .field(&InfluenceLissa::Params::damping, "damping", 0.0, 1e6, "added to H's diagonal")
    .field(&InfluenceLissa::Params::batch_size, "batch_size", 0, 100000000,
           "rows per stochastic Hessian (drawn with replacement); 0: every training row");

}  // namespace sb::selection
