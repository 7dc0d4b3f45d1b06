// Fuzz target: paper table specs (results/render/paper_table.cpp). A typed
// InputError is the expected answer to a bad spec; anything else escaping or
// a sanitizer report is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "harness/core/errors.h"
#include "results/render/paper_table.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const sb::PaperSpec spec = sb::parse_paper_spec(text, "papers/fuzz.toml");
    // Render with no cells: every row/column resolves to "n/a".
    sb::paper_table(spec, {});
    sb::paper_diff_table(sb::diff_paper(spec, {}), spec.digits);
  } catch (const sb::InputError&) {
  }
  return 0;
}
