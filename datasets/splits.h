// Train / validation / test splits drawn by count, and standardisation by
// the training split's statistics.
#pragma once

#include <cstdint>
#include <vector>

#include "datasets/table.h"

namespace sb::data {

struct Splits {
  Table train, valid, test;
};

// A uniformly random permutation of the rows (datasets/random.h's shuffle,
// seeded by `seed`); its first n_train rows are the training split, the next
// n_valid the validation split, the next n_test the test split. Throws
// sb::InputError when the counts exceed the rows or n_train < 1.
Splits split_by_count(const Table& t, std::int64_t n_train, std::int64_t n_valid,
                      std::int64_t n_test, std::uint64_t seed);

// Every split's features become (x - mean) / sd with the training split's
// column means and population standard deviations (a constant column keeps
// sd = 1). The tables in `also` (e.g. a pool of out-of-domain rows) get the
// same transformation.
void standardize(Splits& splits, const std::vector<Table*>& also = {});

// Regression tables: every split's targets become (t - mean) / sd with the
// training split's mean and population standard deviation (sd 0 keeps 1), so
// that penalties and errors read alike on every table.
void standardize_targets(Splits& splits);

}  // namespace sb::data
