// Fuzz target: the cell-output decoder (harness/run/outcome.cpp) that turns
// bytes from executor pipes and MPI messages into outcomes. A typed
// InternalError is the expected answer to malformed bytes; anything else
// escaping or a sanitizer report is a bug. Decoded outcomes must re-encode
// to the bytes they came from.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "harness/core/errors.h"
#include "harness/run/outcome.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  std::string buffer = input;
  std::vector<sb::CellOutcome> outcomes;
  try {
    sb::decode_outcomes(buffer, outcomes);
  } catch (const sb::InternalError&) {
    return 0;
  }
  std::string again;
  for (const auto& o : outcomes) sb::encode_outcome(o, again);
  // What was decoded is a prefix of the input, and what is left is the rest.
  if (input.compare(0, again.size(), again) != 0 || again + buffer != input) __builtin_trap();
  try {
    sb::decode_indices(input);
  } catch (const sb::InternalError&) {
  }
  return 0;
}
