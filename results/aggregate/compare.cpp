#include "results/aggregate/compare.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "harness/core/errors.h"
#include "results/aggregate/labels.h"

namespace sb {

const char* verdict_name(CompareVerdict v) {
  switch (v) {
    case CompareVerdict::kBetter: return "better";
    case CompareVerdict::kWorse: return "worse";
    case CompareVerdict::kDiffers: return "differs";
    case CompareVerdict::kNotSignificant: return "n.s.";
    case CompareVerdict::kNotAvailable: return "n/a";
  }
  return "?";
}

namespace {

// One side: per arm, per seed, the ok cell that finished last.
using SideCells = std::map<ArmId, std::map<std::int64_t, const CellRecord*>>;

SideCells index_side(const std::vector<CellRecord>& records) {
  SideCells side;
  for (const auto& r : records) {
    if (r.status != CellStatus::kOk) continue;
    const CellRecord*& slot = side[ArmId{r.suite, r.dataset_label, r.method_label}][r.seed];
    if (slot == nullptr || slot->finished_at <= r.finished_at) slot = &r;
  }
  return side;
}

std::optional<double> finite_value(const CellRecord& r, const std::string& metric) {
  for (const auto& [name, value] : r.metrics)
    if (name == metric && std::isfinite(value)) return value;
  return std::nullopt;
}

CompareVerdict verdict_of(const ArmComparison& arm, double alpha) {
  if (arm.n_pairs < 2) return CompareVerdict::kNotAvailable;
  if (!(arm.wilcoxon.p_value < alpha)) return CompareVerdict::kNotSignificant;
  if (arm.direction == MetricDirection::kUnknown) return CompareVerdict::kDiffers;
  const bool up = arm.wilcoxon.w_plus > arm.wilcoxon.w_minus;  // b above a
  return up == (arm.direction == MetricDirection::kHigherIsBetter) ? CompareVerdict::kBetter
                                                                   : CompareVerdict::kWorse;
}

ArmComparison compare_arm(const ArmId& id, const std::string& metric, const std::vector<MetricInfo>& infos,
                          const std::map<std::int64_t, const CellRecord*>& a,
                          const std::map<std::int64_t, const CellRecord*>& b, double alpha) {
  ArmComparison arm;
  arm.suite = id.suite;
  arm.dataset_label = id.dataset_label;
  arm.method_label = id.method_label;
  arm.metric = metric;
  arm.direction = metric_direction(metric, infos);
  std::vector<double> xa, xb;
  std::set<std::int64_t> seeds;
  for (const auto& [seed, r] : a) seeds.insert(seed);
  for (const auto& [seed, r] : b) seeds.insert(seed);
  for (const auto seed : seeds) {
    const auto ia = a.find(seed), ib = b.find(seed);
    const auto va = ia == a.end() ? std::nullopt : finite_value(*ia->second, metric);
    const auto vb = ib == b.end() ? std::nullopt : finite_value(*ib->second, metric);
    if (va && vb) {
      xa.push_back(*va);
      xb.push_back(*vb);
    } else if (va || vb) {
      ++arm.n_unpaired;
    }
  }
  arm.n_pairs = xa.size();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  arm.mean_a = xa.empty() ? nan : stats::mean(xa);
  arm.mean_b = xb.empty() ? nan : stats::mean(xb);
  arm.difference = arm.mean_b - arm.mean_a;
  arm.relative = arm.mean_a != 0 ? arm.difference / std::fabs(arm.mean_a) : nan;
  arm.wilcoxon = stats::wilcoxon_signed_rank(xb, xa);
  arm.t = stats::paired_t_test(xb, xa);
  arm.verdict = verdict_of(arm, alpha);
  return arm;
}

}  // namespace

Comparison compare_results(const std::vector<CellRecord>& a, const std::vector<CellRecord>& b,
                           const std::map<std::string, std::vector<MetricInfo>>& infos,
                           const CompareOptions& options) {
  SB_THROW_IF_NOT(InputError, options.alpha > 0 && options.alpha < 1, "compare: alpha = {} must be in (0, 1)",
                  options.alpha);
  const SideCells side_a = index_side(a), side_b = index_side(b);
  Comparison out;
  out.alpha = options.alpha;
  std::set<std::string> metrics_seen;
  for (const auto* records : {&a, &b})
    for (const auto& r : *records)
      for (const auto& [name, value] : r.metrics) metrics_seen.insert(name);
  for (const auto& m : options.metrics)
    SB_THROW_IF_NOT(InputError, metrics_seen.count(m) > 0, "compare: no cell on either side has metric '{}'", m);
  static const std::vector<MetricInfo> kNoInfos;
  for (const auto& [id, cells_a] : side_a) {
    const auto ib = side_b.find(id);
    if (ib == side_b.end()) {
      out.only_in_a.push_back(id);
      continue;
    }
    const auto it = infos.find(id.suite);
    const auto& suite_infos = it == infos.end() ? kNoInfos : it->second;
    std::vector<std::string> metrics = options.metrics;
    if (metrics.empty()) {
      const std::string primary = primary_metric(suite_infos);
      SB_THROW_IF_NOT(InputError, !primary.empty(),
                      "compare: suite '{}' declares no metric with a direction; choose one with --metric",
                      id.suite);
      metrics.push_back(primary);
    }
    for (const auto& metric : metrics)
      out.arms.push_back(compare_arm(id, metric, suite_infos, cells_a, ib->second, options.alpha));
  }
  for (const auto& [id, cells] : side_b)
    if (!side_a.count(id)) out.only_in_b.push_back(id);
  SB_THROW_IF_NOT(InputError, !out.arms.empty(),
                  "compare: no arm (suite, dataset, method) has ok cells on both sides ({} arms only in A, "
                  "{} only in B)",
                  out.only_in_a.size(), out.only_in_b.size());
  return out;
}

void shorten_labels(Comparison& comparison) {
  std::map<std::string, std::pair<std::vector<std::string>, std::vector<std::string>>> labels;
  auto collect = [&](const std::string& suite, const std::string& dataset, const std::string& method) {
    labels[suite].first.push_back(dataset);
    labels[suite].second.push_back(method);
  };
  for (const auto& arm : comparison.arms) collect(arm.suite, arm.dataset_label, arm.method_label);
  for (const auto* ids : {&comparison.only_in_a, &comparison.only_in_b})
    for (const auto& id : *ids) collect(id.suite, id.dataset_label, id.method_label);
  std::map<std::string, std::pair<std::map<std::string, std::string>, std::map<std::string, std::string>>> shorter;
  for (const auto& [suite, l] : labels) shorter[suite] = {short_labels(l.first), short_labels(l.second)};
  auto rewrite = [&](const std::string& suite, std::string& dataset, std::string& method) {
    dataset = shorter.at(suite).first.at(dataset);
    method = shorter.at(suite).second.at(method);
  };
  for (auto& arm : comparison.arms) rewrite(arm.suite, arm.dataset_label, arm.method_label);
  for (auto* ids : {&comparison.only_in_a, &comparison.only_in_b})
    for (auto& id : *ids) rewrite(id.suite, id.dataset_label, id.method_label);
}

}  // namespace sb
