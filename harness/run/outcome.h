// The outcome of one cell as it travels from an executor process to rank 0,
// and its compact binary encoding (pipes and MPI messages carry bytes).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/core/suite.h"

namespace sb {

struct CellOutcome {
  std::uint32_t index = 0;  // position in the Plan
  CellStatus status = CellStatus::kOk;
  std::string error;
  double wall_seconds = 0;
  double cpu_seconds = 0;
  std::int64_t peak_rss_kb = 0;
  std::int32_t rank = 0;
  CellOutput output;
  // Times the cell ran in this run to reach this outcome (--max-retries);
  // set by the coordinator, not encoded (executors report single attempts).
  std::int32_t attempts = 1;
};

// Appends one length-prefixed frame holding `outcome` to `out`.
void encode_outcome(const CellOutcome& outcome, std::string& out);

// Decodes every complete frame at the front of `buffer`, erasing them;
// an incomplete trailing frame stays in the buffer. Throws InternalError on
// malformed data.
void decode_outcomes(std::string& buffer, std::vector<CellOutcome>& out);

// Cell index lists (rank 0 -> workers -> executors).
std::string encode_indices(const std::vector<std::uint32_t>& indices);
std::vector<std::uint32_t> decode_indices(std::string_view bytes);

}  // namespace sb
