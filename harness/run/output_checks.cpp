#include "harness/run/output_checks.h"

#include <cmath>
#include <string_view>
#include <unordered_set>

#include "harness/core/errors.h"

namespace sb {

namespace {

bool allowed_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == ':' || c == '/' || c == '+' || c == '@' || c == '=' || c == '-';
}

// Quoted for a message; an absurdly long name is cut (it may be the very
// problem being reported).
std::string shown(const std::string& name) {
  constexpr std::size_t kShown = 80;
  if (name.size() <= kShown) return "'" + name + "'";
  return fmt::format("'{}...' ({} characters)", name.substr(0, kShown), name.size());
}

}  // namespace

bool is_valid_output_name(const std::string& name, const OutputLimits& limits) {
  if (name.empty() || name.size() > limits.max_name_length) return false;
  for (char c : name) {
    if (!allowed_char(c)) return false;
  }
  return true;
}

void check_cell_output(const CellOutput& output, const std::vector<MetricInfo>& declared,
                       const OutputLimits& limits) {
  if (output.metrics.size() > limits.max_metrics) {
    throw MethodError("cell output has {} metrics (limit {})", output.metrics.size(), limits.max_metrics);
  }
  std::unordered_set<std::string_view> seen;
  seen.reserve(output.metrics.size());
  for (const auto& [name, value] : output.metrics) {
    if (!is_valid_output_name(name, limits)) {
      throw MethodError("metric name {} is not allowed (1-{} characters of A-Z a-z 0-9 _ . : / + @ = -)",
                        shown(name), limits.max_name_length);
    }
    if (!seen.insert(name).second) throw MethodError("metric {} is reported twice", shown(name));
    if (!std::isfinite(value)) {
      const MetricInfo* info = find_metric_info(name, declared);
      if (!info || !info->may_be_nonfinite) {
        throw MethodError("metric {} is non-finite ({}), which its suite does not allow", shown(name), value);
      }
    }
  }
  std::unordered_set<std::string_view> seen_artifacts;
  std::size_t values = 0;
  for (const auto& artifact : output.artifacts) {
    if (!is_valid_output_name(artifact.name, limits)) {
      throw MethodError("artifact name {} is not allowed (1-{} characters of A-Z a-z 0-9 _ . : / + @ = -)",
                        shown(artifact.name), limits.max_name_length);
    }
    if (!seen_artifacts.insert(artifact.name).second) {
      throw MethodError("artifact {} is reported twice", shown(artifact.name));
    }
    values += artifact.values.size();
    if (values > limits.max_artifact_values) {
      throw MethodError("artifacts of one cell exceed {} values (at artifact {})", limits.max_artifact_values,
                        shown(artifact.name));
    }
  }
}

}  // namespace sb
