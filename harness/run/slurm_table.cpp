#include "harness/run/slurm_table.h"

#include <fmt/format.h>

#include <regex>

namespace sb {

std::string check_slurm_time(const std::string& value) {
  // sbatch --time: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS.
  static const std::regex kTime(R"(^(\d+-\d+(:\d+){0,2}|\d+(:\d+){0,2}|UNLIMITED|INFINITE)$)");
  if (std::regex_match(value, kTime)) return "";
  return fmt::format("time '{}' is not an sbatch time (minutes, HH:MM:SS or D-HH:MM:SS)", value);
}

std::string check_slurm_word(const std::string& what, const std::string& value) {
  // One word of safe characters: it is written into a #SBATCH line.
  static const std::regex kWord(R"(^[A-Za-z0-9_.,:+=@%/-]+$)");
  if (std::regex_match(value, kWord)) return "";
  return fmt::format("{} '{}' must be one word of letters, digits and _ . , : + = @ % / -", what, value);
}

void parse_slurm_table(const toml::node& node, SlurmDefaults& out,
                       const std::function<void(int, const std::string&)>& problem) {
  const auto line_of = [](const toml::node& n) { return static_cast<int>(n.source().begin.line); };
  const toml::table* table = node.as_table();
  if (!table) {
    problem(line_of(node), "'slurm' must be a table ([slurm])");
    return;
  }
  auto text = [&](const toml::node& v, const std::string& key, std::string& field) {
    if (!v.is_string()) return problem(line_of(v), fmt::format("slurm.{} must be a string", key));
    field = v.as_string()->get();
    const std::string bad = key == "time" ? check_slurm_time(field) : check_slurm_word("slurm." + key, field);
    if (!bad.empty()) problem(line_of(v), bad);
  };
  auto count = [&](const toml::node& v, const std::string& key, int& field) {
    const auto* n = v.as_integer();
    if (!n || n->get() < 1 || n->get() > 1000000) {
      return problem(line_of(v), fmt::format("slurm.{} must be a whole number in [1, 1000000]", key));
    }
    field = static_cast<int>(n->get());
  };
  auto lines = [&](const toml::node& v, const std::string& key, std::vector<std::string>& field) {
    const auto* list = v.as_array();
    if (!list) return problem(line_of(v), fmt::format("slurm.{} must be a list of strings", key));
    for (const auto& e : *list) {
      if (!e.is_string()) {
        problem(line_of(e), fmt::format("slurm.{} must be a list of strings", key));
        continue;
      }
      const std::string s = e.as_string()->get();
      if (s.find_first_of("\n\r") != std::string::npos) {
        problem(line_of(e), fmt::format("slurm.{}: one line per entry (no newline)", key));
      } else if (key == "sbatch" && (s.rfind("--", 0) != 0 || s.find(' ') != std::string::npos)) {
        problem(line_of(e), fmt::format("slurm.sbatch: '{}' must be one long option, e.g. \"--qos=long\"", s));
      } else {
        field.push_back(s);
      }
    }
  };
  for (const auto& [k, v] : *table) {
    const std::string key(k.str());
    if (key == "mode" || key == "launcher") {
      std::string value;
      if (!v.is_string()) {
        problem(line_of(v), fmt::format("slurm.{} must be a string", key));
        continue;
      }
      value = v.as_string()->get();
      const bool ok = key == "mode" ? (value == "mpi" || value == "array") : (value == "srun" || value == "mpirun");
      if (!ok) {
        problem(line_of(v), fmt::format("slurm.{} = '{}' must be {}", key, value,
                                        key == "mode" ? "\"mpi\" or \"array\"" : "\"srun\" or \"mpirun\""));
      }
      (key == "mode" ? out.mode : out.launcher) = value;
    } else if (key == "nodes") {
      count(v, key, out.nodes);
    } else if (key == "ntasks") {
      count(v, key, out.ntasks);
    } else if (key == "cpus_per_task") {
      count(v, key, out.cpus_per_task);
    } else if (key == "shards") {
      count(v, key, out.shards);
    } else if (key == "time") {
      text(v, key, out.time);
    } else if (key == "partition") {
      text(v, key, out.partition);
    } else if (key == "account") {
      text(v, key, out.account);
    } else if (key == "qos") {
      text(v, key, out.qos);
    } else if (key == "mem") {
      text(v, key, out.mem);
    } else if (key == "sbatch") {
      lines(v, key, out.sbatch);
    } else if (key == "setup") {
      lines(v, key, out.setup);
    } else {
      problem(line_of(v), fmt::format("unknown key 'slurm.{}' (valid: mode, launcher, nodes, ntasks, "
                                      "cpus_per_task, shards, time, partition, account, qos, mem, sbatch, setup)",
                                      key));
    }
  }
}

}  // namespace sb
