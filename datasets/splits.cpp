#include "datasets/splits.h"

#include <cmath>
#include <numeric>
#include <random>

#include "datasets/random.h"
#include "harness/core/errors.h"

namespace sb::data {

Splits split_by_count(const Table& t, std::int64_t n_train, std::int64_t n_valid,
                      std::int64_t n_test, std::uint64_t seed) {
  SB_THROW_IF_NOT(InputError, n_train >= 1 && n_valid >= 0 && n_test >= 0,
                  "splits: n_train = {}, n_valid = {}, n_test = {} (need n_train >= 1, others >= 0)",
                  n_train, n_valid, n_test);
  SB_THROW_IF_NOT(InputError, n_train + n_valid + n_test <= t.rows(),
                  "splits: n_train + n_valid + n_test = {} + {} + {} exceeds the {} rows of the data",
                  n_train, n_valid, n_test, t.rows());
  std::vector<Eigen::Index> order(static_cast<size_t>(t.rows()));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  std::mt19937_64 rng(seed);
  shuffle_in_place(order, rng);
  auto take = [&](std::int64_t from, std::int64_t count) {
    return select_rows(t, std::vector<Eigen::Index>(order.begin() + from, order.begin() + from + count));
  };
  Splits s;
  s.train = take(0, n_train);
  s.valid = take(n_train, n_valid);
  s.test = take(n_train + n_valid, n_test);
  return s;
}

void standardize(Splits& s, const std::vector<Table*>& also) {
  const Eigen::RowVectorXd mean = s.train.x.colwise().mean();
  Eigen::RowVectorXd sd =
      ((s.train.x.rowwise() - mean).array().square().colwise().sum() / static_cast<double>(s.train.rows()))
          .sqrt();
  for (Eigen::Index j = 0; j < sd.size(); ++j) {
    if (!(sd(j) > 0)) sd(j) = 1.0;
  }
  std::vector<Table*> tables = {&s.train, &s.valid, &s.test};
  tables.insert(tables.end(), also.begin(), also.end());
  for (Table* t : tables) {
    if (t->rows() > 0) t->x = (t->x.rowwise() - mean).array().rowwise() / sd.array();
  }
}

void standardize_targets(Splits& s) {
  const double mean = s.train.target.mean();
  double sd = std::sqrt((s.train.target.array() - mean).square().mean());
  if (!(sd > 0)) sd = 1.0;
  for (Table* t : {&s.train, &s.valid, &s.test}) t->target = (t->target.array() - mean) / sd;
}

}  // namespace sb::data
