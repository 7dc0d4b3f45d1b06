// Declared, typed parameters of datasets and methods, and the resolved values
// one cell runs with. Canonical JSON of a ParamSet is part of the cell key, so
// its format must never change without bumping versions (see docs/ARCHITECTURE.md,
// "Cells, keys and resume").
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace sb {

enum class ParamType { kBool, kInt, kReal, kString };

// Order matters for std::variant index: bool, int, real, string.
using ParamValue = std::variant<bool, std::int64_t, double, std::string>;

const char* param_type_name(ParamType t);
ParamType param_value_type(const ParamValue& v);
// Human-readable value: 0.1, 42, true, "abc" (strings unquoted).
std::string param_value_to_string(const ParamValue& v);
// JSON value: shortest round-trip for reals, quoted/escaped strings.
std::string param_value_to_json(const ParamValue& v);

struct ParamSpec {
  std::string name;
  ParamType type = ParamType::kReal;
  ParamValue default_value;
  double min = -std::numeric_limits<double>::infinity();  // numeric only, inclusive
  double max = std::numeric_limits<double>::infinity();   // numeric only, inclusive
  std::vector<std::string> choices;  // strings only; empty = any string
  std::string doc;

  // "[0, 0.5]", "{a, b}", or "" when unrestricted.
  std::string range_text() const;
};

// Checks `value` against `spec`; converts an integer given for a real
// parameter. Returns the coerced value, or an error message that names the
// parameter, the value and what is allowed.
struct CheckedValue {
  std::optional<ParamValue> value;
  std::string error;
};
CheckedValue check_param_value(const ParamSpec& spec, const ParamValue& value);

// Resolved parameter values of one dataset or method in one cell.
class ParamSet {
 public:
  ParamSet() = default;
  explicit ParamSet(std::map<std::string, ParamValue> values) : values_(std::move(values)) {}

  void set(const std::string& name, ParamValue value) { values_[name] = std::move(value); }
  bool has(const std::string& name) const { return values_.count(name) > 0; }

  // Typed getters throw InternalError naming the parameter if it is missing
  // or of another type (a bug: configs are validated before cells run).
  bool get_bool(const std::string& name) const;
  std::int64_t get_int(const std::string& name) const;
  double get_real(const std::string& name) const;  // an int value is widened
  const std::string& get_string(const std::string& name) const;

  const std::map<std::string, ParamValue>& values() const { return values_; }

  // Canonical JSON object, keys sorted: {"d":5,"n":100}. Part of cell keys.
  std::string to_json() const;
  // Short label for tables: "d=5,n=100" ("" when empty).
  std::string label() const;

  bool operator==(const ParamSet& o) const { return values_ == o.values_; }

 private:
  std::map<std::string, ParamValue> values_;
};

// Fills defaults for the parameters not given and checks the given ones.
// Throws InputError on unknown names (listing the valid ones) or bad values.
// `where` prefixes messages, e.g. "method 'trimmed-mean'".
ParamSet resolve_params(const std::vector<ParamSpec>& specs,
                        const std::map<std::string, ParamValue>& given,
                        const std::string& where);

// "name[a=1,b=2]" or "name" when there are no parameters (benchopt-style).
std::string component_label(const std::string& name, const ParamSet& params);

}  // namespace sb
