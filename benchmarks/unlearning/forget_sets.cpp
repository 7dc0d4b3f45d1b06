#include "benchmarks/unlearning/forget_sets.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "datasets/corruption.h"
#include "datasets/random.h"
#include "estimators/models/kmeans.h"
#include "estimators/models/linear.h"
#include "harness/core/errors.h"

namespace sb::unlearning {
namespace {

std::vector<Eigen::Index> rows_of_class(const data::Table& t, std::int64_t c) {
  std::vector<Eigen::Index> out;
  for (Eigen::Index i = 0; i < t.rows(); ++i)
    if (t.y(i) == c) out.push_back(i);
  return out;
}

}  // namespace

std::vector<Eigen::Index> draw_forget_set(data::Table& train, const ForgetSetOptions& o, std::uint64_t seed) {
  const Eigen::Index n = train.rows();
  std::mt19937_64 rng(seed);
  std::vector<Eigen::Index> forget;
  if (o.kind == "random") {
    const auto m = std::max<Eigen::Index>(1, std::llround(o.fraction * static_cast<double>(n)));
    forget = data::draw_without_replacement(n, std::min(m, n), rng);
  } else if (o.kind == "class" || o.kind == "cluster") {
    SB_THROW_IF_NOT(InputError, o.forget_class < train.num_classes, "forget set: forget_class = {} but {} classes",
                    o.forget_class, train.num_classes);
    const auto members = rows_of_class(train, o.forget_class);
    SB_THROW_IF_NOT(InputError, !members.empty(), "forget set: the training split has no row of class {}",
                    o.forget_class);
    if (o.kind == "class") {
      forget = members;
    } else {
      const int k = static_cast<int>(std::min<std::int64_t>(o.clusters, static_cast<std::int64_t>(members.size())));
      const auto clustering = models::kmeans(models::select_rows(train.x, members), k, rng());
      const int chosen = clustering.assignment(static_cast<Eigen::Index>(data::uniform_index(rng, members.size())));
      for (size_t j = 0; j < members.size(); ++j)
        if (clustering.assignment(static_cast<Eigen::Index>(j)) == chosen) forget.push_back(members[j]);
    }
  } else if (o.kind == "mislabeled") {
    const auto flipped = data::flip_labels(train, o.fraction, rng);
    for (Eigen::Index i = 0; i < n; ++i)
      if (flipped[static_cast<size_t>(i)]) forget.push_back(i);
  } else {
    throw InputError("forget set: unknown kind '{}' (random, class, cluster, mislabeled)", o.kind);
  }
  std::sort(forget.begin(), forget.end());
  SB_THROW_IF_NOT(InputError, !forget.empty() && static_cast<Eigen::Index>(forget.size()) < n,
                  "forget set '{}': {} of {} training rows (must be at least one and leave one)", o.kind,
                  forget.size(), n);
  return forget;
}

}  // namespace sb::unlearning
