// Fuzz target: the IDX loaders (datasets/idx.cpp). zlib reads a file
// without a gzip header as plain bytes, so the corpus holds plain IDX files
// (plus one gzipped). A typed InputError is the expected answer to a bad
// file; anything else escaping or a sanitizer report is a bug.
#include <cstddef>
#include <cstdint>

#include "datasets/idx.h"
#include "harness/core/errors.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& path = sb::fuzz::write_scratch(data, size, ".idx");
  try {
    sb::data::read_idx_images(path);
  } catch (const sb::InputError&) {
  }
  try {
    sb::data::read_idx_labels(path, " (hint)");
  } catch (const sb::InputError&) {
  }
  return 0;
}
