// Per-replication cost of the estimation suite's parts, without the harness:
// for one scenario, the time to generate a replication's data and the time of
// each estimator on it, averaged over seeds. Used to profile the Kang-Schafer
// study (docs/PERFORMANCE.md); the harness's own overhead is measured by
// scripts/bench-farm.sh.
//
//   estimator_bench [SEEDS] [scenario] [key=value ...] -- [estimator ...]
//   estimator_bench 1000 kang-schafer n=1000 propensity_model=misspecified
//       -- ipw hajek aipw
// Defaults: 1000 seeds, kang-schafer with its defaults, the five estimators of
// benchmarks/configs/kang-schafer.toml.
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "benchmarks/estimation/estimation.h"
#include "harness/core/errors.h"
#include "harness/core/memory.h"
#include "harness/core/params.h"
#include "harness/core/suite.h"

namespace {

using Clock = std::chrono::steady_clock;

sb::ParamValue parse_value(const sb::ParamSpec& spec, const std::string& text) {
  switch (spec.type) {
    case sb::ParamType::kInt: return sb::ParamValue(static_cast<std::int64_t>(std::stoll(text)));
    case sb::ParamType::kReal: return sb::ParamValue(std::stod(text));
    case sb::ParamType::kBool: return sb::ParamValue(text == "true" || text == "1");
    default: return sb::ParamValue(text);
  }
}

int run(int argc, char** argv) {
  using namespace sb::estimation;
  int arg = 1;
  int seeds = 1000;
  if (arg < argc) seeds = std::stoi(argv[arg++]);
  std::string scenario_name = "kang-schafer";
  if (arg < argc && std::string(argv[arg]) != "--") scenario_name = argv[arg++];
  const auto* scenario_entry = ScenarioRegistry::instance().find(scenario_name);
  if (!scenario_entry) throw sb::InputError("unknown scenario '{}'", scenario_name);
  std::map<std::string, sb::ParamValue> given;
  for (; arg < argc && std::string(argv[arg]) != "--"; ++arg) {
    const std::string kv = argv[arg];
    const auto eq = kv.find('=');
    if (eq == std::string::npos) throw sb::InputError("expected key=value, got '{}'", kv);
    const std::string key = kv.substr(0, eq);
    const sb::ParamSpec* spec = nullptr;
    for (const auto& s : scenario_entry->info.params) {
      if (s.name == key) spec = &s;
    }
    if (!spec) throw sb::InputError("scenario '{}' has no parameter '{}'", scenario_name, key);
    given[key] = parse_value(*spec, kv.substr(eq + 1));
  }
  std::vector<std::string> methods;
  if (arg < argc) ++arg;  // "--"
  for (; arg < argc; ++arg) methods.emplace_back(argv[arg]);
  if (methods.empty()) methods = {"difference-in-means", "outcome-regression", "ipw", "hajek", "aipw"};

  const auto params = sb::resolve_params(scenario_entry->info.params, given, "scenario");
  const auto scenario = scenario_entry->make(params);
  std::vector<std::unique_ptr<Estimator>> estimators;
  for (const auto& m : methods) {
    const auto* entry = EstimatorRegistry::instance().find(m);
    if (!entry) throw sb::InputError("unknown estimator '{}'", m);
    estimators.push_back(entry->make(sb::resolve_params(entry->info.params, {}, "estimator")));
  }

  double generate_seconds = 0;
  std::vector<double> seconds(methods.size(), 0.0);
  std::vector<int> failures(methods.size(), 0);
  double checksum = 0;
  for (int s = 0; s < seeds; ++s) {
    auto t0 = Clock::now();
    const Data data = scenario->generate(sb::derive_seed(static_cast<std::uint64_t>(s), "bench"));
    generate_seconds += std::chrono::duration<double>(Clock::now() - t0).count();
    for (size_t m = 0; m < estimators.size(); ++m) {
      t0 = Clock::now();
      try {
        const Estimate est = estimators[m]->estimate(data, static_cast<std::uint64_t>(s));
        if (est.value.size() > 0) checksum += est.value(0);
      } catch (const sb::MethodError&) {
        ++failures[m];
      }
      seconds[m] += std::chrono::duration<double>(Clock::now() - t0).count();
    }
  }
  std::printf("%s %s, %d seeds\n", scenario_name.c_str(),
              sb::component_label(scenario_name, params).c_str(), seeds);
  std::printf("  %-22s %9.1f us per replication\n", "generate", 1e6 * generate_seconds / seeds);
  double total = generate_seconds;
  for (size_t m = 0; m < methods.size(); ++m) {
    std::printf("  %-22s %9.1f us per replication  (%d failed)\n", methods[m].c_str(),
                1e6 * seconds[m] / seeds, failures[m]);
    total += seconds[m];
  }
  std::printf("  %-22s %9.1f us per replication  (checksum %.6g)\n", "total", 1e6 * total / seeds,
              checksum);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  sb::keep_freed_memory();  // as in shardbench's cell-running processes
  try {
    return run(argc, argv);
  } catch (const sb::InputError& e) {
    std::fprintf(stderr, "estimator_bench: %s\n", e.what());
    return 2;
  }
}
