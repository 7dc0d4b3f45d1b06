// SISA's shard assignment, shared with its test.
#pragma once

#include <Eigen/Dense>

#include <cstdint>
#include <vector>

namespace sb::unlearning {

// min(shards, n) disjoint shards of [0, n), each sorted: row order[i] of a
// seeded permutation (datasets/random.h shuffle) goes to shard i mod shards.
std::vector<std::vector<Eigen::Index>> sisa_shards(Eigen::Index n, std::int64_t shards, std::uint64_t seed);

}  // namespace sb::unlearning
