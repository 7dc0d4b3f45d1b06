// The cell executor's setup message and the bounds on a failed cell's error
// text (message head, output tail).
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <string>

#include "harness/core/errors.h"
#include "harness/run/executor_wire.h"

namespace sb::executor_wire {
namespace {

TEST(ExecutorSetup, RoundTrips) {
  executor_wire::Setup s;
  s.options.config_path = "exp.toml";
  s.options.config_text = std::string("suite = \"selftest\"\n\0x", 21);
  s.options.only_methods = {"noop", "sleep"};
  s.options.seeds_override = 7;
  s.options.memory_limit_bytes = 512ull << 20;
  s.rank = 3;
  const std::string msg = encode_setup(s);
  executor_wire::Setup d = decode_setup(std::string_view(msg).substr(8));
  EXPECT_EQ(d.options.config_path, s.options.config_path);
  EXPECT_EQ(d.options.config_text, s.options.config_text);
  EXPECT_EQ(d.options.only_methods, s.options.only_methods);
  EXPECT_EQ(d.options.seeds_override, 7);
  EXPECT_EQ(d.options.memory_limit_bytes, 512ull << 20);
  EXPECT_EQ(d.rank, 3);
}

TEST(ExecutorSetup, RejectsTruncatedAndTrailingBytes) {
  const std::string body = encode_setup(executor_wire::Setup{}).substr(8);
  EXPECT_THROW(decode_setup(std::string_view(body).substr(0, body.size() - 1)), InternalError);
  EXPECT_THROW(decode_setup(body + "x"), InternalError);
}

TEST(ClipMessage, KeepsShortMessagesWhole) {
  EXPECT_EQ(clip_message("bad input"), "bad input");
  EXPECT_EQ(clip_message(std::string(kMaxErrorMessageBytes, 'a').c_str()), std::string(kMaxErrorMessageBytes, 'a'));
}

TEST(ClipMessage, CutsLongMessagesAtACharacterBoundaryAndNotesTheSize) {
  // 'é' is two bytes; the cut at 4096 would fall inside one.
  std::string m = std::string(kMaxErrorMessageBytes - 1, 'a') + "\xc3\xa9" + std::string(1000, 'b');
  std::string c = clip_message(m.c_str());
  EXPECT_EQ(c, std::string(kMaxErrorMessageBytes - 1, 'a') + "... [message truncated: " +
                   std::to_string(m.size()) + " bytes in all]");
}

class CellOutputFile : public ::testing::Test {
 protected:
  void SetUp() override { fd_ = memfd_create("test-output", 0); }
  void TearDown() override { ::close(fd_); }
  void write(const std::string& s) { ASSERT_EQ(::write(fd_, s.data(), s.size()), static_cast<ssize_t>(s.size())); }
  int fd_ = -1;
};

TEST_F(CellOutputFile, EmptyGivesNoSection) { EXPECT_EQ(output_section(fd_), ""); }

TEST_F(CellOutputFile, ShortOutputIsKeptWhole) {
  write("hello\n");
  EXPECT_EQ(output_section(fd_), "\n--- cell output (6 bytes) ---\nhello\n");
}

TEST_F(CellOutputFile, LongOutputKeepsItsTailFromACharacterBoundary) {
  write(std::string(100, 'x'));
  write("\xc3\xa9");  // its second byte is the first of the last 64 KiB
  write(std::string(kMaxCellOutputBytes - 1, 'y'));
  const size_t total = 100 + 2 + kMaxCellOutputBytes - 1;
  EXPECT_EQ(output_section(fd_), "\n--- cell output (last " + std::to_string(kMaxCellOutputBytes - 1) + " of " +
                                     std::to_string(total) + " bytes) ---\n" +
                                     std::string(kMaxCellOutputBytes - 1, 'y'));
}

}  // namespace
}  // namespace sb::executor_wire
