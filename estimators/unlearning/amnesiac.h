// Amnesiac unlearning's training schedule, shared with its test.
#pragma once

#include <Eigen/Dense>

#include <cstdint>
#include <vector>

namespace sb::unlearning {

// The minibatches of `epochs` passes over [0, n): each pass a seeded
// permutation (datasets/random.h shuffle, one generator for all passes) cut
// into consecutive batches of batch_size rows (the last may be smaller).
std::vector<std::vector<Eigen::Index>> amnesiac_batches(Eigen::Index n, std::int64_t batch_size, std::int64_t epochs,
                                                        std::uint64_t seed);

}  // namespace sb::unlearning
