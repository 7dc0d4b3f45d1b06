// Fuzz target: experiment configs (harness/run/config.cpp), then the
// planner's validation against the registries when the grid is small.
// A typed InputError is the expected answer to a bad config; anything else
// escaping (std::out_of_range, bad_alloc...) or a sanitizer report is a bug.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "harness/core/errors.h"
#include "harness/run/config.h"
#include "harness/run/plan.h"

namespace {

// Cells the grid would expand to, saturating: planning a huge grid is slow
// by design, not a bug, so the fuzzer plans small ones only.
std::size_t grid_size(const sb::ExperimentConfig& cfg) {
  auto combos = [](const std::vector<sb::GridEntry>& entries) {
    std::size_t total = 0;
    for (const auto& e : entries) {
      std::size_t n = 1;
      for (const auto& axis : e.axes) n = std::min<std::size_t>(n * std::max<std::size_t>(axis.second.size(), 1), 1u << 20);
      total += n;
    }
    return std::min<std::size_t>(total, 1u << 20);
  };
  return combos(cfg.datasets) * combos(cfg.methods) * std::min<std::size_t>(cfg.seeds.size(), 1u << 20);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const sb::ExperimentConfig cfg = sb::parse_config("fuzz.toml", text);
    if (grid_size(cfg) <= 2000) {
      sb::PlanOptions options;
      sb::make_plan(cfg, options);
    }
  } catch (const sb::InputError&) {
  }
  return 0;
}
