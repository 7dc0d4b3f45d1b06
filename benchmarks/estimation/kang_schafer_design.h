// The units of Kang & Schafer's (2007) simulation, shared by the
// `kang-schafer` (ATE) and `kang-schafer-mean` (the published missing-data
// mean) scenarios: one stream, one draw order, so that for a seed both see
// the same units.
//   Z1..Z4 iid N(0, 1), eps ~ N(0, 1), U ~ U(0, 1) per unit (in that order);
//   outcome surface 210 + 27.4 Z1 + 13.7 (Z2 + Z3 + Z4) + eps;
//   pi(Z) = expit(-Z1 + 0.5 Z2 - 0.25 Z3 - 0.1 Z4), T = 1{U < pi(Z)};
//   the transformed covariates X1 = exp(Z1/2), X2 = Z2/(1 + exp(Z1)) + 10,
//   X3 = (Z1 Z3/25 + 0.6)^3, X4 = (Z2 + Z4 + 20)^2 the misspecified models see.
#pragma once

#include <Eigen/Dense>

#include <cstdint>

namespace sb::estimation {

struct KangSchaferUnits {
  Eigen::MatrixXd z;        // n x 4
  Eigen::MatrixXd x;        // n x 4, the transformed covariates (0 rows unless asked for)
  Eigen::VectorXd outcome;  // the outcome surface at each unit (Y(0) of the ATE version)
  Eigen::VectorXd treated;  // T: 1 (treated / responds) or 0
  Eigen::VectorXd propensity;  // pi(Z)
};

KangSchaferUnits kang_schafer_units(Eigen::Index n, std::uint64_t seed, bool transformed);

}  // namespace sb::estimation
