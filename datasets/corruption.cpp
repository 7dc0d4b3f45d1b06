#include "datasets/corruption.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "datasets/random.h"
#include "harness/core/errors.h"

namespace sb::data {

namespace {
Eigen::Index count_of(double share, Eigen::Index n) {
  return static_cast<Eigen::Index>(std::llround(share * static_cast<double>(n)));
}
}  // namespace

std::vector<char> flip_labels(Table& t, double rate, std::mt19937_64& rng) {
  SB_THROW_IF_NOT(InputError, rate >= 0 && rate <= 0.5, "label flips: rate {} not in [0, 0.5]", rate);
  SB_THROW_IF_NOT(InputError, t.is_classification() && t.num_classes >= 2,
                  "label flips need a classification table with >= 2 classes");
  std::vector<char> mask(static_cast<size_t>(t.rows()), 0);
  for (Eigen::Index r : draw_without_replacement(t.rows(), count_of(rate, t.rows()), rng)) {
    const auto shift = 1 + uniform_index(rng, static_cast<std::uint64_t>(t.num_classes - 1));
    t.y(r) = static_cast<int>((static_cast<std::uint64_t>(t.y(r)) + shift) %
                              static_cast<std::uint64_t>(t.num_classes));
    mask[static_cast<size_t>(r)] = 1;
  }
  return mask;
}

std::vector<char> add_feature_noise(Table& t, double fraction, double scale, std::mt19937_64& rng) {
  SB_THROW_IF_NOT(InputError, fraction >= 0 && fraction <= 1 && scale >= 0,
                  "feature noise: fraction {} not in [0, 1] or scale {} < 0", fraction, scale);
  const Eigen::RowVectorXd mean = t.x.colwise().mean();
  Eigen::RowVectorXd sd =
      ((t.x.rowwise() - mean).array().square().colwise().sum() / static_cast<double>(t.rows())).sqrt();
  for (Eigen::Index j = 0; j < sd.size(); ++j) {
    if (!(sd(j) > 0)) sd(j) = 1.0;
  }
  std::vector<char> mask(static_cast<size_t>(t.rows()), 0);
  for (Eigen::Index r : draw_without_replacement(t.rows(), count_of(fraction, t.rows()), rng)) {
    for (Eigen::Index j = 0; j < t.x.cols(); ++j) t.x(r, j) += scale * sd(j) * standard_normal(rng);
    mask[static_cast<size_t>(r)] = 1;
  }
  return mask;
}

std::vector<char> add_target_noise(Table& t, double rate, double scale, std::mt19937_64& rng) {
  SB_THROW_IF_NOT(InputError, !t.is_classification() && t.target.size() == t.rows(),
                  "target noise: the table is not a regression table");
  SB_THROW_IF_NOT(InputError, rate >= 0 && rate <= 1 && scale >= 0, "target noise: rate {} not in [0, 1] or scale {} < 0",
                  rate, scale);
  const double mean = t.target.mean();
  double sd = std::sqrt((t.target.array() - mean).square().sum() / static_cast<double>(t.rows()));
  if (!(sd > 0)) sd = 1.0;
  std::vector<char> mask(static_cast<size_t>(t.rows()), 0);
  for (Eigen::Index r : draw_without_replacement(t.rows(), count_of(rate, t.rows()), rng)) {
    t.target(r) += scale * sd * standard_normal(rng);
    mask[static_cast<size_t>(r)] = 1;
  }
  return mask;
}

std::vector<char> plant_duplicates(Table& t, double fraction, std::mt19937_64& rng) {
  SB_THROW_IF_NOT(InputError, fraction >= 0 && fraction <= 0.5, "duplicates: fraction {} not in [0, 0.5]",
                  fraction);
  const Eigen::Index m = std::min(count_of(fraction, t.rows()), t.rows() / 2);
  const auto rows = draw_without_replacement(t.rows(), 2 * m, rng);
  std::vector<char> mask(static_cast<size_t>(t.rows()), 0);
  for (Eigen::Index i = 0; i < m; ++i) {
    const Eigen::Index source = rows[static_cast<size_t>(i)], copy = rows[static_cast<size_t>(m + i)];
    t.x.row(copy) = t.x.row(source);
    if (t.y.size()) t.y(copy) = t.y(source);
    if (t.target.size()) t.target(copy) = t.target(source);
    mask[static_cast<size_t>(copy)] = 1;
  }
  return mask;
}

}  // namespace sb::data
