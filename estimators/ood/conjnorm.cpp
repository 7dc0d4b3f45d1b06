// Log-density of a uniform mixture of Bregman (p-norm) class densities.
// Paper: Peng, Luo, Zhang, Li & Fang (2024), ConjNorm: Tractable density estimation for out-of-distribution detection, ICLR
//
// What is implemented (see docs/OOD-DETECTORS.md): features are scaled by
// s = RMS within-class deviation per coordinate, z = f / s, nu_c = mu_c / s;
// psi_p(z) = (1/p) sum_j |z_j|^p generates the Bregman divergence
// D_p(z, nu) = sum_j [ |z_j|^p / p - |nu_j|^p / p - sign(nu_j) |nu_j|^(p-1) (z_j - nu_j) ];
// the class density is exp(-D_p(z, nu_c)) / Z_c and the score is
// log( (1/K) sum_c exp(-D_p(z, nu_c)) / Z_c ). psi_p is separable, so
// Z_c = prod_j Z_cj with 1-D integrals Z_cj = int exp(-d_p(t, nu_cj)) dt,
// each estimated without bias by importance sampling from a Laplace(nu_cj, 1)
// proposal (heavier tails than the target for p > 1, so weights are bounded
// in the tails) with `samples` draws from the cell seed.
#include <cmath>
#include <random>
#include <vector>

#include "estimators/ood/common.h"
#include "harness/core/errors.h"
#include "harness/core/suite.h"

namespace sb::ood {
namespace {

double sgn(double v) { return v > 0 ? 1.0 : (v < 0 ? -1.0 : 0.0); }

class ConjNorm final : public Detector {
 public:
  struct Params {
    double p = 2.0;
    std::int64_t samples = 2000;
  };
  explicit ConjNorm(const Params& p)
      : p_(p.p), samples_(p.samples) {}

  // 1-D divergence d_p(t, nu) of the separable generator.
  static double divergence_1d(double t, double nu, double p) {
    return (std::pow(std::abs(t), p) - std::pow(std::abs(nu), p)) / p -
           sgn(nu) * std::pow(std::abs(nu), p - 1) * (t - nu);
  }

  void fit(const FitContext& ctx) override {
    const Split& train = detail::require_train(ctx, "conjnorm");
    const detail::ClassStats stats = detail::class_means(train.features, train.labels, ctx.num_classes);
    double sq = 0;
    for (long i = 0; i < train.features.rows(); ++i)
      sq += (train.features.row(i) - stats.means.row(train.labels(i))).squaredNorm();
    scale_ = std::sqrt(sq / static_cast<double>(train.features.size()));
    SB_THROW_IF_NOT(MethodError, scale_ > 0, "conjnorm: training features have no within-class spread");
    centres_.resize(0, train.features.cols());
    for (int c = 0; c < ctx.num_classes; ++c) {
      if (stats.counts[c] == 0) continue;
      centres_.conservativeResize(centres_.rows() + 1, Eigen::NoChange);
      centres_.row(centres_.rows() - 1) = stats.means.row(c) / scale_;
    }
    // Shared proposal draws (common random numbers across classes/coords).
    std::mt19937_64 rng(derive_seed(ctx.seed, "conjnorm-importance"));
    std::uniform_real_distribution<double> unif(-0.5, 0.5);
    std::vector<double> offsets(samples_);
    for (auto& e : offsets) {
      double u = unif(rng);
      if (u == -0.5) u = 0;  // keep the inverse CDF finite
      e = -sgn(u) * std::log(1 - 2 * std::abs(u));  // Laplace(0, 1)
    }
    log_partition_.resize(centres_.rows());
    for (long c = 0; c < centres_.rows(); ++c) {
      double log_z = 0;
      for (long j = 0; j < centres_.cols(); ++j)
        log_z += std::log(partition_1d(centres_(c, j), offsets));
      log_partition_(c) = log_z;
    }
  }

  // Unbiased importance-sampling estimate of int exp(-d_p(t, nu)) dt.
  double partition_1d(double nu, const std::vector<double>& offsets) const {
    double sum = 0;
    for (double e : offsets) {
      const double proposal = 0.5 * std::exp(-std::abs(e));
      sum += std::exp(-divergence_1d(nu + e, nu, p_)) / proposal;
    }
    return sum / static_cast<double>(offsets.size());
  }

  Eigen::VectorXd score(const Split& split) const override {
    detail::require_features(split, centres_.cols(), "conjnorm");
    const long kc = centres_.rows();
    Eigen::MatrixXd log_terms(split.features.rows(), kc);
    for (long i = 0; i < split.features.rows(); ++i) {
      for (long c = 0; c < kc; ++c) {
        double d = 0;
        for (long j = 0; j < centres_.cols(); ++j)
          d += divergence_1d(split.features(i, j) / scale_, centres_(c, j), p_);
        log_terms(i, c) = -d - log_partition_(c);
      }
    }
    return detail::logsumexp_rows(log_terms).array() - std::log(static_cast<double>(kc));
  }

  const Eigen::VectorXd& log_partition() const { return log_partition_; }
  double scale() const { return scale_; }

 private:
  double p_;
  long samples_;
  double scale_ = 1;
  Eigen::MatrixXd centres_;        // present classes x m, in scaled units
  Eigen::VectorXd log_partition_;  // per present class
};

}  // namespace
}  // namespace sb::ood

SB_REGISTER_DETECTOR(sb::ood::ConjNorm, "conjnorm")
    .describe("log of a uniform mixture of class densities exp(-D_p(f, mu_c)) / Z_c, D_p the Bregman divergence of (1/p)||.||_p^p, "
              "Z_c by importance sampling")
    .paper("Peng, Luo, Zhang, Li & Fang (2024), ConjNorm: Tractable density estimation for out-of-distribution detection, ICLR")
    .field(&sb::ood::ConjNorm::Params::p, "p", 1.05, 10.0, "norm exponent p of the generator (1/p)||z||_p^p (p = 2: Gaussian)")
    .field(&sb::ood::ConjNorm::Params::samples, "samples", 10, 10000000, "importance-sampling draws per 1-D partition integral");
