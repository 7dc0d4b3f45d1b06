#include "harness/cli/args.h"

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <cstdlib>

#include "harness/core/errors.h"
#include "harness/core/suggest.h"

namespace sb {

Args::Args(const CommandSpec& spec, const std::vector<std::string>& argv) {
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "--help" || a == "-h") {
      help_ = true;
      return;
    }
    const bool long_option = a.size() > 2 && a.rfind("--", 0) == 0;
    const bool short_option = a.size() == 2 && a[0] == '-' && a[1] != '-' && !std::isdigit(a[1]);
    if (long_option || short_option) {
      std::string name = a, inline_value;
      bool has_inline = false;
      if (auto eq = a.find('='); eq != std::string::npos) {
        name = a.substr(0, eq);
        inline_value = a.substr(eq + 1);
        has_inline = true;
      }
      const OptionSpec* opt = nullptr;
      for (const auto& o : spec.options)
        if (o.name == name) opt = &o;
      if (!opt) {
        std::vector<std::string> names;
        for (const auto& o : spec.options) names.push_back(o.name);
        throw InputError("unknown option '{}' for 'shardbench {}'{} (see shardbench {} --help)", name, spec.name,
                         did_you_mean(name, names), spec.name);
      }
      if (opt->value_name.empty()) {
        if (has_inline) throw InputError("option '{}' takes no value", name);
        flags_.insert(name);
      } else if (has_inline) {
        values_[name] = inline_value;
        all_values_[name].push_back(inline_value);
      } else {
        if (i + 1 >= argv.size()) throw InputError("option '{}' needs a value ({})", name, opt->value_name);
        values_[name] = argv[++i];
        all_values_[name].push_back(values_[name]);
      }
    } else {
      positional_.push_back(a);
    }
  }
  if (positional_.size() < spec.min_positional || positional_.size() > spec.max_positional) {
    throw InputError("usage: shardbench {} {} (see shardbench {} --help)", spec.name, spec.synopsis, spec.name);
  }
}

std::vector<std::string> Args::values(const std::string& name) const {
  auto it = all_values_.find(name);
  return it == all_values_.end() ? std::vector<std::string>{} : it->second;
}

std::optional<std::string> Args::value(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Args::value_or(const std::string& name, const std::string& fallback) const {
  auto v = value(name);
  return v ? *v : fallback;
}

double Args::number_or(const std::string& name, double fallback, double min, double max) const {
  auto v = value(name);
  if (!v) return fallback;
  char* end = nullptr;
  double x = std::strtod(v->c_str(), &end);
  if (v->empty() || *end != '\0' || !std::isfinite(x) || x < min || x > max) {
    throw InputError("option {} = '{}' must be a number in [{}, {}]", name, *v, min, max);
  }
  return x;
}

std::string command_help(const CommandSpec& spec) {
  std::string out = fmt::format("usage: shardbench {} {}\n\n{}\n", spec.name, spec.synopsis, spec.description);
  if (!spec.options.empty()) {
    out += "\noptions:\n";
    for (const auto& o : spec.options) {
      std::string left = o.name + (o.value_name.empty() ? "" : " " + o.value_name);
      out += fmt::format("  {:<22} {}\n", left, o.help);
    }
  }
  out += fmt::format("  {:<22} {}\n", "--help", "show this help");
  return out;
}

}  // namespace sb
