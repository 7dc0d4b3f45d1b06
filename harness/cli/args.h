// Command-line parsing for the subcommands: each declares its options; an
// unknown option, a missing value or a wrong count of positionals is an
// InputError (exit 2) that names the option and points to --help.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace sb {

struct OptionSpec {
  std::string name;        // "--db"
  std::string value_name;  // "FILE"; empty for a flag
  std::string help;
};

struct CommandSpec {
  std::string name;
  std::string synopsis;     // "CONFIG.toml [options]"
  std::string description;
  std::vector<OptionSpec> options;
  size_t min_positional = 0;
  size_t max_positional = 0;
};

class Args {
 public:
  // Parses argv (after the command name). `--help` sets help().
  Args(const CommandSpec& spec, const std::vector<std::string>& argv);

  bool help() const { return help_; }
  const std::vector<std::string>& positional() const { return positional_; }
  bool flag(const std::string& name) const { return flags_.count(name) > 0; }
  std::optional<std::string> value(const std::string& name) const;
  std::string value_or(const std::string& name, const std::string& fallback) const;
  // Every value of an option given several times (e.g. -s), in order.
  std::vector<std::string> values(const std::string& name) const;
  // Parses a numeric option; InputError naming the option on a bad value.
  double number_or(const std::string& name, double fallback, double min, double max) const;

 private:
  bool help_ = false;
  std::vector<std::string> positional_;
  std::set<std::string> flags_;
  std::map<std::string, std::string> values_;
  std::map<std::string, std::vector<std::string>> all_values_;
};

std::string command_help(const CommandSpec& spec);

}  // namespace sb
