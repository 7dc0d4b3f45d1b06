#include "harness/cli/output_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "harness/core/errors.h"

namespace sb {
namespace {

namespace fs = std::filesystem;

class OutputFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sb-output-file-" + std::to_string(getpid()));
    fs::create_directories(dir_ / "sub");
    std::ofstream(dir_ / "db.sqlite") << "database";
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string p(const std::string& name) const { return (dir_ / name).string(); }
  static std::string read(const std::string& path) {
    std::ifstream f(path);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
  }
  fs::path dir_;
};

TEST_F(OutputFile, RefusesTheDatabaseHoweverNamed) {
  const std::vector<std::string> inputs = {p("db.sqlite")};
  fs::create_symlink(p("db.sqlite"), p("link"));
  fs::create_hard_link(p("db.sqlite"), p("hard"));
  for (const auto& out : {p("db.sqlite"), p("sub/../db.sqlite"), p("link"), p("hard"), p("db.sqlite-wal"),
                          p("db.sqlite-shm"), p("db.sqlite-runlock")}) {
    EXPECT_THROW(refuse_output_over_input("report", out, inputs), InputError) << out;
  }
  try {
    refuse_output_over_input("report", p("link"), inputs);
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("report: the output"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(refuse_output_over_input("report", p("report.html"), inputs));
  EXPECT_NO_THROW(refuse_output_over_input("report", p("sub/db.sqlite"), inputs));
  EXPECT_EQ(read(p("db.sqlite")), "database");
}

TEST_F(OutputFile, WritesWholeFileAndReplacesAtomically) {
  write_file_atomically(p("out.html"), "first");
  EXPECT_EQ(read(p("out.html")), "first");
  write_file_atomically(p("out.html"), "second, longer");
  EXPECT_EQ(read(p("out.html")), "second, longer");
  struct stat st {};
  ASSERT_EQ(stat(p("out.html").c_str(), &st), 0);
  EXPECT_NE(st.st_mode & S_IRGRP, 0u) << "not mkstemp's private 0600";
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir_)) files += e.is_regular_file();
  EXPECT_EQ(files, 2u) << "a temporary file was left behind";
}

TEST_F(OutputFile, FailureLeavesTheOldFileAndNamesThePath) {
  write_file_atomically(p("out.html"), "old");
  try {
    write_file_atomically(p("missing-folder/out.html"), "x");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("missing-folder/out.html"), std::string::npos) << e.what();
  }
  EXPECT_EQ(read(p("out.html")), "old");
}

TEST_F(OutputFile, ASymlinkKeepsItsLinkAndAFifoOrDeviceIsWrittenNotReplaced) {
  write_file_atomically(p("target.html"), "old");
  fs::create_symlink(p("target.html"), p("link.html"));
  write_file_atomically(p("link.html"), "through the link");
  EXPECT_TRUE(fs::is_symlink(p("link.html")));
  EXPECT_EQ(read(p("target.html")), "through the link");

  write_file_atomically("/dev/null", "discarded");  // was renamed over when run as root
  EXPECT_TRUE(fs::is_character_file("/dev/null"));

  ASSERT_EQ(mkfifo(p("fifo").c_str(), 0600), 0);
  std::string received;
  std::thread reader([&] { received = read(p("fifo")); });
  write_file_atomically(p("fifo"), "through the pipe");
  reader.join();
  EXPECT_EQ(received, "through the pipe");
  EXPECT_TRUE(fs::is_fifo(p("fifo")));

  EXPECT_THROW(write_file_atomically(p("sub"), "x"), InputError);  // a folder
}

}  // namespace
}  // namespace sb
