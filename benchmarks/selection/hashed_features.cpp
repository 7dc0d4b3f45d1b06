#include "benchmarks/selection/hashed_features.h"

#include <algorithm>
#include <cmath>

#include "harness/core/errors.h"

namespace sb::selection {

namespace {

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

int bucket_of(std::initializer_list<std::uint64_t> fields, int buckets) {
  std::uint64_t h = 0;
  for (std::uint64_t f : fields) h = splitmix64(h ^ f);
  return static_cast<int>(h % static_cast<std::uint64_t>(buckets));
}

void check(const HashedFeatureOptions& o) {
  SB_THROW_IF_NOT(InputError, o.buckets >= 1 && o.bins >= 1 && o.range > 0,
                  "hashed features: buckets = {}, bins = {}, range = {} (need >= 1, >= 1, > 0)", o.buckets, o.bins,
                  o.range);
}

}  // namespace

int quantise(double value, const HashedFeatureOptions& o) {
  const double position = std::floor((value + o.range) / (2 * o.range) * o.bins);
  if (!(position >= 0)) return 0;  // also NaN
  return static_cast<int>(std::min<double>(position, o.bins - 1));
}

int unigram_bucket(Eigen::Index column, int bin, const HashedFeatureOptions& o) {
  return bucket_of({1, static_cast<std::uint64_t>(column), static_cast<std::uint64_t>(bin)}, o.buckets);
}

int bigram_bucket(Eigen::Index column, int bin, int next_bin, const HashedFeatureOptions& o) {
  return bucket_of({2, static_cast<std::uint64_t>(column), static_cast<std::uint64_t>(bin),
                    static_cast<std::uint64_t>(next_bin)},
                   o.buckets);
}

Eigen::MatrixXd hashed_counts(const Eigen::MatrixXd& x, const HashedFeatureOptions& o) {
  check(o);
  Eigen::MatrixXd counts = Eigen::MatrixXd::Zero(x.rows(), o.buckets);
  std::vector<int> bins(static_cast<size_t>(x.cols()));
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    for (Eigen::Index j = 0; j < x.cols(); ++j) bins[static_cast<size_t>(j)] = quantise(x(i, j), o);
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
      counts(i, unigram_bucket(j, bins[static_cast<size_t>(j)], o)) += 1;
      if (o.bigrams && j + 1 < x.cols())
        counts(i, bigram_bucket(j, bins[static_cast<size_t>(j)], bins[static_cast<size_t>(j + 1)], o)) += 1;
    }
  }
  return counts;
}

Eigen::VectorXd smoothed_distribution(const Eigen::MatrixXd& counts, const std::vector<Eigen::Index>& rows) {
  Eigen::VectorXd total = Eigen::VectorXd::Zero(counts.cols());
  if (rows.empty()) {
    total = counts.colwise().sum().transpose();
  } else {
    for (Eigen::Index r : rows) total += counts.row(r).transpose();
  }
  total.array() += 1.0;
  return total / total.sum();
}

double kl_divergence(const Eigen::VectorXd& p, const Eigen::VectorXd& q) {
  SB_THROW_IF_NOT(InternalError, p.size() == q.size(), "kl_divergence: {} vs {} entries", p.size(), q.size());
  double kl = 0;
  for (Eigen::Index b = 0; b < p.size(); ++b) {
    if (p(b) > 0) kl += p(b) * std::log(p(b) / q(b));
  }
  return kl;
}

}  // namespace sb::selection
