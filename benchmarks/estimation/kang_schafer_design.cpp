#include "benchmarks/estimation/kang_schafer_design.h"

#include <cmath>

#include "benchmarks/estimation/random.h"
#include "estimators/models/linear.h"
#include "harness/core/suite.h"

namespace sb::estimation {

KangSchaferUnits kang_schafer_units(Eigen::Index n, std::uint64_t seed, bool transformed) {
  Rng rng(derive_seed(seed, "kang-schafer"));
  StandardNormal normal;
  Uniform01 uniform;
  KangSchaferUnits u;
  u.z.resize(n, 4);
  u.x.resize(transformed ? n : 0, 4);
  u.outcome.resize(n);
  u.treated.resize(n);
  u.propensity.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    for (int j = 0; j < 4; ++j) u.z(i, j) = normal(rng);
    const double eps = normal(rng);
    const double draw = uniform(rng);
    const double z1 = u.z(i, 0), z2 = u.z(i, 1), z3 = u.z(i, 2), z4 = u.z(i, 3);
    u.propensity(i) = models::expit(-z1 + 0.5 * z2 - 0.25 * z3 - 0.1 * z4);
    u.treated(i) = draw < u.propensity(i) ? 1.0 : 0.0;
    u.outcome(i) = 210.0 + 27.4 * z1 + 13.7 * (z2 + z3 + z4) + eps;
    if (!transformed) continue;
    const double exp_half_z1 = std::exp(z1 / 2);
    const double cube_base = z1 * z3 / 25 + 0.6, square_base = z2 + z4 + 20;
    u.x(i, 0) = exp_half_z1;
    u.x(i, 1) = z2 / (1 + exp_half_z1 * exp_half_z1) + 10;
    u.x(i, 2) = cube_base * cube_base * cube_base;
    u.x(i, 3) = square_base * square_base;
  }
  return u;
}

}  // namespace sb::estimation
