// `shardbench list`: what is registered, with declared parameters.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "harness/cli/commands.h"
#include "harness/core/errors.h"
#include "harness/core/json.h"
#include "harness/run/plan.h"

namespace sb {

CommandSpec list_spec() {
  return {"list",
          "[suites|datasets|methods|references] [--suite NAME] [--format term|json]",
          "Lists the registered suites, datasets/scenarios, methods and references (shared\n"
          "computations such as a base model or a ground truth, computed once per run) with\n"
          "their parameters (type, default, allowed range), tags (e.g. the scenarios a method fits)\n"
          "and the paper each method implements.",
          {{"--suite", "NAME", "only this suite"},
           {"--format", "term|json", "plain text (default) or one JSON object (suites, their components, metrics)"}},
          0,
          1};
}

namespace {

void print_component(const ComponentInfo& c) {
  fmt::print("  {} (v{}){}{}\n", c.name, c.version, c.description.empty() ? "" : " — ", c.description);
  if (!c.paper.empty()) fmt::print("      paper: {}\n", c.paper);
  if (!c.tags.empty()) fmt::print("      tags: {}\n", fmt::join(c.tags, ", "));
  for (const auto& p : c.params) {
    auto range = p.range_text();
    fmt::print("      {:<20} {:<6} default {}{}{}\n", p.name, param_type_name(p.type),
               param_value_to_string(p.default_value), range.empty() ? "" : " in " + range,
               p.doc.empty() ? "" : "  " + p.doc);
  }
}

std::string direction_of(const MetricInfo& m) {
  return !m.has_direction ? "none" : m.higher_is_better ? "higher" : "lower";
}

std::string json_strings(const std::vector<std::string>& items) {
  std::string out = "[";
  for (const auto& item : items) {
    if (out.size() > 1) out += ',';
    out += json_quote(item);
  }
  return out + "]";
}

std::string json_component(const ComponentInfo& c) {
  std::string params = "[";
  for (const auto& p : c.params) {
    params += fmt::format(R"({}{{"name":{},"type":{},"default":{},"range":{},"doc":{}}})", params.size() > 1 ? "," : "",
                          json_quote(p.name), json_quote(param_type_name(p.type)),
                          param_value_to_json(p.default_value), json_quote(p.range_text()), json_quote(p.doc));
  }
  return fmt::format(R"({{"name":{},"version":{},"description":{},"paper":{},"tags":{},"params":{}]}})",
                     json_quote(c.name), json_quote(c.version), json_quote(c.description), json_quote(c.paper),
                     json_strings(c.tags), params);
}

std::string json_components(const std::vector<ComponentInfo>& infos) {
  std::string out = "[";
  for (const auto& c : infos) {
    if (out.size() > 1) out += ',';
    out += json_component(c);
  }
  return out + "]";
}

// Everything `list` shows, as one JSON object: {"suites": [{name, version,
// description, datasets, methods, references, metrics}]}.
void print_json(const std::optional<std::string>& only) {
  std::string suites;
  for (const auto* entry : SuiteRegistry::instance().entries()) {
    if (only && entry->info.name != *only) continue;
    auto suite = entry->make(ParamSet{});
    std::string metrics = "[";
    for (const auto& m : suite->metrics()) {
      metrics += fmt::format(R"({}{{"name":{},"direction":{},"doc":{}}})", metrics.size() > 1 ? "," : "",
                             json_quote(m.name), json_quote(direction_of(m)), json_quote(m.doc));
    }
    suites += fmt::format(
        R"({}{{"name":{},"version":{},"description":{},"datasets":{},"methods":{},"references":{},"metrics":{}]}})",
        suites.empty() ? "" : ",", json_quote(entry->info.name), json_quote(entry->info.version),
        json_quote(entry->info.description), json_components(suite->datasets()), json_components(suite->methods()),
        json_components(suite->references()), metrics);
  }
  fmt::print("{{\"suites\":[{}]}}\n", suites);
}

}  // namespace

int cmd_list(const Args& args) {
  std::string what = args.positional().empty() ? "all" : args.positional()[0];
  if (what != "all" && what != "suites" && what != "datasets" && what != "methods" && what != "references") {
    throw InputError("list: unknown category '{}' (valid: suites, datasets, methods, references)", what);
  }
  auto only = args.value("--suite");
  if (only) make_suite(*only);  // unknown suite -> InputError listing the valid ones
  const std::string format = args.value_or("--format", "term");
  if (format != "term" && format != "json") throw InputError("list: --format must be term or json, got '{}'", format);
  if (format == "json") {
    SB_THROW_IF_NOT(InputError, what == "all", "list --format json lists everything (no category), got '{}'", what);
    print_json(only);
    return 0;
  }
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
        fmt::print("  {:<20} {}{}{}\n", m.name,
                   !m.has_direction ? "no direction (never ranked)" : direction_of(m) + " is better",
                   m.doc.empty() ? "" : "  ", m.doc);
      }
      fmt::print("\n");
    }
  }
  return 0;
}

}  // namespace sb
