// k-means++: Arthur & Vassilvitskii (2007), SODA; Lloyd (1982), IEEE Trans. Inf. Theory 28(2)
#include "estimators/models/kmeans.h"

#include <limits>
#include <random>

#include "harness/core/errors.h"

namespace sb::models {

namespace {
double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

// Nearest center of every row; returns whether any assignment changed.
bool assign(const Eigen::MatrixXd& x, const Eigen::MatrixXd& centers, Eigen::Index used, KMeansResult& r) {
  bool changed = false;
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    double best = std::numeric_limits<double>::infinity();
    int arg = 0;
    for (Eigen::Index c = 0; c < used; ++c) {
      const double d = (x.row(i) - centers.row(c)).squaredNorm();
      if (d < best) best = d, arg = static_cast<int>(c);
    }
    changed = changed || r.assignment(i) != arg;
    r.assignment(i) = arg;
    r.distance2(i) = best;
  }
  return changed;
}
}  // namespace

KMeansResult kmeans(const Eigen::MatrixXd& x, int k, std::uint64_t seed, int max_iterations) {
  const Eigen::Index n = x.rows();
  SB_THROW_IF_NOT(InputError, k >= 1 && k <= n, "kmeans: k = {} for {} rows", k, n);
  std::mt19937_64 rng(seed);
  KMeansResult r;
  r.centers.resize(k, x.cols());
  r.assignment = Eigen::VectorXi::Constant(n, -1);
  r.distance2.resize(n);
  r.centers.row(0) = x.row(static_cast<Eigen::Index>(rng() % static_cast<std::uint64_t>(n)));
  for (Eigen::Index c = 1; c < k; ++c) {
    assign(x, r.centers, c, r);
    const double total = r.distance2.sum();
    Eigen::Index pick = static_cast<Eigen::Index>(rng() % static_cast<std::uint64_t>(n));
    if (total > 0) {  // all rows on the centers so far: any row
      double target = uniform01(rng) * total;
      for (pick = 0; pick < n - 1; ++pick) {
        target -= r.distance2(pick);
        if (target < 0) break;
      }
    }
    r.centers.row(c) = x.row(pick);
  }
  for (r.iterations = 0; r.iterations < max_iterations; ++r.iterations) {
    if (!assign(x, r.centers, k, r) && r.iterations > 0) break;
    Eigen::MatrixXd sum = Eigen::MatrixXd::Zero(k, x.cols());
    Eigen::VectorXd count = Eigen::VectorXd::Zero(k);
    for (Eigen::Index i = 0; i < n; ++i) sum.row(r.assignment(i)) += x.row(i), count(r.assignment(i)) += 1;
    for (Eigen::Index c = 0; c < k; ++c) {
      if (count(c) > 0) r.centers.row(c) = sum.row(c) / count(c);
    }
  }
  assign(x, r.centers, k, r);
  return r;
}

}  // namespace sb::models
