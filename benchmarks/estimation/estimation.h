// The `estimation` suite's typed interface: scenarios (data-generating
// processes with a known truth) and estimators. One cell = one Monte Carlo
// replication (the cell's seed) of one scenario, estimated by one estimator.
#pragma once

#include <Eigen/Dense>

#include <cstdint>
#include <limits>
#include <string>

#include "harness/core/registry.h"

namespace sb::estimation {

// The task a scenario poses; an estimator declares the tasks it solves with
// `.tag("task:<name>")` at registration, and the suite refuses other pairs.
//   location     x = samples (n x d); truth = mean vector (d)
//   regression   x = covariates (n x d, with an intercept column if the DGP
//                has one), y; truth = coefficients (d)
//   ate          x, treatment (0/1), y [, propensity = true P(T=1|x)];
//                truth = (average treatment effect)
//   missing-mean x, treatment = response indicator (1 = y observed), y (NaN
//                where treatment = 0) [, propensity = true P(T=1|x)];
//                truth = (E[y] over everyone: respondents and not)
//   integration  x, treatment, y, source (0 = randomised experiment,
//                1 = historical controls, treatment = 0); truth = (ATE)
//   iv           x, instrument (0/1), treatment (0/1), y; truth = (target effect)
//   quantile     x, y, quantile level in `level`; truth = coefficients of the
//                conditional quantile
//   interval     x, y (training); x_test, y_test; `level` = 1 - alpha;
//                truth = (level); the estimator returns lower/upper per test point
struct Data {
  std::string task;
  Eigen::MatrixXd x;             // covariates for outcome models (or the samples)
  Eigen::MatrixXd x_propensity;  // covariates for propensity models; empty = use x
                                 // (Kang-Schafer misspecification gives them apart)
  Eigen::VectorXd y;
  Eigen::VectorXd treatment;
  Eigen::VectorXd instrument;
  Eigen::VectorXd propensity;       // true propensity, when the DGP knows it
  Eigen::VectorXd corruption_rate;  // known per-sample corruption probability p_i
  Eigen::VectorXi source;
  Eigen::MatrixXd x_test;
  Eigen::VectorXd y_test;
  double level = 0.95;
  Eigen::VectorXd truth;
};

struct Estimate {
  Eigen::VectorXd value;  // same size as Data::truth (unused for `interval`)
  // Standard error and 95% CI of value(0), from the estimator's own theory
  // (sandwich / influence function), NaN when the estimator has none.
  double std_error = std::numeric_limits<double>::quiet_NaN();
  double ci_low = std::numeric_limits<double>::quiet_NaN();
  double ci_high = std::numeric_limits<double>::quiet_NaN();
  // `interval` task: one interval per test point.
  Eigen::VectorXd lower;
  Eigen::VectorXd upper;
};

class Scenario {
 public:
  virtual ~Scenario() = default;
  virtual std::string task() const = 0;
  // Deterministic: the same parameters and seed give the same data.
  virtual Data generate(std::uint64_t seed) const = 0;
};

class Estimator {
 public:
  virtual ~Estimator() = default;
  // `seed` is for estimators that randomise (cross-fitting folds, MoM blocks).
  // Throws (e.g. sb::MethodError) when it cannot estimate.
  virtual Estimate estimate(const Data& data, std::uint64_t seed) const = 0;
};

using ScenarioRegistry = Registry<Scenario>;
using EstimatorRegistry = Registry<Estimator>;

}  // namespace sb::estimation

#define SB_REGISTER_SCENARIO(Type, name) \
  SB_REGISTER_COMPONENT(::sb::estimation::Scenario, Type, "estimation", "dataset", name)
#define SB_REGISTER_ESTIMATOR(Type, name) \
  SB_REGISTER_COMPONENT(::sb::estimation::Estimator, Type, "estimation", "method", name)
