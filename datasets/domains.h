// Domains of a classification table, for out-of-domain corruption and
// targeted selection: classes held out of the in-domain data, a training
// pool that mixes a target domain with a source domain, and training rows
// replaced by out-of-domain rows (with their ground-truth mask).
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "datasets/splits.h"
#include "datasets/table.h"

namespace sb::data {

// The rows of `held_out` classes (out of domain) and the others (in domain).
// In-domain labels are renumbered 0..C'-1 in increasing order of the original
// label (class names follow); held-out rows keep their original labels.
// Throws InputError when a class is out of range or fewer than 2 classes stay.
struct ClassPartition {
  Table in_domain, out_of_domain;
  std::vector<int> new_label;  // per original class: its in-domain label, -1 when held out
};
ClassPartition hold_out_classes(const Table& t, const std::vector<int>& held_out);

// Splits for targeted selection: the rows with in_target[r] = 1 form the
// target domain, the others the source domain. Each domain's rows are
// permuted (target: seed, source: seed + 1, datasets/random.h's shuffle);
// the training split takes the target permutation's first n_train_target
// rows and the source permutation's first n_train_source rows, in an order
// permuted again (seed + 2); validation and test take the target
// permutation's next n_valid and n_test rows. `train_in_target`: 1 for the
// training rows of the target domain. Throws InputError when a domain has
// too few rows.
struct DomainSplits {
  Splits splits;
  std::vector<char> train_in_target;
};
DomainSplits split_by_domain(const Table& t, const std::vector<char>& in_target, std::int64_t n_train_target,
                             std::int64_t n_train_source, std::int64_t n_valid, std::int64_t n_test,
                             std::uint64_t seed);

// m = round(rate * n) rows of t, drawn without replacement, get the features
// of m rows of `pool` drawn without replacement (labels stay: an
// out-of-domain input under an in-domain label). The replaced rows are
// marked. rate in [0, 0.5]; throws InputError when the pool has < m rows.
std::vector<char> replace_with_out_of_domain(Table& t, const Table& pool, double rate, std::mt19937_64& rng);

}  // namespace sb::data
