// The `shardbench` binary: dispatches to a subcommand and maps typed errors
// to messages and exit codes (the only place that does).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "harness/cli/commands.h"
#include "harness/core/errors.h"
#include "harness/core/registry.h"
#include "harness/core/suggest.h"
#include "harness/run/build_info.h"
#include "harness/run/executor.h"

namespace {

// The first sentence of a command's description, on as many lines as it
// takes (wrapped at 100 columns, indented under the command names).
std::string summary_of(const std::string& description) {
  std::string text = description;
  std::replace(text.begin(), text.end(), '\n', ' ');
  // A sentence ends at ". " before a capital ("e.g. --shard" does not).
  for (std::size_t end = text.find(". "); end != std::string::npos; end = text.find(". ", end + 1)) {
    if (end + 2 < text.size() && std::isupper(static_cast<unsigned char>(text[end + 2]))) {
      text.resize(end + 1);
      break;
    }
  }
  std::string out, line;
  std::istringstream words(text);
  for (std::string word; words >> word;) {
    if (!line.empty() && line.size() + 1 + word.size() > 85) {
      out += line + "\n" + std::string(15, ' ');
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  return out + line;
}

void print_usage(std::FILE* out) {
  fmt::print(out,
             "shardbench {} — distributed benchmark harness for ML methods\n\n"
             "usage: shardbench COMMAND [options]   (shardbench COMMAND --help for details)\n"
             "       shardbench --version             (version, commit, build type, compiler)\n\n"
             "commands:\n",
             sb::build_info().version);
  for (const auto& c : sb::commands()) {
    fmt::print(out, "  {:<12} {}\n", c.spec.name, summary_of(c.spec.description));
  }
  fmt::print(out,
             "\nexit codes: 0 ok; 1 some cells failed (or a reproduced table is outside tolerance);\n"
             "2 usage, config or input error (nothing was run or written); 3 internal or database error;\n"
             "128+N stopped by signal N (run the same command again to resume).\n"
             "Under mpirun, set OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 to run as root.\n");
}

int dispatch(int argc, char** argv) {
  if (argc < 2) {
    print_usage(stderr);
    return 2;
  }
  std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    print_usage(stdout);
    return 0;
  }
  if (name == "--version") {
    const auto& b = sb::build_info();
    fmt::print("shardbench {} ({}, {}, {})\n", b.version, b.git_commit, b.build_type, b.compiler);
    return 0;
  }
  if (!sb::registry_problems().empty()) {
    std::string all;
    for (const auto& p : sb::registry_problems()) all += "\n  " + p;
    throw sb::InternalError("the registry has problems:{}", all);
  }
  for (const auto& c : sb::commands()) {
    if (c.spec.name != name) continue;
    std::vector<std::string> rest(argv + 2, argv + argc);
    sb::Args args(c.spec, rest);
    if (args.help()) {
      fmt::print("{}", sb::command_help(c.spec));
      return 0;
    }
    return c.run(args);
  }
  std::vector<std::string> names;
  for (const auto& c : sb::commands()) names.push_back(c.spec.name);
  throw sb::InputError("unknown command '{}'{} (commands: {}; see shardbench --help)", name,
                       sb::did_you_mean(name, names), fmt::join(names, ", "));
}

}  // namespace

int main(int argc, char** argv) {
  // A rank's cell executor child (posix_spawn of this binary; executor.h).
  if (argc >= 2 && std::string(argv[1]) == sb::kExecutorCommand) sb::executor_child_main(argc, argv);
  auto report = [](const char* kind, const std::exception& e) {
    if (!sb::is_quiet_rank()) fmt::print(stderr, "shardbench: {}{}\n", kind, e.what());
  };
  try {
    return dispatch(argc, argv);
  } catch (const sb::InputError& e) {
    report("error: ", e);
    return 2;
  } catch (const sb::DatabaseError& e) {
    report("database error: ", e);
    return 3;
  } catch (const sb::InternalError& e) {
    report("internal error: ", e);
    return 3;
  } catch (const std::exception& e) {
    report("internal error: ", e);
    return 3;
  }
}
