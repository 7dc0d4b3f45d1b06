// Synthetic tabular data with a known generating process.
#pragma once

#include <cstdint>

#include "datasets/table.h"

namespace sb::data {

struct GaussianClassifierOptions {
  std::int64_t n = 1000;    // rows
  std::int64_t d = 10;      // features
  int classes = 2;
  double separation = 1.0;  // class means are separation * N(0, I_d)
};

// y uniform over classes; x | y ~ N(mu_y, I_d), the means mu_c drawn first
// (class by class, coordinate by coordinate), then the rows (label, then
// features). Deterministic given seed (datasets/random.h draws).
Table gaussian_classifier(const GaussianClassifierOptions& options, std::uint64_t seed);

}  // namespace sb::data
