// External methods (harness/core/external.h): the command runner in both
// modes with /bin/sh programs (success, exit status, signal, error answers,
// a dying persistent process restarted), cell.json and the JSON reader of
// method outputs (good and bad input).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness/core/errors.h"
#include "harness/core/external.h"

namespace sb {
namespace {

ExternalMethod sh(const std::string& script, bool persistent = false) {
  ExternalMethod m;
  m.name = "t";
  m.command = {"/bin/sh", "-c", script, "sh"};  // "$1" is the cell directory (per-cell mode)
  m.version = "1";
  m.persistent = persistent;
  m.workdir = "/";
  return m;
}

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream os;
  os << in.rdbuf();
  return os.str();
}

std::string message_of(const ExternalMethod& m, const std::string& dir) {
  try {
    run_external_method(m, dir);
  } catch (const CellCrashed& e) {
    return std::string("crashed: ") + e.what();
  } catch (const MethodError& e) {
    return std::string("error: ") + e.what();
  }
  return "ok";
}

TEST(ExternalCellDir, IsPrivateAndRemovedWithItsContent) {
  std::string path;
  {
    const ExternalCellDir dir;
    path = dir.path();
    ASSERT_TRUE(std::filesystem::is_directory(path));
    const auto perms = std::filesystem::status(path).permissions();
    EXPECT_EQ(perms & std::filesystem::perms::all, std::filesystem::perms::owner_all);
    std::ofstream(dir.file("x.txt")) << "x";
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(ExternalMethod, PerCellRunsTheCommandOnTheDirectoryInItsWorkdir) {
  const ExternalCellDir dir;
  EXPECT_EQ(message_of(sh("pwd > \"$1/out.txt\""), dir.path()), "ok");
  EXPECT_EQ(read(dir.file("out.txt")), "/\n");
}

TEST(ExternalMethod, PerCellExitStatusIsAnErrorAndASignalACrash) {
  const ExternalCellDir dir;
  EXPECT_EQ(message_of(sh("exit 3"), dir.path()),
            "error: external method 't': command `/bin/sh -c exit 3 sh` exited with status 3");
  const std::string crash = message_of(sh("kill -SEGV $$"), dir.path());
  EXPECT_EQ(crash.rfind("crashed: external method 't': command `/bin/sh -c kill -SEGV $$ sh` killed by signal 11", 0),
            0u)
      << crash;
  ExternalMethod missing = sh("");
  missing.command = {"/nonexistent/program"};
  const std::string not_started = message_of(missing, dir.path());
  EXPECT_NE(not_started.find("cannot start `/nonexistent/program " + dir.path() + "`"), std::string::npos) << not_started;
  EXPECT_NE(not_started.find("in '/': No such file or directory"), std::string::npos) << not_started;
}

TEST(ExternalMethod, PersistentProcessServesCellsAndSurvivesErrorAnswers) {
  // Counts its cells in a file of each directory: the second cell sees 2.
  const auto m = sh(
      "n=0; while read d; do n=$((n+1)); echo \"a print\"; "
      "if [ -e \"$d/fail\" ]; then echo \"error bad input $n\"; else echo $n > \"$d/n\"; echo ok; fi; done",
      true);
  const ExternalCellDir a, b, c;
  EXPECT_EQ(message_of(m, a.path()), "ok");
  std::ofstream(b.file("fail")) << "";
  EXPECT_EQ(message_of(m, b.path()), "error: external method 't' failed: bad input 2");
  EXPECT_EQ(message_of(m, c.path()), "ok");
  EXPECT_EQ(read(c.file("n")), "3\n");  // the same process: its third cell
  stop_external_processes();
  EXPECT_EQ(message_of(m, c.path()), "ok");
  EXPECT_EQ(read(c.file("n")), "1\n");  // a new process
  stop_external_processes();
}

TEST(ExternalMethod, PersistentProcessLinesBeyondAMebibyteAreOutputOrACutAnswer) {
  // 3 MiB without a newline (its own output), then "ok"; then an error answer
  // with a 3 MiB message, kept to its first mebibyte. Read in linear time.
  const auto m = sh(
      "while read d; do head -c 3145728 /dev/zero | tr '\\0' x; echo; "
      "if [ -e \"$d/fail\" ]; then printf 'error '; head -c 3145728 /dev/zero | tr '\\0' y; echo; "
      "else echo ok; fi; done",
      true);
  const ExternalCellDir a, b;
  EXPECT_EQ(message_of(m, a.path()), "ok");
  std::ofstream(b.file("fail")) << "";
  const std::string error = message_of(m, b.path());
  EXPECT_EQ(error.rfind("error: external method 't' failed: yyy", 0), 0u) << error.substr(0, 80);
  EXPECT_LT(error.size(), (std::size_t{1} << 20) + 100);
  EXPECT_EQ(message_of(m, a.path()), "ok");  // the rest of the long line was dropped, not read as answers
  stop_external_processes();
}

TEST(ExternalMethod, PersistentProcessThatDiesFailsItsCellAndIsRestarted) {
  const auto m = sh("read d; if [ -e \"$d/die\" ]; then kill -KILL $$; fi; exit 4", true);
  const ExternalCellDir a, b;
  std::ofstream(a.file("die")) << "";
  const std::string died = message_of(m, a.path());
  EXPECT_NE(died.find("crashed: external method 't'"), std::string::npos) << died;
  EXPECT_NE(died.find("killed by signal 9 (Killed) while running the cell"), std::string::npos) << died;
  EXPECT_NE(message_of(m, b.path()).find("exited with status 4 while running the cell"), std::string::npos);
  stop_external_processes();
}

TEST(ExternalCellJson, ListsParamsSeedArraysAndExtraFields) {
  ParamSet params;
  params.set("t", 2.5);
  params.set("mode", std::string("a"));
  const std::string json = external_cell_json("ood", "m", params, 7, {{"x", {3, 2}, "float64"}, {"y", {3}, "int64"}},
                                              {{"task", "\"location\""}});
  EXPECT_EQ(json,
            "{\"suite\": \"ood\", \"method\": \"m\", \"params\": {\"mode\":\"a\",\"t\":2.5}, \"seed\": 7, "
            "\"arrays\": {\"x\": {\"shape\": [3, 2], \"dtype\": \"float64\"}, \"y\": {\"shape\": [3], \"dtype\": "
            "\"int64\"}}, \"task\": \"location\"}\n");
}

ExternalJson parse(const std::string& text) {
  const ExternalCellDir dir;
  std::ofstream(dir.file("estimate.json")) << text;
  return read_external_json(dir.file("estimate.json"), "m");
}

std::string parse_error(const std::string& text) {
  try {
    parse(text);
  } catch (const MethodError& e) {
    return e.what();
  }
  return "";
}

TEST(ExternalJson, ReadsNumbersNullsAndArraysAndSkipsStrings) {
  const ExternalJson j = parse(R"( {"value": [1, -2.5e3, null], "std_error": 0.25, "ci_low": null,
                                    "note": "a \"quoted\" remark", "empty": []} )");
  ASSERT_EQ(j.size(), 4u);
  ASSERT_EQ(j.at("value").size(), 3u);
  EXPECT_EQ(j.at("value")[1], -2500.0);
  EXPECT_TRUE(std::isnan(j.at("value")[2]));
  EXPECT_EQ(j.at("std_error"), std::vector<double>{0.25});
  EXPECT_TRUE(std::isnan(j.at("ci_low")[0]));
  EXPECT_TRUE(j.at("empty").empty());
  EXPECT_TRUE(parse("{}").empty());
}

TEST(ExternalJson, RejectsWhatIsNotJsonOrNotFlat) {
  EXPECT_EQ(parse_error("{'value': 1}"), "external method 'm': 'estimate.json': invalid JSON at byte 1: expected '\"'");
  EXPECT_EQ(parse_error(R"({"value": NaN})"), "external method 'm': 'estimate.json': invalid JSON at byte 10: expected a JSON number");
  EXPECT_EQ(parse_error(R"({"value": 0x10})"), "external method 'm': 'estimate.json': invalid JSON at byte 10: expected a JSON number");
  EXPECT_EQ(parse_error(R"({"a": 1, "a": 2})"), "external method 'm': 'estimate.json': invalid JSON at byte 15: key 'a' appears twice");
  EXPECT_EQ(parse_error(R"({"a": 1} x)"), "external method 'm': 'estimate.json': invalid JSON at byte 9: text after the object");
  EXPECT_EQ(parse_error(R"({"a": {"b": 1}})"),
            "external method 'm': 'estimate.json': invalid JSON at byte 6: expected a number, null or an array of them");
  EXPECT_EQ(parse_error(R"({"a": [1, 2)"), "external method 'm': 'estimate.json': invalid JSON at byte 11: expected ']'");
  EXPECT_EQ(parse_error(""), "external method 'm': 'estimate.json': invalid JSON at byte 0: expected '{'");
  EXPECT_EQ(parse_error(R"({"std_error": 1e999})"),
            "external method 'm': 'estimate.json': invalid JSON at byte 14: number out of the range of a double");
  const ExternalCellDir dir;
  try {
    read_external_json(dir.file("estimate.json"), "m");
    FAIL() << "a missing file must throw";
  } catch (const MethodError& e) {
    EXPECT_STREQ(e.what(), "external method 'm' wrote no 'estimate.json'");
  }
}

}  // namespace
}  // namespace sb
