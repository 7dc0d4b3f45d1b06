// Split selection cells (docs/ARCHITECTURE.md, "Split cells"): a method whose
// values are the mean of a fixed number of independent units (Valuer::split)
// runs as parts of units anywhere; the cell adds the parts' sums in part
// order, so its values and metrics are bitwise the same on any rank count.
#include <chrono>

#include "benchmarks/selection/protocol.h"
#include "harness/core/errors.h"
#include "harness/core/suite.h"

namespace sb::selection {

namespace {

const ValuerRegistry::Entry& find_valuer(const std::string& method) {
  const auto* entry = ValuerRegistry::instance().find(method);
  if (!entry) throw InputError("selection: unknown method '{}'", method);
  return *entry;
}

const std::vector<double>& unit_sum_of(const CellOutput& part) {
  for (const auto& a : part.artifacts)
    if (a.name == "unit_sum") return a.values;
  throw InternalError("selection: a part of a split cell has no unit_sum artifact");
}

}  // namespace

std::optional<Valuer::Split> valuer_split(const std::string& method, const ParamSet& method_params) {
  const auto* entry = ValuerRegistry::instance().find(method);
  if (!entry) return std::nullopt;  // unknown names are reported by validation
  return entry->make(method_params)->split();
}

CellOutput run_valuer_part(const Prepared& prepared, const std::string& method, const ParamSet& method_params,
                           std::uint64_t seed, std::uint64_t begin, std::uint64_t end) {
  const Utility utility(prepared.data, prepared.utility);
  ValuationContext ctx;
  ctx.data = &prepared.data;
  ctx.utility = &utility;
  ctx.seed = derive_seed(seed, "selection/method");  // as run_valuer: a unit's draws depend on it and its index
  const auto start = std::chrono::steady_clock::now();
  const Eigen::VectorXd sum = find_valuer(method).make(method_params)->unit_sum(ctx, begin, end);
  CellOutput out;
  out.method_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  SB_THROW_IF_NOT(InternalError, sum.size() == prepared.data.train.rows(),
                  "method '{}': a part summed {} values for {} training rows", method, sum.size(),
                  prepared.data.train.rows());
  out.metrics.emplace_back("model_fits", static_cast<double>(utility.fits()));
  out.artifacts.push_back({"unit_sum", {sum.data(), sum.data() + sum.size()}});
  return out;
}

CellOutput reduce_valuer_parts(const Prepared& prepared, const std::string& method, const ParamSet& method_params,
                               const std::vector<const CellOutput*>& parts) {
  const auto split = valuer_split(method, method_params);
  SB_THROW_IF_NOT(InternalError, split && !parts.empty(), "selection: method '{}' is split but has {} parts",
                  method, parts.size());
  const auto n = prepared.data.train.rows();
  Eigen::VectorXd sum = Eigen::VectorXd::Zero(n);
  double fits = 0, seconds = 0;
  for (const CellOutput* part : parts) {  // part order, never arrival order
    const auto& s = unit_sum_of(*part);
    SB_THROW_IF_NOT(InternalError, static_cast<Eigen::Index>(s.size()) == n,
                    "selection: a part of '{}' holds {} sums for {} rows", method, s.size(), n);
    sum += Eigen::Map<const Eigen::VectorXd>(s.data(), n);
    for (const auto& [name, value] : part->metrics)
      if (name == "model_fits") fits += value;
    seconds += part->method_seconds;
  }
  const Eigen::VectorXd values = sum / static_cast<double>(split->units);
  return graded_output(prepared, method, Valuation{values, {}}, static_cast<std::int64_t>(fits), seconds);
}

}  // namespace sb::selection
