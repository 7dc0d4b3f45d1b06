#include "datasets/synthetic.h"

#include <random>

#include "datasets/random.h"
#include "harness/core/errors.h"

namespace sb::data {

Table gaussian_classifier(const GaussianClassifierOptions& o, std::uint64_t seed) {
  SB_THROW_IF_NOT(InputError, o.n >= 1 && o.d >= 1 && o.classes >= 2,
                  "gaussian-classifier: n = {}, d = {}, classes = {} (need n, d >= 1, classes >= 2)",
                  o.n, o.d, o.classes);
  std::mt19937_64 rng(seed);
  Eigen::MatrixXd means(o.classes, o.d);
  for (int c = 0; c < o.classes; ++c) {
    for (Eigen::Index j = 0; j < o.d; ++j) means(c, j) = o.separation * standard_normal(rng);
  }
  Table t;
  t.num_classes = o.classes;
  for (int c = 0; c < o.classes; ++c) t.class_names.push_back("class_" + std::to_string(c));
  t.x.resize(o.n, o.d);
  t.y.resize(o.n);
  for (Eigen::Index i = 0; i < o.n; ++i) {
    t.y(i) = static_cast<int>(uniform_index(rng, static_cast<std::uint64_t>(o.classes)));
    for (Eigen::Index j = 0; j < o.d; ++j) t.x(i, j) = means(t.y(i), j) + standard_normal(rng);
  }
  return t;
}

}  // namespace sb::data
