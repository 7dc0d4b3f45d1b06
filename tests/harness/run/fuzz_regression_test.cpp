// Regression tests for inputs found by the fuzz targets (tests/fuzz/).
// Cell-outcome decoder: counts read from the wire must never drive an
// allocation larger than the frame, and the only error is InternalError.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness/core/errors.h"
#include "harness/run/config.h"
#include "harness/run/outcome.h"

namespace sb {
namespace {

// error "": the metric count sits after length, index, the status byte, the
// error string, three doubles, the int64 and the int32.
constexpr size_t kMetricCountOffset = 4 + 4 + 1 + (4 + 0) + 24 + 8 + 4;

std::string encoded(const CellOutcome& o) {
  std::string bytes;
  encode_outcome(o, bytes);
  return bytes;
}

template <class T>
void patch(std::string& bytes, size_t offset, T value) {
  ASSERT_LE(offset + sizeof value, bytes.size());
  std::memcpy(bytes.data() + offset, &value, sizeof value);
}

TEST(OutcomeDecode, HugeMetricCountIsATruncatedRecordNotAnAllocation) {
  CellOutcome o;
  o.status = CellStatus::kOk;
  o.output.metrics = {{"m", 1.0}};
  std::string bytes = encoded(o);
  patch(bytes, kMetricCountOffset, std::uint32_t{0xffffffff});
  std::vector<CellOutcome> out;
  EXPECT_THROW(decode_outcomes(bytes, out), InternalError);
  EXPECT_TRUE(out.empty());
}

TEST(OutcomeDecode, ArtifactLengthWhoseByteSizeOverflowsIsATruncatedRecord) {
  CellOutcome o;
  o.status = CellStatus::kOk;
  o.output.artifacts = {Artifact{"a", {}}};
  std::string bytes = encoded(o);
  // metric count, artifact count, then the artifact's name and value count.
  const size_t count_offset = kMetricCountOffset + 4 + 4 + (4 + 1);
  patch(bytes, count_offset, std::uint64_t{1} << 61);  // x 8 bytes wraps to 0
  std::vector<CellOutcome> out;
  EXPECT_THROW(decode_outcomes(bytes, out), InternalError);
}

TEST(OutcomeDecode, EveryCommittedFuzzCrashInputIsAnInternalError) {
  const std::filesystem::path dir = std::filesystem::path(SB_SOURCE_DIR) / "tests/fuzz/corpus/outcome";
  int crashes = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().filename().string().rfind("crash-", 0) != 0) continue;
    ++crashes;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream os;
    os << in.rdbuf();
    std::string bytes = os.str();
    std::vector<CellOutcome> out;
    EXPECT_THROW(decode_outcomes(bytes, out), InternalError) << entry.path();
  }
  EXPECT_GE(crashes, 2);
}

// toml++ 3.3.0 hits TOML_UNREACHABLE on this (tests/fuzz/ubsan_ignorelist.txt):
// the answer must still be a syntax error naming file, line and column.
TEST(ConfigFuzzRegression, NonAsciiCharacterAfterABareKeyIsATomlSyntaxError) {
  try {
    parse_config("u.toml", "obsuitue \xc5\x8ct");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("u.toml:1:10: TOML syntax error"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace sb
