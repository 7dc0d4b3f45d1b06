// Scenario `corrupted-mean` (task location): Gaussian (or unit-variance
// Laplace / Student t5 / uniform / exponential) samples, each replaced by an adversarial outlier with
// its own known probability p_i.
#include <algorithm>
#include <cmath>
#include <random>

#include "benchmarks/estimation/estimation.h"
#include "benchmarks/estimation/random.h"
#include "harness/core/errors.h"

namespace sb::estimation {
namespace {

// x_i ~ N(mu, I_d) with mu = (1, ..., 1) (or mu plus independent
// unit-variance Laplace, t5, uniform or centred exponential coordinates); with probability p_i sample i is
// replaced by mu + distance (1, ..., 1)/sqrt(d) + N(0, 0.1^2 I_d): all
// outliers push the same way, which is what biases the mean. Rates:
//   constant    p_i = rate
//   two-groups  p_i = 0 for i < floor(n/2), min(1, 2 rate) for the others
//   linear      p_i = 2 rate * i / (n - 1), evenly from 0 to 2 rate
// Every sample draws its clean value, its uniform and its outlier noise in
// that order whatever the rates, so scenarios that differ only in rates
// share their clean samples (common random numbers). Laplace and t5 draw
// their clean values from the same generator by their own recipes:
//   laplace  (E1 - E2) / sqrt(2), E exponential(1): variance 2 / 2 = 1
//   t5       Z / sqrt(S / 5) / sqrt(5 / 3), S a sum of 5 squared normals:
//            Var t5 = 5 / 3 (the Boos & Stefanski, 2013, Table 9.1 recipes)
//   uniform      sqrt(12) (U - 1/2), U uniform(0, 1)
//   exponential  E - 1, E exponential(1): skewed, mean 0 (the mean is the
//                target; the trimmed mean and the median are then biased)
class CorruptedMean : public Scenario {
 public:
  struct Params {
    std::int64_t n = 200;
    std::int64_t d = 1;
    std::string rates = "constant";
    double rate = 0.1;
    double outlier_distance = 10.0;
    std::string noise = "normal";
  };
  explicit CorruptedMean(const Params& p)
      : n_(p.n),
        d_(p.d),
        rates_(p.rates),
        rate_(p.rate),
        distance_(p.outlier_distance),
        noise_(p.noise) {}

  std::string task() const override { return "location"; }

  Data generate(std::uint64_t seed) const override {
    Data data;
    data.task = task();
    data.truth = Eigen::VectorXd::Ones(d_);
    data.x.resize(n_, d_);
    data.corruption_rate.resize(n_);
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    const double push = distance_ / std::sqrt(static_cast<double>(d_));
    Eigen::VectorXd clean(d_), noise(d_);
    for (std::int64_t i = 0; i < n_; ++i) {
      const double p = rate_of(i);
      data.corruption_rate(i) = p;
      for (std::int64_t j = 0; j < d_; ++j) clean(j) = draw_clean(rng, normal);
      const double u = uniform(rng);
      for (std::int64_t j = 0; j < d_; ++j) noise(j) = normal(rng);
      if (u < p) {
        data.x.row(i) = (data.truth.array() + push + 0.1 * noise.array()).transpose();
      } else {
        data.x.row(i) = (data.truth + clean).transpose();
      }
    }
    return data;
  }

 private:
  double draw_clean(std::mt19937_64& rng, std::normal_distribution<double>& normal) const {
    if (noise_ == "normal") return normal(rng);
    if (noise_ == "laplace") {
      std::exponential_distribution<double> exponential(1.0);
      const double e1 = exponential(rng);
      return (e1 - exponential(rng)) / std::sqrt(2.0);
    }
    if (noise_ == "t5") return student_t(5, normal, rng) / std::sqrt(5.0 / 3.0);
    if (noise_ == "uniform") return std::sqrt(12.0) * (std::uniform_real_distribution<double>(0.0, 1.0)(rng) - 0.5);
    return std::exponential_distribution<double>(1.0)(rng) - 1.0;
  }

  double rate_of(std::int64_t i) const {
    if (rates_ == "constant") return rate_;
    if (rates_ == "two-groups") return i < n_ / 2 ? 0.0 : std::min(1.0, 2 * rate_);
    return 2 * rate_ * static_cast<double>(i) / static_cast<double>(n_ - 1);
  }

  std::int64_t n_, d_;
  std::string rates_;
  double rate_, distance_;
  std::string noise_;
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_SCENARIO(sb::estimation::CorruptedMean, "corrupted-mean")
    .describe("N(1, I_d) samples (or unit-variance Laplace / t5 / uniform / exponential noise), each an adversarial outlier with its own "
              "known probability p_i")
    .paper("Robust Estimation Under Heterogeneous Corruption Rates (2025, arXiv)")
    .tag("task:location")
    .field(&sb::estimation::CorruptedMean::Params::n, "n", 2, 10000000, "number of samples")
    .field(&sb::estimation::CorruptedMean::Params::d, "d", 1, 1000, "dimension")
    .field(&sb::estimation::CorruptedMean::Params::rates, "rates", {"constant", "two-groups", "linear"},
           "how corruption probabilities vary across samples")
    .field(&sb::estimation::CorruptedMean::Params::rate, "rate", 0.0, 0.5, "mean corruption probability")
    .field(&sb::estimation::CorruptedMean::Params::outlier_distance, "outlier_distance", 1e-6, 1e6,
           "distance of the outlier cluster from the mean, along (1,..,1)/sqrt(d)")
    .field(&sb::estimation::CorruptedMean::Params::noise, "noise", {"normal", "laplace", "t5", "uniform", "exponential"},
           "distribution of the clean samples' coordinates around 1, each with variance 1");
