// Corruptions with ground truth: each changes some rows of a table in place
// and returns the mask of the rows it changed (1 = corrupted), so a suite can
// grade how well a method finds them.
#pragma once

#include <random>
#include <vector>

#include "datasets/random.h"  // draw_without_replacement, used with the corruptions
#include "datasets/table.h"

namespace sb::data {

// round(rate * n) rows, drawn without replacement, get the label
// (y + U{1..C-1}) mod C: always another class, uniformly (as OpenDataVal's
// mix_labels). rate in [0, 0.5]; classification only.
std::vector<char> flip_labels(Table& t, double rate, std::mt19937_64& rng);

// round(fraction * n) rows, drawn without replacement, get x_ij += scale *
// sd_j * z_ij, z ~ N(0, 1), sd_j the column's population standard deviation
// before any noise (1 for a constant column). fraction in [0, 1].
std::vector<char> add_feature_noise(Table& t, double fraction, double scale, std::mt19937_64& rng);

// Regression: round(rate * n) rows, drawn without replacement, get target +=
// scale * sd * z, z ~ N(0, 1), sd the targets' population standard deviation
// before any noise (1 when constant). rate in [0, 1]; regression only.
std::vector<char> add_target_noise(Table& t, double rate, double scale, std::mt19937_64& rng);

// m = round(fraction * n) rows are overwritten by exact copies (features and
// label) of m other rows: a random permutation's first m rows are the
// sources, its next m the copies. The copies are marked. fraction in [0, 0.5].
std::vector<char> plant_duplicates(Table& t, double fraction, std::mt19937_64& rng);


}  // namespace sb::data
