// External methods in configs (docs/EXTERNAL.md): parsing, grid expansion of
// their params, typed declarations, keys, every error case, and a cell run
// in process through the selftest suite.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "harness/core/errors.h"
#include "harness/run/config.h"
#include "harness/run/plan.h"

namespace sb {
namespace {

std::string config(const std::string& methods) {
  return "suite = \"selftest\"\nseeds = 2\n[[datasets]]\nname = \"empty\"\n" + methods;
}

std::string error_of(const std::string& text) {
  try {
    make_plan(parse_config("dir/exp.toml", text), {});
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(ExternalConfig, ExpandsParamsLikeABuiltInsAndCarriesTheCommand) {
  const Plan plan = make_plan(parse_config("dir/exp.toml", config(R"([[methods]]
name = "noop"
[[methods]]
name = "mine"
command = ["python3", "m.py", "--fast"]
version = "3"
mode = "persistent"
params = { t = [1, 2.5], kind = "a" }
)")),
                              {});
  ASSERT_EQ(plan.arms.size(), 3u);  // noop, mine[kind=a,t=1], mine[kind=a,t=2.5]
  EXPECT_EQ(plan.arms[0].spec.external, nullptr);
  const PlannedArm& mine = plan.arms[1];
  ASSERT_NE(mine.spec.external, nullptr);
  EXPECT_EQ(mine.method_label, "mine[kind=a,t=1]");
  EXPECT_EQ(plan.arms[2].method_label, "mine[kind=a,t=2.5]");
  EXPECT_EQ(mine.method_params_json, R"({"kind":"a","t":1})");
  EXPECT_DOUBLE_EQ(mine.spec.method_params.get_real("t"), 1.0);  // ints and reals together: a real
  EXPECT_EQ(mine.method_version, "3");
  EXPECT_EQ(mine.spec.external->command, (std::vector<std::string>{"python3", "m.py", "--fast"}));
  EXPECT_TRUE(mine.spec.external->persistent);
  EXPECT_EQ(mine.spec.external->workdir, (std::filesystem::current_path() / "dir").string());
  EXPECT_EQ(plan.cells.size(), 6u);
}

TEST(ExternalConfig, VersionAndParamsEnterTheKeyNotTheCommand) {
  auto key = [](const std::string& version, const std::string& params, const std::string& script) {
    const Plan plan = make_plan(
        parse_config("exp.toml", config("[[methods]]\nname = \"mine\"\ncommand = [\"python3\", \"" + script +
                                        "\"]\nversion = \"" + version + "\"\nparams = { t = " + params + " }\n")),
        {});
    return plan.cells.at(0).key;
  };
  const std::string base = key("1", "1.0", "a.py");
  EXPECT_EQ(key("1", "1.0", "b.py"), base);
  EXPECT_NE(key("2", "1.0", "a.py"), base);
  EXPECT_NE(key("1", "2.0", "a.py"), base);
}

TEST(ExternalConfig, EveryProblemIsNamedWithItsLine) {
  EXPECT_EQ(error_of(config(R"([[methods]]
name = "x"
command = []
mode = "sometimes"
colour = 3
)")),
            "invalid config:\n"
            "  dir/exp.toml:9: methods[0] 'x': unknown key 'colour' for an external method (valid: name, label, command, "
            "version, mode, params, files)\n"
            "  dir/exp.toml:7: methods[0] 'x': 'command' must be a non-empty list of non-empty strings, e.g. "
            "[\"python3\", \"my_method.py\"]\n"
            "  dir/exp.toml:5: methods[0] 'x': an external method needs a 'version' (a string; bump it when the "
            "method's output changes)\n"
            "  dir/exp.toml:8: methods[0] 'x': 'mode' must be \"per-cell\" or \"persistent\", got 'sometimes'");
  EXPECT_EQ(error_of(config("[[methods]]\nname = \"x\"\ncommand = [\"a\"]\nversion = \"1\"\nparams = 3\n")),
            "invalid config: dir/exp.toml:9: methods[0] 'x': 'params' must be a table of parameter values or lists, "
            "e.g. params = { temperature = [1.0, 1000.0] }");
  EXPECT_EQ(error_of(config("[[methods]]\nname = \"noop\"\ncommand = [\"a\"]\nversion = \"1\"\n")),
            "invalid config:\n  dir/exp.toml:5: external method 'noop' is named like a built-in method of suite "
            "'selftest' (choose another name)");
  EXPECT_EQ(error_of(config("[[methods]]\nname = \"x\"\ncommand = [\"a\"]\nversion = \"1\"\n"
                            "params = { t = [1, \"b\"] }\n")),
            "invalid config:\n  dir/exp.toml:9: external method 'x': parameter 't' mixes values of different types");
  EXPECT_NE(error_of(config("[[methods]]\nname = \"x\"\ncommand = [\"a\"]\nversion = \"1\"\n"
                            "[[methods]]\nname = \"x\"\ncommand = [\"b\"]\nversion = \"1\"\n"))
                .find("method 'x' is planned twice"),
            std::string::npos);
}

TEST(ExternalConfig, ACellRunsInProcessThroughTheSuite) {
  const std::string folder = (std::filesystem::temp_directory_path() / "sb-external-config-test").string();
  std::filesystem::create_directories(folder);
  // Writes the seed + t from cell.json's text as the value (sed: no Python needed).
  std::ofstream(folder + "/probe.sh")
      << "seed=$(sed 's/.*\"seed\": \\([0-9]*\\).*/\\1/' \"$1/cell.json\")\n"
         "echo \"{\\\"value\\\": $((seed + 10))}\" > \"$1/result.json\"\n";
  const Plan plan = make_plan(parse_config(folder + "/exp.toml", config(R"([[methods]]
name = "mine"
command = ["/bin/sh", "probe.sh"]
version = "1"
)")),
                              {});
  auto suite = make_suite("selftest");
  CellCache cache;
  const CellOutput out = run_cell_in_process(*suite, plan.spec_of(1), cache);
  ASSERT_EQ(out.metrics.size(), 1u);
  EXPECT_EQ(out.metrics[0].second, 11.0);  // seed 1
  std::filesystem::remove_all(folder);
}

}  // namespace
}  // namespace sb
