#include "harness/run/config_edits.h"

#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "harness/core/errors.h"
#include "harness/core/suggest.h"

namespace sb {

namespace {

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

bool has_tag(const ComponentInfo& info, const std::string& tag) {
  return std::find(info.tags.begin(), info.tags.end(), tag) != info.tags.end();
}

// The [[methods]] entries a wildcard stands for.
std::vector<GridEntry> expand_wildcard(const ExperimentConfig& config, const GridEntry& wildcard,
                                       const std::vector<ComponentInfo>& methods, std::vector<std::string>& problems) {
  std::set<std::string> known_tags, named;
  for (const auto& m : methods) known_tags.insert(m.tags.begin(), m.tags.end());
  for (const auto& e : config.methods) {
    if (!e.wildcard()) named.insert(e.name);
  }
  for (const auto& tag : wildcard.tags) {
    if (!known_tags.count(tag)) {
      problems.push_back(fmt::format("{}:{}: methods '*': unknown tag '{}' (tags of suite '{}': {})", config.path,
                                     wildcard.line, tag, config.suite,
                                     join(std::vector<std::string>(known_tags.begin(), known_tags.end()))));
    }
  }
  for (const auto& name : wildcard.exclude) {
    const bool known = std::any_of(methods.begin(), methods.end(), [&](const ComponentInfo& m) { return m.name == name; });
    if (!known) {
      problems.push_back(fmt::format("{}:{}: methods '*': exclude names '{}', not a method of suite '{}'", config.path,
                                     wildcard.line, name, config.suite));
    }
  }
  std::vector<GridEntry> out;
  for (const auto& m : methods) {
    if (named.count(m.name)) continue;
    if (std::find(wildcard.exclude.begin(), wildcard.exclude.end(), m.name) != wildcard.exclude.end()) continue;
    if (!std::all_of(wildcard.tags.begin(), wildcard.tags.end(), [&](const auto& t) { return has_tag(m, t); })) {
      continue;
    }
    GridEntry e;
    e.name = m.name;
    e.line = wildcard.line;
    e.from_wildcard = true;
    out.push_back(std::move(e));
  }
  return out;
}

// "0.1" -> real, "100" -> integer, "true"/"false" -> boolean, else string.
ParamValue parse_value(const std::string& text) {
  if (text == "true") return true;
  if (text == "false") return false;
  std::int64_t i = 0;
  const char* end = text.data() + text.size();
  if (auto [p, ec] = std::from_chars(text.data(), end, i); ec == std::errc() && p == end) return i;
  double d = 0;
  if (auto [p, ec] = std::from_chars(text.data(), end, d); ec == std::errc() && p == end) return d;
  return text;
}

// Applies one `-s` override to the entries of its kind.
void apply_override(const std::string& text, ExperimentConfig& config, const Suite& suite,
                    std::vector<std::string>& problems) {
  const std::string where = fmt::format("option -s '{}'", text);
  const auto eq = text.find('='), dot = text.find('.');
  if (eq == std::string::npos || dot == std::string::npos || dot > eq) {
    problems.push_back(where + ": expected dataset.PARAM=VALUE[,VALUE...] or method.PARAM=VALUE[,VALUE...]");
    return;
  }
  const std::string kind = text.substr(0, dot), param = text.substr(dot + 1, eq - dot - 1);
  if (kind != "dataset" && kind != "method") {
    problems.push_back(fmt::format("{}: '{}' must be 'dataset' or 'method'", where, kind));
    return;
  }
  if (param.empty()) {
    problems.push_back(where + ": no parameter name before '='");
    return;
  }
  std::vector<ParamValue> values;
  const std::string list = text.substr(eq + 1);
  size_t start = 0;
  for (;;) {
    const size_t comma = list.find(',', start);
    const std::string item = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (item.empty()) {
      problems.push_back(where + ": empty value (values are separated by single commas)");
      return;
    }
    values.push_back(parse_value(item));
    if (std::find(values.begin(), values.end() - 1, values.back()) != values.end() - 1) {
      problems.push_back(fmt::format("{}: value '{}' given twice (each grid value once)", where, item));
      return;
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  const bool datasets = kind == "dataset";
  const auto infos = datasets ? suite.datasets() : suite.methods();
  std::vector<GridEntry>& entries = datasets ? config.datasets : config.methods;
  bool applied = false;
  for (auto& entry : entries) {
    const ParamSpec* spec = nullptr;
    if (entry.external) {
      // An external method declares what its params table gives.
      auto it = std::find_if(entry.axes.begin(), entry.axes.end(), [&](const auto& a) { return a.first == param; });
      if (it == entry.axes.end()) continue;
    } else if (const ComponentInfo* info = find_component(infos, entry.name)) {
      for (const auto& s : info->params)
        if (s.name == param) spec = &s;
      if (!spec) continue;
      for (const auto& v : values) {
        if (const auto checked = check_param_value(*spec, v); !checked.value) {
          problems.push_back(fmt::format("{}: {} '{}': {}", where, kind, entry.name, checked.error));
          return;
        }
      }
    } else {
      continue;  // an unknown name: the planner reports it
    }
    applied = true;
    entry.axis_origins.resize(entry.axes.size());
    auto it = std::find_if(entry.axes.begin(), entry.axes.end(), [&](const auto& a) { return a.first == param; });
    if (it == entry.axes.end()) {
      entry.axes.emplace_back(param, values);
      entry.axis_lines.push_back(entry.line);
      entry.axis_origins.push_back(where);
    } else {
      it->second = values;
      entry.axis_origins[static_cast<size_t>(it - entry.axes.begin())] = where;
    }
  }
  if (!applied) {
    std::vector<std::string> known;  // the parameters the entries do take, for a suggestion
    for (const auto& entry : entries) {
      if (const ComponentInfo* info = find_component(infos, entry.name); info && !entry.external)
        for (const auto& s : info->params) known.push_back(s.name);
      else
        for (const auto& [name, values] : entry.axes) known.push_back(name);
    }
    problems.push_back(fmt::format("{}: no [[{}s]] entry of {} has a {} with parameter '{}'{}", where, kind,
                                   config.path, kind, param, did_you_mean(param, known)));
  }
}

}  // namespace

ExperimentConfig edit_config(const ExperimentConfig& config, const Suite& suite,
                             const std::vector<std::string>& overrides) {
  const bool has_wildcard =
      std::any_of(config.methods.begin(), config.methods.end(), [](const GridEntry& e) { return e.wildcard(); });
  if (!has_wildcard && overrides.empty()) return config;
  ExperimentConfig out = config;
  std::vector<std::string> problems;
  if (has_wildcard) {
    const auto methods = suite.methods();
    out.methods.clear();
    for (const auto& entry : config.methods) {
      if (!entry.wildcard()) {
        out.methods.push_back(entry);
        continue;
      }
      for (auto& e : expand_wildcard(config, entry, methods, problems)) out.methods.push_back(std::move(e));
    }
  }
  std::map<std::string, std::string> given;  // "kind.param" -> its option
  for (const auto& o : overrides) {
    const std::string target = o.substr(0, o.find('='));
    if (const auto [it, fresh] = given.emplace(target, o); !fresh) {
      problems.push_back(fmt::format("option -s '{}': '{}' is already set by -s '{}' (give every value in one option, "
                                     "e.g. -s {}=a,b)",
                                     o, target, it->second, target));
      continue;
    }
    apply_override(o, out, suite, problems);
  }
  if (!problems.empty()) {
    std::string msg = "invalid config:";
    for (const auto& p : problems) msg += "\n  " + p;
    throw InputError(msg);
  }
  return out;
}

bool glob_match(const std::string& pattern, const std::string& name) {
  return fnmatch(pattern.c_str(), name.c_str(), 0) == 0;
}

}  // namespace sb
