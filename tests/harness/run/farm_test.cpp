// The farm's chunk-size policy (next_chunk_size), against hand-computed
// sizes: guided self-scheduling, the 16-cell start while the cell time is
// unknown, the quarter second of work and the max_chunk cap.
#include "harness/run/farm.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <vector>

namespace sb {
namespace {

TEST(ChunkSize, StartsSmallWhileTheCellTimeIsUnknown) {
  // ceil(1000 / (2 x 2)) = 250 cells, capped at 16 before any cell is timed.
  EXPECT_EQ(next_chunk_size(1000, 2, 4096, std::nullopt), 16u);
  // A guided share below 16 is taken as it is: ceil(10 / 4) = 3.
  EXPECT_EQ(next_chunk_size(10, 2, 4096, std::nullopt), 3u);
  // max_chunk below 16 still caps.
  EXPECT_EQ(next_chunk_size(1000, 2, 5, std::nullopt), 5u);
}

TEST(ChunkSize, HoldsAQuarterSecondOfWorkOnceTimed) {
  // 10 ms cells: 0.25 / 0.01 = 25 cells; the guided share (250) is larger.
  EXPECT_EQ(next_chunk_size(1000, 2, 4096, 0.01), 25u);
  // 1 us cells: 250,000 cells of work, the guided share 250,000 too: max_chunk wins.
  EXPECT_EQ(next_chunk_size(1'000'000, 2, 4096, 1e-6), 4096u);
  // Cells slower than a quarter second go one at a time.
  EXPECT_EQ(next_chunk_size(1000, 2, 4096, 10.0), 1u);
  // A measured mean of 0 (no-op cells) is not a division by zero: max_chunk.
  EXPECT_EQ(next_chunk_size(1'000'000, 1, 4096, 0.0), 4096u);
  // The guided share still bounds a cheap run's chunks: ceil(100 / 8) = 13.
  EXPECT_EQ(next_chunk_size(100, 4, 4096, 1e-6), 13u);
}

TEST(ChunkSize, NeverZeroAndDegenerateArgumentsCountAsOne) {
  EXPECT_EQ(next_chunk_size(1, 64, 4096, std::nullopt), 1u);
  EXPECT_EQ(next_chunk_size(1, 1, 4096, 100.0), 1u);
  EXPECT_EQ(next_chunk_size(10, 0, 4096, std::nullopt), 5u);   // 0 ranks = 1: ceil(10 / 2)
  EXPECT_EQ(next_chunk_size(10, -3, 4096, std::nullopt), 5u);
  EXPECT_EQ(next_chunk_size(1000, 2, 0, std::nullopt), 1u);    // max_chunk 0 = 1
}

TEST(ChunkSize, AGuidedRunHandsOutEveryCellInShrinkingChunks) {
  // 100 cells, 4 ranks, cell time known and tiny: each chunk is
  // ceil(remaining / 8), so 13, 11, 10, 9, 7, ... down to chunks of 1.
  std::size_t remaining = 100;
  std::vector<std::size_t> sizes;
  while (remaining > 0) {
    const std::size_t n = next_chunk_size(remaining, 4, 4096, 1e-6);
    ASSERT_GE(n, 1u);
    ASSERT_LE(n, remaining);
    // Once at most one cell per half-rank is left, cells go one at a time.
    if (remaining <= 8) {
      EXPECT_EQ(n, 1u) << remaining << " cells left";
    }
    sizes.push_back(n);
    remaining -= n;
  }
  ASSERT_GE(sizes.size(), 5u);
  EXPECT_EQ(sizes[0], 13u);  // ceil(100 / 8)
  EXPECT_EQ(sizes[1], 11u);  // ceil(87 / 8)
  EXPECT_EQ(sizes[2], 10u);  // ceil(76 / 8)
  EXPECT_EQ(sizes[3], 9u);   // ceil(66 / 8)
  EXPECT_EQ(sizes[4], 8u);   // ceil(57 / 8)
  for (std::size_t i = 1; i < sizes.size(); ++i) EXPECT_LE(sizes[i], sizes[i - 1]) << "chunk " << i;
  EXPECT_EQ(sizes.back(), 1u);
}

}  // namespace
}  // namespace sb
