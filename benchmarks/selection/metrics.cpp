#include "benchmarks/selection/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "harness/core/errors.h"

namespace sb::selection {

namespace {
void check_sizes(const std::vector<double>& values, const std::vector<char>& mask, const char* who) {
  SB_THROW_IF_NOT(InternalError, values.size() == mask.size() && !values.empty(),
                  "{}: {} values but {} mask entries", who, values.size(), mask.size());
}

// Average ranks (1-based) with ties sharing the mean of their positions.
std::vector<double> average_ranks(const std::vector<double>& v) {
  std::vector<size_t> order(v.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return v[a] < v[b]; });
  std::vector<double> rank(v.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
    const double r = 0.5 * static_cast<double>(i + j) + 1.0;
    for (size_t t = i; t <= j; ++t) rank[order[t]] = r;
    i = j + 1;
  }
  return rank;
}
}  // namespace

std::vector<char> low_cluster_1d(const std::vector<double>& values) {
  const size_t n = values.size();
  std::vector<char> low(n, 0);
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return values[a] < values[b]; });
  // Prefix sums of the sorted values and their squares give each split's
  // within-cluster sum of squares in O(1); splits only between distinct values.
  std::vector<double> s(n + 1, 0.0), q(n + 1, 0.0);
  for (size_t i = 0; i < n; ++i) {
    const double v = values[order[i]];
    s[i + 1] = s[i] + v;
    q[i + 1] = q[i] + v * v;
  }
  auto sse = [&](size_t from, size_t to) {  // [from, to)
    const double m = static_cast<double>(to - from), sum = s[to] - s[from];
    return (q[to] - q[from]) - sum * sum / m;
  };
  double best = std::numeric_limits<double>::infinity();
  size_t best_split = 0;  // size of the low cluster
  for (size_t split = 1; split < n; ++split) {
    if (values[order[split - 1]] == values[order[split]]) continue;
    const double cost = sse(0, split) + sse(split, n);
    if (cost < best) best = cost, best_split = split;
  }
  for (size_t i = 0; i < best_split; ++i) low[order[i]] = 1;
  return low;
}

double f1_score(const std::vector<char>& predicted, const std::vector<char>& truth) {
  SB_THROW_IF_NOT(InternalError, predicted.size() == truth.size(), "f1: {} vs {} entries",
                  predicted.size(), truth.size());
  double tp = 0, fp = 0, fn = 0;
  for (size_t i = 0; i < truth.size(); ++i) {
    tp += predicted[i] && truth[i];
    fp += predicted[i] && !truth[i];
    fn += !predicted[i] && truth[i];
  }
  return tp == 0 ? 0.0 : 2 * tp / (2 * tp + fp + fn);
}

double noisy_f1_kmeans(const std::vector<double>& values, const std::vector<char>& corrupted) {
  check_sizes(values, corrupted, "noisy_f1_kmeans");
  return f1_score(low_cluster_1d(values), corrupted);
}

std::vector<Eigen::Index> value_order(const std::vector<double>& values, bool lowest_first) {
  std::vector<Eigen::Index> order(values.size());
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  std::stable_sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) {
    const double va = values[static_cast<size_t>(a)], vb = values[static_cast<size_t>(b)];
    return lowest_first ? va < vb : va > vb;
  });
  return order;
}

double precision_at_rate(const std::vector<double>& values, const std::vector<char>& corrupted) {
  check_sizes(values, corrupted, "precision_at_rate");
  const auto m = static_cast<size_t>(std::count(corrupted.begin(), corrupted.end(), 1));
  SB_THROW_IF_NOT(InternalError, m >= 1, "precision_at_rate: no corrupted row");
  const auto order = value_order(values, true);
  size_t hits = 0;
  for (size_t i = 0; i < m; ++i) hits += corrupted[static_cast<size_t>(order[i])] != 0;
  return static_cast<double>(hits) / static_cast<double>(m);
}

double auroc_low_values(const std::vector<double>& values, const std::vector<char>& corrupted) {
  check_sizes(values, corrupted, "auroc_low_values");
  std::vector<double> negated(values.size());
  for (size_t i = 0; i < values.size(); ++i) negated[i] = -values[i];
  const auto rank = average_ranks(negated);
  double positives = 0, rank_sum = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    if (corrupted[i]) positives += 1, rank_sum += rank[i];
  }
  const double negatives = static_cast<double>(values.size()) - positives;
  SB_THROW_IF_NOT(InternalError, positives > 0 && negatives > 0,
                  "auroc_low_values: {} corrupted and {} clean rows", positives, negatives);
  return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives);
}

double curve_area(const std::vector<double>& curve) {
  SB_THROW_IF_NOT(InternalError, !curve.empty(), "curve_area: empty curve");
  return std::accumulate(curve.begin(), curve.end(), 0.0) / static_cast<double>(curve.size());
}

double weighted_accuracy_drop(const std::vector<double>& curve) {
  SB_THROW_IF_NOT(InternalError, !curve.empty(), "weighted_accuracy_drop: empty curve");
  double wad = 0;
  for (size_t j = 1; j < curve.size(); ++j) wad += (curve[0] - curve[j]) / static_cast<double>(j);
  return wad;
}

double spearman(const std::vector<double>& a, const std::vector<double>& b) {
  SB_THROW_IF_NOT(InternalError, a.size() == b.size() && a.size() >= 2, "spearman: {} vs {} entries",
                  a.size(), b.size());
  const auto ra = average_ranks(a), rb = average_ranks(b);
  const double mean = 0.5 * static_cast<double>(a.size() + 1);
  double sab = 0, saa = 0, sbb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    sab += (ra[i] - mean) * (rb[i] - mean);
    saa += (ra[i] - mean) * (ra[i] - mean);
    sbb += (rb[i] - mean) * (rb[i] - mean);
  }
  if (saa == 0 || sbb == 0) return std::numeric_limits<double>::quiet_NaN();
  return sab / std::sqrt(saa * sbb);
}

double relative_l2(const std::vector<double>& v, const std::vector<double>& truth) {
  SB_THROW_IF_NOT(InternalError, v.size() == truth.size(), "relative_l2: {} vs {} entries", v.size(),
                  truth.size());
  double diff = 0, norm = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    diff += (v[i] - truth[i]) * (v[i] - truth[i]);
    norm += truth[i] * truth[i];
  }
  if (norm == 0) return std::numeric_limits<double>::quiet_NaN();
  return std::sqrt(diff / norm);
}

double linear_datamodeling_score(const Eigen::MatrixXd& masks, const Eigen::MatrixXd& outputs,
                                 const Eigen::MatrixXd& attribution) {
  const Eigen::MatrixXd predicted = masks * attribution;  // subsets x m
  double total = 0;
  int defined = 0;
  for (Eigen::Index t = 0; t < outputs.cols(); ++t) {
    const Eigen::VectorXd p = predicted.col(t), o = outputs.col(t);
    const double rho = spearman({p.data(), p.data() + p.size()}, {o.data(), o.data() + o.size()});
    if (std::isnan(rho)) continue;
    total += rho;
    ++defined;
  }
  return defined > 0 ? total / defined : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace sb::selection
