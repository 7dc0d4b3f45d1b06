// Fisher forgetting: Gaussian noise with covariance alpha (F_R + lambda)^{-1}
// added to the original model, F_R the diagonal Fisher information of the
// retain rows (fisher.h): directions the retain data pin down move little,
// the rest (what only the forget rows supported) are scrubbed. alpha = 1 is
// a draw from the diagonal Laplace approximation of the retain posterior.
// Paper: Golatkar, Achille & Soatto (2020), Eternal Sunshine of the Spotless Net, CVPR.
#include "estimators/unlearning/fisher.h"

#include <cmath>
#include <random>

#include "benchmarks/unlearning/unlearning.h"
#include "datasets/random.h"

namespace sb::unlearning {

Eigen::MatrixXd fisher_diagonal(const models::PenalizedLinear& model, const Eigen::MatrixXd& z,
                                const Eigen::MatrixXd& theta) {
  // For these losses the Fisher equals the Hessian of the summed loss (a generalised Gauss-Newton).
  return (models::linear_hessian_diagonal(model, z, theta).array() - model.lambda).matrix();
}

namespace {

class Fisher : public Unlearner {
 public:
  struct Params {
    double alpha = 1.0;
  };
  explicit Fisher(const Params& p) : p_(p) {}
  UnlearnedModel unlearn(const UnlearningContext& ctx) override {
    const UnlearningData& d = *ctx.data;
    const Eigen::MatrixXd precision = models::linear_hessian_diagonal(ctx.model, d.retain_z, *ctx.original);
    std::mt19937_64 rng(ctx.seed);
    Eigen::MatrixXd theta = *ctx.original;
    for (Eigen::Index i = 0; i < theta.size(); ++i)
      theta.data()[i] += std::sqrt(p_.alpha / precision.data()[i]) * data::standard_normal(rng);
    return {{theta}, {}};
  }

 private:
  Params p_;
};

}  // namespace

SB_REGISTER_UNLEARNER(Fisher, "fisher")
    .describe("Gaussian noise with covariance alpha (diag Fisher of the retain rows + lambda)^{-1}")
    .paper("Golatkar, Achille & Soatto (2020), Eternal Sunshine of the Spotless Net, CVPR")
    .field(&Fisher::Params::alpha, "alpha", 0.0, 1e6, "noise scale (1: diagonal Laplace posterior draw)");

}  // namespace sb::unlearning
