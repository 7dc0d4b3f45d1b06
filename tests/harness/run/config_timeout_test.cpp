// The experiment config's `timeout` key (the default per-cell timeout).
#include <gtest/gtest.h>

#include <string>

#include "harness/core/errors.h"
#include "harness/run/config.h"

namespace sb {
namespace {

std::string config_with(const std::string& line) {
  return "suite = \"selftest\"\nseeds = 1\n" + line + "\n[[datasets]]\nname = \"empty\"\n[[methods]]\nname = \"noop\"\n";
}

std::string error_of(const std::string& text) {
  try {
    parse_config("exp.toml", text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(ConfigTimeout, AbsentMeansNotSet) { EXPECT_EQ(parse_config("exp.toml", config_with("")).timeout_seconds, 0); }

TEST(ConfigTimeout, TakesIntegerAndRealSeconds) {
  EXPECT_EQ(parse_config("exp.toml", config_with("timeout = 90")).timeout_seconds, 90);
  EXPECT_EQ(parse_config("exp.toml", config_with("timeout = 0.5")).timeout_seconds, 0.5);
}

TEST(ConfigTimeout, RejectsNonPositiveAndNonNumbersNamingFileLineAndValue) {
  EXPECT_NE(error_of(config_with("timeout = 0")).find("exp.toml:3: 'timeout' must be a number of seconds"),
            std::string::npos)
      << error_of(config_with("timeout = 0"));
  EXPECT_NE(error_of(config_with("timeout = -5")).find("got -5"), std::string::npos);
  EXPECT_NE(error_of(config_with("timeout = \"1h\"")).find("got '1h'"), std::string::npos)
      << error_of(config_with("timeout = \"1h\""));
}

}  // namespace
}  // namespace sb
