// Helpers for the causal estimation tests: make registered components with
// their defaults filled in, and a numerical M-estimation sandwich used as an
// independent route to the analytic standard errors.
#pragma once

#include <Eigen/Dense>

#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "benchmarks/estimation/estimation.h"
#include "harness/core/params.h"
#include "harness/core/suite.h"

#include <random>

namespace sb::estimation::testing {

inline std::unique_ptr<Estimator> make_estimator(const std::string& name,
                                                 const std::map<std::string, ParamValue>& given = {}) {
  const auto* entry = EstimatorRegistry::instance().find(name);
  if (entry == nullptr) throw InputError("no estimator '{}'", name);
  return entry->make(resolve_params(entry->info.params, given, "estimator '" + name + "'"));
}

inline std::unique_ptr<Scenario> make_scenario(const std::string& name,
                                               const std::map<std::string, ParamValue>& given = {}) {
  const auto* entry = ScenarioRegistry::instance().find(name);
  if (entry == nullptr) throw InputError("no scenario '{}'", name);
  return entry->make(resolve_params(entry->info.params, given, "scenario '" + name + "'"));
}

inline Estimate run(const std::string& name, const Data& data,
                    const std::map<std::string, ParamValue>& given = {}, std::uint64_t seed = 0) {
  return make_estimator(name, given)->estimate(data, seed);
}

// The mean of an estimator's value(0) over `reps` data sets of a scenario
// (seeds first_seed, first_seed + 1, ...) and its Monte Carlo standard error.
struct ReplicationMean {
  double mean;
  double mc_se;
};
inline ReplicationMean replication_mean(const Estimator& estimator, const Scenario& scenario, int reps,
                                        std::uint64_t first_seed) {
  double sum = 0, sumsq = 0;
  for (int r = 0; r < reps; ++r) {
    const double v = estimator.estimate(scenario.generate(first_seed + r), 0).value(0);
    sum += v, sumsq += v * v;
  }
  const double mean = sum / reps;
  return {mean, std::sqrt((sumsq / reps - mean * mean) / (reps - 1))};
}

// Stacked estimating equations g(theta) -> n x k matrix (row i = g_i), solved
// at theta_hat: covariance A^{-1} B A^{-T} / n with A = mean dg/dtheta by
// central differences and B = mean g g'. Independent of the closed-form
// influence functions in the estimators.
inline Eigen::MatrixXd numerical_sandwich(
    const std::function<Eigen::MatrixXd(const Eigen::VectorXd&)>& g,
    const Eigen::VectorXd& theta_hat) {
  const Eigen::MatrixXd g0 = g(theta_hat);
  const double n = static_cast<double>(g0.rows());
  const Eigen::Index k = theta_hat.size();
  Eigen::MatrixXd a(k, k);
  for (Eigen::Index j = 0; j < k; ++j) {
    const double step = 1e-6 * std::max(1.0, std::abs(theta_hat(j)));
    Eigen::VectorXd plus = theta_hat, minus = theta_hat;
    plus(j) += step;
    minus(j) -= step;
    a.col(j) = (g(plus).colwise().mean() - g(minus).colwise().mean()).transpose() / (2 * step);
  }
  const Eigen::MatrixXd b = g0.transpose() * g0 / n;
  const Eigen::MatrixXd a_inv = a.inverse();
  return a_inv * b * a_inv.transpose() / n;
}

inline double expit(double t) { return 1.0 / (1.0 + std::exp(-t)); }

}  // namespace sb::estimation::testing
