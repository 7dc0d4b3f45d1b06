// The `estimation` suite: one cell = one Monte Carlo replication (the cell's
// seed) of one scenario, estimated by one estimator and graded against the
// scenario's truth (benchmarks/estimation/metrics.h).
#include <algorithm>
#include <chrono>
#include <memory>

#include "benchmarks/estimation/estimation.h"
#include "benchmarks/estimation/external.h"
#include "benchmarks/estimation/metrics.h"
#include "harness/core/errors.h"
#include "harness/core/suite.h"

namespace sb::estimation {
namespace {

std::unique_ptr<Scenario> make_scenario(const CellSpec& cell) {
  const auto* entry = ScenarioRegistry::instance().find(cell.dataset);
  if (!entry) throw InputError("estimation: unknown scenario '{}'", cell.dataset);
  return entry->make(cell.dataset_params);
}

std::unique_ptr<Estimator> make_estimator(const CellSpec& cell) {
  const auto* entry = EstimatorRegistry::instance().find(cell.method);
  if (!entry) throw InputError("estimation: unknown estimator '{}'", cell.method);
  return entry->make(cell.method_params);
}

class EstimationSuite : public Suite {
 public:
  std::vector<ComponentInfo> datasets() const override {
    return ScenarioRegistry::instance().infos();
  }
  std::vector<ComponentInfo> methods() const override {
    return EstimatorRegistry::instance().infos();
  }
  std::vector<MetricInfo> metrics() const override { return estimation_metrics(); }

  // An estimator runs on a scenario when it is tagged `task:<scenario task>`.
  std::string incompatibility(const CellSpec& cell) const override {
    if (cell.external) return "";  // any task: cell.json names it
    const auto* method = EstimatorRegistry::instance().find(cell.method);
    if (!method) return "unknown estimator '" + cell.method + "'";
    if (!ScenarioRegistry::instance().find(cell.dataset)) {
      return "unknown scenario '" + cell.dataset + "'";
    }
    const std::string task = make_scenario(cell)->task();
    const auto& tags = method->info.tags;
    if (std::find(tags.begin(), tags.end(), "task:" + task) != tags.end()) return "";
    std::string solves;
    for (const auto& t : tags) {
      if (t.rfind("task:", 0) == 0) solves += (solves.empty() ? "" : ", ") + t.substr(5);
    }
    return "estimator '" + cell.method + "' solves {" + solves + "}, scenario '" + cell.dataset +
           "' poses task '" + task + "'";
  }

  CellOutput run(const CellSpec& cell, CellCache& cache) const override {
    const std::string label = component_label(cell.dataset, cell.dataset_params);
    // Cells of one replication (same scenario, params and seed) share the data.
    const std::string key = "estimation|" + cell.dataset + "|" + cell.dataset_params.to_json() +
                            "|" + std::to_string(cell.seed);
    const auto data = cache.get_or_make<Data>(key, [&]() -> std::shared_ptr<const Data> {
      return std::make_shared<const Data>(
          make_scenario(cell)->generate(derive_seed(cell.seed, "data:" + label)));
    });
    const std::uint64_t method_seed = derive_seed(cell.seed, "method:" + cell.method);
    const auto estimator = cell.external ? nullptr : make_estimator(cell);
    const auto start = std::chrono::steady_clock::now();
    const Estimate est = cell.external
                             ? estimate_externally(*data, *cell.external, cell.method_params, cell.seed, method_seed)
                             : estimator->estimate(*data, method_seed);
    CellOutput out;
    out.method_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    out.metrics = grade(*data, est);
    if (data->task == "interval") {
      out.artifacts.push_back({"lower", {est.lower.data(), est.lower.data() + est.lower.size()}});
      out.artifacts.push_back({"upper", {est.upper.data(), est.upper.data() + est.upper.size()}});
    } else if (est.value.size() > 1) {
      out.artifacts.push_back({"estimate", {est.value.data(), est.value.data() + est.value.size()}});
    }
    return out;
  }
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_SUITE(sb::estimation::EstimationSuite, "estimation")
    .version("1")
    .describe("Monte Carlo replications of scenarios with a known truth: bias, RMSE, CI coverage, "
              "interval coverage and width");
