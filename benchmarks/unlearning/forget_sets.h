// Forget sets: which training rows a deletion request names
// (docs/UNLEARNING.md, "Forget sets"). Each returns sorted row indices.
#pragma once

#include <Eigen/Dense>

#include <cstdint>
#include <string>
#include <vector>

#include "datasets/table.h"

namespace sb::unlearning {

struct ForgetSetOptions {
  std::string kind = "random";  // random | class | cluster | mislabeled
  double fraction = 0.05;       // random: share of rows; mislabeled: share of labels flipped
  std::int64_t forget_class = 0;  // class, cluster
  std::int64_t clusters = 5;      // cluster: k of k-means within the class
};

// The forget set of `train` for `options`, drawn from `seed`:
//   random:     max(1, round(fraction * n)) rows uniformly without replacement;
//   class:      every row of class forget_class;
//   cluster:    k-means (k = min(clusters, rows of the class)) on the rows of
//               class forget_class; the cluster of one of those rows drawn
//               uniformly (so a cluster is drawn with probability
//               proportional to its size);
//   mislabeled: round(fraction * n) labels of `train` flipped to another
//               class (datasets/corruption.h flip_labels; `train` changes);
//               the forget set is exactly the flipped rows.
// Throws InputError when the set would be empty or the whole training split.
std::vector<Eigen::Index> draw_forget_set(data::Table& train, const ForgetSetOptions& options, std::uint64_t seed);

}  // namespace sb::unlearning
