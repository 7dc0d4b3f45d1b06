// `shardbench list`: what is registered, with declared parameters.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "harness/cli/commands.h"
#include "harness/core/errors.h"
#include "harness/core/json.h"
#include "harness/core/suggest.h"
#include "harness/run/config_edits.h"
#include "harness/run/plan.h"

namespace sb {

CommandSpec list_spec() {
  return {"list",
          "[suites|datasets|methods|references|metrics [NAME]] [--suite NAME] [--format term|json]",
          "Lists the registered suites, datasets/scenarios, methods and references (shared\n"
          "computations such as a base model or a ground truth, computed once per run) with\n"
          "their parameters (type, default, allowed range), tags (e.g. the scenarios a method fits)\n"
          "and the paper each method implements, and the metrics each suite records.\n"
          "A category may be singular (method); NAME (a glob, e.g. 'trimmed*') keeps the entries\n"
          "of that category whose name matches: `shardbench list method trimmed-mean`.",
          {{"--suite", "NAME", "only this suite"},
           {"--format", "term|json", "plain text (default) or one JSON object (suites, their components, metrics)"}},
          0,
          2};
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
    const std::string primary = primary_metric(suite->metrics());
    for (const auto& m : suite->metrics()) {
      metrics += fmt::format(R"({}{{"name":{},"direction":{},"primary":{},"doc":{}}})", metrics.size() > 1 ? "," : "",
                             json_quote(m.name), json_quote(direction_of(m)), m.name == primary ? "true" : "false",
                             json_quote(m.doc));
    }
    suites += fmt::format(
        R"({}{{"name":{},"version":{},"description":{},"datasets":{},"methods":{},"references":{},"metrics":{}]}})",
        suites.empty() ? "" : ",", json_quote(entry->info.name), json_quote(entry->info.version),
        json_quote(entry->info.description), json_components(suite->datasets()), json_components(suite->methods()),
        json_components(suite->references()), metrics);
  }
  fmt::print("{{\"suites\":[{}]}}\n", suites);
}

// The category named on the command line, plural ("method" -> "methods").
std::string category_of(const Args& args) {
  if (args.positional().empty()) return "all";
  static const std::vector<std::string> kCategories = {"suites", "datasets", "methods", "references", "metrics"};
  const std::string& given = args.positional()[0];
  for (const auto& c : kCategories)
    if (given == c || given + "s" == c) return c;
  throw InputError("list: unknown category '{}'{} (valid: suites, datasets, methods, references, metrics)", given,
                   did_you_mean(given, kCategories));
}

}  // namespace

int cmd_list(const Args& args) {
  const std::string what = category_of(args);
  const std::optional<std::string> pattern =
      args.positional().size() > 1 ? std::optional(args.positional()[1]) : std::nullopt;
  auto shown = [&](const std::string& name) { return !pattern || glob_match(*pattern, name); };
  std::vector<std::string> names;  // of the category, for a NAME that matches none
  bool matched = false;
  auto only = args.value("--suite");
  if (only) make_suite(*only);  // unknown suite -> InputError listing the valid ones
  const std::string format = args.value_or("--format", "term");
  if (format != "term" && format != "json") throw InputError("list: --format must be term or json, got '{}'", format);
  if (format == "json") {
    SB_THROW_IF_NOT(InputError, what == "all", "list --format json lists everything (no category), got '{}'",
                    args.positional()[0]);
    print_json(only);
    return 0;
  }
  // With a NAME, a suite's heading is printed only above a match.
  auto print_components = [&](const std::string& suite, const char* kind, const std::vector<ComponentInfo>& infos) {
    bool heading = false;
    for (const auto& c : infos) {
      names.push_back(c.name);
      if (!shown(c.name)) continue;
      if (!heading) fmt::print("{} {}:\n", suite, kind);
      heading = matched = true;
      print_component(c);
    }
  };
  for (const auto* entry : SuiteRegistry::instance().entries()) {
    if (only && entry->info.name != *only) continue;
    auto suite = entry->make(ParamSet{});
    const std::string& name = entry->info.name;
    if (what == "all" || what == "suites") {
      names.push_back(name);
      if (shown(name)) {
        matched = true;
        fmt::print("suite {} (v{}){}{}\n", name, entry->info.version, entry->info.description.empty() ? "" : " — ",
                   entry->info.description);
      }
    }
    if (what == "all" || what == "datasets") print_components(name, "datasets", suite->datasets());
    if (what == "all" || what == "methods") print_components(name, "methods", suite->methods());
    const auto references = suite->references();
    if ((what == "all" && !references.empty()) || what == "references")
      print_components(name, "references", references);
    if (what == "all" || what == "metrics") {
      bool heading = false;
      const std::string primary = primary_metric(suite->metrics());
      for (const auto& m : suite->metrics()) {
        names.push_back(m.name);
        if (!shown(m.name)) continue;
        if (!heading) fmt::print("{} metrics:\n", name);
        heading = matched = true;
        fmt::print("  {:<20} {}{}{}{}\n", m.name,
                   !m.has_direction ? "no direction (never ranked)" : direction_of(m) + " is better",
                   m.name == primary ? ", primary (ranked on by default)" : "", m.doc.empty() ? "" : "  ", m.doc);
      }
    }
    if (what == "all" && !pattern) fmt::print("\n");
  }
  if (pattern && !matched) {
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    throw InputError("list: no {} named '{}'{}{}", what == "all" ? "entry" : what, *pattern,
                     only ? " in suite '" + *only + "'" : "", did_you_mean(*pattern, names));
  }
  return 0;
}

}  // namespace sb
