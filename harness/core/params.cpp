#include "harness/core/params.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <charconv>
#include <cmath>

#include "harness/core/errors.h"
#include "harness/core/json.h"
#include "harness/core/suggest.h"

namespace sb {

const char* param_type_name(ParamType t) {
  switch (t) {
    case ParamType::kBool: return "bool";
    case ParamType::kInt: return "int";
    case ParamType::kReal: return "real";
    case ParamType::kString: return "string";
  }
  return "?";
}

ParamType param_value_type(const ParamValue& v) {
  return static_cast<ParamType>(v.index());
}

std::string param_value_to_string(const ParamValue& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return param_value_to_json(v);
}

std::string param_value_to_json(const ParamValue& v) {
  switch (param_value_type(v)) {
    case ParamType::kBool: return std::get<bool>(v) ? "true" : "false";
    case ParamType::kInt: return std::to_string(std::get<std::int64_t>(v));
    case ParamType::kReal: return json_number(std::get<double>(v));
    case ParamType::kString: return json_quote(std::get<std::string>(v));
  }
  return "null";
}

std::string ParamSpec::range_text() const {
  if (type == ParamType::kString) {
    if (choices.empty()) return "";
    std::string out = "{";
    for (size_t i = 0; i < choices.size(); ++i) out += (i ? ", " : "") + choices[i];
    return out + "}";
  }
  if (type == ParamType::kBool) return "";
  if (std::isinf(min) && std::isinf(max)) return "";
  auto bound = [&](double b) {
    if (std::isinf(b)) return std::string(b < 0 ? "-inf" : "inf");
    return type == ParamType::kInt ? fmt::format("{}", static_cast<std::int64_t>(b)) : json_number(b);
  };
  return fmt::format("[{}, {}]", bound(min), bound(max));
}

namespace {

// A value as a message shows it: JSON, except that non-finite reals (which
// JSON spells null) keep their TOML spelling.
std::string message_text(const ParamValue& v) {
  if (const auto* x = std::get_if<double>(&v); x && !std::isfinite(*x)) {
    return std::isnan(*x) ? "nan" : (*x < 0 ? "-inf" : "inf");
  }
  return param_value_to_json(v);
}

}  // namespace

CheckedValue check_param_value(const ParamSpec& spec, const ParamValue& value) {
  ParamValue v = value;
  // An integer literal is a fine value for a real parameter (toml `trim = 0` ).
  if (spec.type == ParamType::kReal && param_value_type(v) == ParamType::kInt) {
    v = static_cast<double>(std::get<std::int64_t>(v));
  }
  if (param_value_type(v) != spec.type) {
    return {std::nullopt, fmt::format("parameter '{}' must be of type {}, got {} ({})", spec.name,
                                      param_type_name(spec.type), param_type_name(param_value_type(v)),
                                      message_text(v))};
  }
  if (spec.type == ParamType::kInt || spec.type == ParamType::kReal) {
    double x = spec.type == ParamType::kInt ? static_cast<double>(std::get<std::int64_t>(v))
                                            : std::get<double>(v);
    if (!std::isfinite(x) || x < spec.min || x > spec.max) {
      return {std::nullopt, fmt::format("parameter '{}' = {} is out of range {}", spec.name,
                                        message_text(v), spec.range_text())};
    }
  }
  if (spec.type == ParamType::kString && !spec.choices.empty()) {
    const auto& s = std::get<std::string>(v);
    bool found = false;
    for (const auto& c : spec.choices) found = found || c == s;
    if (!found) {
      return {std::nullopt, fmt::format("parameter '{}' = \"{}\" is not one of {}{}", spec.name, s,
                                        spec.range_text(), did_you_mean(s, spec.choices))};
    }
  }
  return {std::move(v), ""};
}

namespace {
const ParamValue& lookup(const std::map<std::string, ParamValue>& values, const std::string& name,
                         ParamType want) {
  auto it = values.find(name);
  if (it == values.end()) throw InternalError("parameter '{}' is not set", name);
  if (param_value_type(it->second) != want &&
      !(want == ParamType::kReal && param_value_type(it->second) == ParamType::kInt)) {
    throw InternalError("parameter '{}' is a {}, read as {}", name,
                        param_type_name(param_value_type(it->second)), param_type_name(want));
  }
  return it->second;
}
}  // namespace

bool ParamSet::get_bool(const std::string& name) const {
  return std::get<bool>(lookup(values_, name, ParamType::kBool));
}
std::int64_t ParamSet::get_int(const std::string& name) const {
  return std::get<std::int64_t>(lookup(values_, name, ParamType::kInt));
}
double ParamSet::get_real(const std::string& name) const {
  const auto& v = lookup(values_, name, ParamType::kReal);
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  return std::get<double>(v);
}
const std::string& ParamSet::get_string(const std::string& name) const {
  return std::get<std::string>(lookup(values_, name, ParamType::kString));
}

std::string ParamSet::to_json() const {
  std::string out = "{";
  bool first = true;
  for (const auto& [k, v] : values_) {
    if (!first) out += ',';
    first = false;
    out += json_quote(k);
    out += ':';
    out += param_value_to_json(v);
  }
  return out + "}";
}

std::string ParamSet::label() const {
  std::string out;
  for (const auto& [k, v] : values_) {
    if (!out.empty()) out += ',';
    out += k + "=" + param_value_to_string(v);
  }
  return out;
}

ParamSet resolve_params(const std::vector<ParamSpec>& specs,
                        const std::map<std::string, ParamValue>& given, const std::string& where) {
  for (const auto& [name, value] : given) {
    bool known = false;
    for (const auto& s : specs) known = known || s.name == name;
    if (!known) {
      std::vector<std::string> names;
      for (const auto& s : specs) names.push_back(s.name);
      throw InputError("{}: unknown parameter '{}'{} (valid: {})", where, name, did_you_mean(name, names),
                       names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", ")));
    }
  }
  ParamSet out;
  for (const auto& spec : specs) {
    auto it = given.find(spec.name);
    const ParamValue& raw = it == given.end() ? spec.default_value : it->second;
    auto checked = check_param_value(spec, raw);
    if (!checked.value) throw InputError("{}: {}", where, checked.error);
    out.set(spec.name, *checked.value);
  }
  return out;
}

std::string component_label(const std::string& name, const ParamSet& params) {
  auto l = params.label();
  return l.empty() ? name : name + "[" + l + "]";
}

}  // namespace sb
