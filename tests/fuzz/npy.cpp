// Fuzz target: the .npy loader (benchmarks/ood/npy.cpp), through the three
// entry points the OOD suite uses. A typed InputError is the expected answer
// to a bad file; anything else escaping or a sanitizer report is a bug.
#include <cstddef>
#include <cstdint>

#include "benchmarks/ood/npy.h"
#include "harness/core/errors.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& path = sb::fuzz::write_scratch(data, size, ".npy");
  try {
    sb::ood::read_npy(path);
  } catch (const sb::InputError&) {
    return 0;  // the others read the same header and would fail alike
  }
  try {
    sb::ood::read_npy_matrix(path);
  } catch (const sb::InputError&) {
  }
  try {
    sb::ood::read_npy_labels(path);
  } catch (const sb::InputError&) {
  }
  return 0;
}
