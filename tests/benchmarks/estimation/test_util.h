// Helpers for the estimation tests: build registered components with
// parameters resolved as a config would resolve them.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "benchmarks/estimation/estimation.h"

namespace sb::estimation::testing {

inline ParamSet resolved(const ComponentInfo& info, const std::map<std::string, ParamValue>& given) {
  return resolve_params(info.params, given, info.kind + " '" + info.name + "'");
}

inline std::unique_ptr<Estimator> make_estimator(
    const std::string& name, const std::map<std::string, ParamValue>& given = {}) {
  const auto* entry = EstimatorRegistry::instance().find(name);
  if (!entry) throw std::runtime_error("no estimator " + name);
  return entry->make(resolved(entry->info, given));
}

inline std::unique_ptr<Scenario> make_scenario(const std::string& name,
                                               const std::map<std::string, ParamValue>& given = {}) {
  const auto* entry = ScenarioRegistry::instance().find(name);
  if (!entry) throw std::runtime_error("no scenario " + name);
  return entry->make(resolved(entry->info, given));
}

// Location data with the given samples as one column.
inline Data location_data(const std::vector<double>& values) {
  Data d;
  d.task = "location";
  d.x.resize(static_cast<Eigen::Index>(values.size()), 1);
  for (std::size_t i = 0; i < values.size(); ++i) d.x(static_cast<Eigen::Index>(i), 0) = values[i];
  d.truth = Eigen::VectorXd::Zero(1);
  return d;
}

}  // namespace sb::estimation::testing
