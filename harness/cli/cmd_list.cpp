// `shardbench list`: what is registered, with declared parameters.
#include <fmt/format.h>

#include "harness/cli/commands.h"
#include "harness/core/errors.h"
#include "harness/run/plan.h"

namespace sb {

CommandSpec list_spec() {
  return {"list",
          "[suites|datasets|methods|references] [--suite NAME]",
          "Lists the registered suites, datasets/scenarios, methods and references (shared\n"
          "computations such as a base model or a ground truth, computed once per run) with\n"
          "their parameters (type, default, allowed range) and the paper each method implements.",
          {{"--suite", "NAME", "only this suite"}},
          0,
          1};
}

namespace {

void print_component(const ComponentInfo& c) {
  fmt::print("  {} (v{}){}{}\n", c.name, c.version, c.description.empty() ? "" : " — ", c.description);
  if (!c.paper.empty()) fmt::print("      paper: {}\n", c.paper);
  for (const auto& p : c.params) {
    auto range = p.range_text();
    fmt::print("      {:<20} {:<6} default {}{}{}\n", p.name, param_type_name(p.type),
               param_value_to_string(p.default_value), range.empty() ? "" : " in " + range,
               p.doc.empty() ? "" : "  " + p.doc);
  }
}

}  // namespace

int cmd_list(const Args& args) {
  std::string what = args.positional().empty() ? "all" : args.positional()[0];
  if (what != "all" && what != "suites" && what != "datasets" && what != "methods" && what != "references") {
    throw InputError("list: unknown category '{}' (valid: suites, datasets, methods, references)", what);
  }
  auto only = args.value("--suite");
  if (only) make_suite(*only);  // unknown suite -> InputError listing the valid ones
  for (const auto* entry : SuiteRegistry::instance().entries()) {
    if (only && entry->info.name != *only) continue;
    auto suite = entry->make(ParamSet{});
    if (what == "all" || what == "suites") {
      fmt::print("suite {} (v{}){}{}\n", entry->info.name, entry->info.version,
                 entry->info.description.empty() ? "" : " — ", entry->info.description);
    }
    if (what == "all" || what == "datasets") {
      fmt::print("{} datasets:\n", entry->info.name);
      for (const auto& d : suite->datasets()) print_component(d);
    }
    if (what == "all" || what == "methods") {
      fmt::print("{} methods:\n", entry->info.name);
      for (const auto& m : suite->methods()) print_component(m);
    }
    const auto references = suite->references();
    if ((what == "all" && !references.empty()) || what == "references") {
      fmt::print("{} references:\n", entry->info.name);
      for (const auto& r : references) print_component(r);
    }
    if (what == "all") {
      fmt::print("{} metrics:\n", entry->info.name);
      for (const auto& m : suite->metrics()) {
        fmt::print("  {:<20} {} is better{}{}\n", m.name, m.higher_is_better ? "higher" : "lower",
                   m.doc.empty() ? "" : "  ", m.doc);
      }
      fmt::print("\n");
    }
  }
  return 0;
}

}  // namespace sb
