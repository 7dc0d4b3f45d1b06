#include "datasets/domains.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "datasets/corruption.h"
#include "datasets/random.h"
#include "harness/core/errors.h"

namespace sb::data {

ClassPartition hold_out_classes(const Table& t, const std::vector<int>& held_out) {
  SB_THROW_IF_NOT(InputError, t.is_classification(), "held-out classes need a classification table");
  ClassPartition out;
  out.new_label.assign(static_cast<size_t>(t.num_classes), 0);
  for (int c : held_out) {
    SB_THROW_IF_NOT(InputError, c >= 0 && c < t.num_classes, "held-out class {} is not in 0..{}", c,
                    t.num_classes - 1);
    out.new_label[static_cast<size_t>(c)] = -1;
  }
  int next = 0;
  std::vector<std::string> names;
  for (int c = 0; c < t.num_classes; ++c) {
    if (out.new_label[static_cast<size_t>(c)] < 0) continue;
    out.new_label[static_cast<size_t>(c)] = next++;
    if (static_cast<size_t>(c) < t.class_names.size()) names.push_back(t.class_names[static_cast<size_t>(c)]);
  }
  SB_THROW_IF_NOT(InputError, next >= 2, "holding out {} of {} classes leaves {} in-domain classes (need >= 2)",
                  held_out.size(), t.num_classes, next);
  std::vector<Eigen::Index> kept, dropped;
  for (Eigen::Index r = 0; r < t.rows(); ++r) (out.new_label[static_cast<size_t>(t.y(r))] < 0 ? dropped : kept).push_back(r);
  out.in_domain = select_rows(t, kept);
  out.out_of_domain = select_rows(t, dropped);
  for (Eigen::Index r = 0; r < out.in_domain.rows(); ++r) out.in_domain.y(r) = out.new_label[static_cast<size_t>(out.in_domain.y(r))];
  out.in_domain.num_classes = next;
  out.in_domain.class_names = names;
  return out;
}

DomainSplits split_by_domain(const Table& t, const std::vector<char>& in_target, std::int64_t n_train_target,
                             std::int64_t n_train_source, std::int64_t n_valid, std::int64_t n_test,
                             std::uint64_t seed) {
  SB_THROW_IF_NOT(InternalError, static_cast<Eigen::Index>(in_target.size()) == t.rows(),
                  "split_by_domain: {} flags for {} rows", in_target.size(), t.rows());
  SB_THROW_IF_NOT(InputError, n_train_target >= 0 && n_train_source >= 0 && n_train_target + n_train_source >= 1,
                  "targeted splits: {} target and {} source training rows", n_train_target, n_train_source);
  std::vector<Eigen::Index> target, source;
  for (Eigen::Index r = 0; r < t.rows(); ++r) (in_target[static_cast<size_t>(r)] ? target : source).push_back(r);
  const auto need_target = n_train_target + n_valid + n_test;
  SB_THROW_IF_NOT(InputError, need_target <= static_cast<std::int64_t>(target.size()),
                  "targeted splits: {} target training + {} validation + {} test rows but the target domain has {}",
                  n_train_target, n_valid, n_test, target.size());
  SB_THROW_IF_NOT(InputError, n_train_source <= static_cast<std::int64_t>(source.size()),
                  "targeted splits: {} source training rows but the source domain has {}", n_train_source,
                  source.size());
  std::mt19937_64 target_rng(seed), source_rng(seed + 1), train_rng(seed + 2);
  shuffle_in_place(target, target_rng);
  shuffle_in_place(source, source_rng);
  std::vector<std::pair<Eigen::Index, char>> train;  // (row, in target)
  for (std::int64_t i = 0; i < n_train_target; ++i) train.emplace_back(target[static_cast<size_t>(i)], 1);
  for (std::int64_t i = 0; i < n_train_source; ++i) train.emplace_back(source[static_cast<size_t>(i)], 0);
  shuffle_in_place(train, train_rng);
  DomainSplits out;
  std::vector<Eigen::Index> train_rows;
  for (const auto& [row, flag] : train) train_rows.push_back(row), out.train_in_target.push_back(flag);
  auto take = [&](std::int64_t from, std::int64_t count) {
    return select_rows(t, std::vector<Eigen::Index>(target.begin() + from, target.begin() + from + count));
  };
  out.splits.train = select_rows(t, train_rows);
  out.splits.valid = take(n_train_target, n_valid);
  out.splits.test = take(n_train_target + n_valid, n_test);
  return out;
}

std::vector<char> replace_with_out_of_domain(Table& t, const Table& pool, double rate, std::mt19937_64& rng) {
  SB_THROW_IF_NOT(InputError, rate >= 0 && rate <= 0.5, "out-of-domain rows: rate {} not in [0, 0.5]", rate);
  const auto m = static_cast<Eigen::Index>(std::llround(rate * static_cast<double>(t.rows())));
  SB_THROW_IF_NOT(InputError, m <= pool.rows(), "out-of-domain rows: {} needed but the held-out classes have {} rows",
                  m, pool.rows());
  SB_THROW_IF_NOT(InternalError, m == 0 || pool.x.cols() == t.x.cols(), "out-of-domain pool: {} vs {} columns",
                  pool.x.cols(), t.x.cols());
  const auto rows = draw_without_replacement(t.rows(), m, rng);
  const auto sources = draw_without_replacement(pool.rows(), m, rng);
  std::vector<char> mask(static_cast<size_t>(t.rows()), 0);
  for (Eigen::Index i = 0; i < m; ++i) {
    t.x.row(rows[static_cast<size_t>(i)]) = pool.x.row(sources[static_cast<size_t>(i)]);
    mask[static_cast<size_t>(rows[static_cast<size_t>(i)])] = 1;
  }
  return mask;
}

}  // namespace sb::data
