#include "harness/run/provenance.h"

#include <fmt/format.h>
#include <mpi.h>
#include <sqlite3.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <Eigen/Core>
#include <boost/version.hpp>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <toml++/impl/version.h>  // TOML_LIB_*: the version alone, not the parser

namespace sb {

namespace {

// The value of the first "key : value" line of a /proc-style file.
std::string field_of(const std::string& path, const std::string& key, char separator) {
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(key, 0) != 0) continue;
    const auto at = line.find(separator);
    if (at == std::string::npos) continue;
    std::string value = line.substr(at + 1);
    value.erase(0, value.find_first_not_of(" \t\""));
    while (!value.empty() && (value.back() == ' ' || value.back() == '"')) value.pop_back();
    return value;
  }
  return "";
}

std::vector<std::string> split(const std::string& s, char c) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string item; std::getline(ss, item, c);) out.push_back(item);
  return out;
}

std::string mpi_library_version() {
  // Callable before MPI_Init (MPI 3.0); the first line names library and version.
  char text[MPI_MAX_LIBRARY_VERSION_STRING] = {};
  int length = 0;
  if (MPI_Get_library_version(text, &length) != MPI_SUCCESS) return "unknown";
  std::string out(text, static_cast<std::size_t>(length));
  out = out.substr(0, out.find('\n'));
  while (!out.empty() && (out.back() == '\0' || out.back() == ' ' || out.back() == ',')) out.pop_back();
  return out;
}

}  // namespace

std::string host_facts_line() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  std::string cpu = field_of("/proc/cpuinfo", "model name", ':');
  if (cpu.empty()) cpu = "unknown";
  const long cores = sysconf(_SC_NPROCESSORS_ONLN);
  const std::string mem_kb = field_of("/proc/meminfo", "MemTotal", ':');
  const long long mib = mem_kb.empty() ? 0 : std::stoll(mem_kb) / 1024;
  return fmt::format("{}\t{}\t{}\t{}", host, cpu, cores, mib);
}

std::vector<std::pair<std::string, std::string>> run_environment(const std::vector<std::string>& host_lines,
                                                                 const EnvLookup& env) {
  std::map<std::string, int> ranks_per_host;
  std::map<std::string, std::vector<std::string>> facts_of_host;  // host -> cpu, cores, mib
  for (const auto& line : host_lines) {
    auto parts = split(line, '\t');
    parts.resize(4);
    ++ranks_per_host[parts[0]];
    facts_of_host[parts[0]] = {parts[1], parts[2], parts[3]};
  }
  // One value when every host agrees, else "host: value; ...".
  auto per_host = [&](std::size_t field) {
    std::set<std::string> distinct;
    for (const auto& [host, facts] : facts_of_host) distinct.insert(facts[field]);
    if (distinct.size() <= 1) return distinct.empty() ? std::string() : *distinct.begin();
    std::string out;
    for (const auto& [host, facts] : facts_of_host) out += (out.empty() ? "" : "; ") + host + ": " + facts[field];
    return out;
  };
  std::string hosts;
  for (const auto& [host, n] : ranks_per_host) hosts += (hosts.empty() ? "" : ",") + fmt::format("{}={}", host, n);

  struct utsname uts {};
  uname(&uts);
  std::string os = field_of("/etc/os-release", "PRETTY_NAME", '=');
  os += (os.empty() ? "" : "; ") + std::string(uts.sysname) + " " + uts.release + " " + uts.machine;
  const SchedulerInfo scheduler = scheduler_info(env);

  return {
      {"ranks_per_host", hosts},
      {"cpu_model", per_host(0)},
      {"cpu_cores", per_host(1)},
      {"memory_mib", per_host(2)},
      {"mpi_library", mpi_library_version()},
      {"launcher", scheduler.launcher},
      {"scheduler", scheduler.scheduler},
      {"job_id", scheduler.job_id},
      {"os", os},
      {"sqlite", sqlite3_libversion()},
      {"boost", fmt::format("{}.{}.{}", BOOST_VERSION / 100000, BOOST_VERSION / 100 % 1000, BOOST_VERSION % 100)},
      {"eigen", fmt::format("{}.{}.{}", EIGEN_WORLD_VERSION, EIGEN_MAJOR_VERSION, EIGEN_MINOR_VERSION)},
      {"fmt", fmt::format("{}.{}.{}", FMT_VERSION / 10000, FMT_VERSION / 100 % 100, FMT_VERSION % 100)},
      {"tomlplusplus", fmt::format("{}.{}.{}", TOML_LIB_MAJOR, TOML_LIB_MINOR, TOML_LIB_PATCH)},
  };
}

}  // namespace sb
