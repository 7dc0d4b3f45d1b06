// External methods: a method given in a config as a command (any language)
// instead of a registered C++ class. The suite writes a cell's method inputs
// to a fresh private directory (.npy arrays + cell.json), the command reads
// them and writes its outputs there, and the suite reads them back, checks
// them and grades them like a built-in's (docs/EXTERNAL.md).
//
// The command runs inside the executor child: the run's --timeout and
// --memory-limit (RLIMIT_AS, inherited across exec) apply to it, its stdout
// and stderr land in the cell's output (whose tail a failed cell's message
// keeps), and it dies with the child's process group.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "harness/core/errors.h"
#include "harness/core/params.h"

namespace sb {

// A program a cell started (an external method's command) died of a signal:
// the executor records the cell as `crashed`, as if the cell itself had
// crashed, and carries on in the same process.
class CellCrashed : public MethodError {
 public:
  using MethodError::MethodError;
  template <class... Args>
  explicit CellCrashed(fmt::format_string<Args...> f, Args&&... args)
      : MethodError(fmt::format(f, std::forward<Args>(args)...)) {}
};

struct ExternalMethod {
  std::string name;                  // the method's label in results
  std::vector<std::string> command;  // argv; per-cell mode appends the cell directory
  std::string version;               // enters the cell key, like a built-in's
  // mode = "persistent": one process per executor, fed one cell directory
  // per line on its stdin; it answers "ok" or "error <message>" on stdout.
  bool persistent = false;
  std::string workdir;  // the command's working directory: the config file's folder
};

// A fresh directory (mode 0700) under $TMPDIR (else /tmp) for one cell's
// inputs and outputs; removed with its content on destruction.
class ExternalCellDir {
 public:
  ExternalCellDir();
  ~ExternalCellDir();
  ExternalCellDir(const ExternalCellDir&) = delete;
  ExternalCellDir& operator=(const ExternalCellDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  // Writes `text` to file(name); throws MethodError when it cannot (a full disk).
  void write_text(const std::string& name, const std::string& text) const;

 private:
  std::string path_;
};

// Runs `method` on the cell directory `dir` (per-cell: spawns the command
// with `dir` as its last argument and waits; persistent: hands `dir` to the
// method's long-lived process, started on first use). Throws CellCrashed when
// the program died of a signal, MethodError when it exited non-zero, answered
// "error ..." or stopped answering.
void run_external_method(const ExternalMethod& method, const std::string& dir);

// Stops the long-lived processes of persistent methods (closes their stdin,
// waits for them): for tests and the end of an executor.
void stop_external_processes();

// cell.json: what every suite writes beside its arrays. `arrays` names each
// .npy file written (without ".npy") with its shape; `extra` holds the
// suite's own fields as (key, JSON value) pairs.
struct ExternalArray {
  std::string name;
  std::vector<std::int64_t> shape;
  std::string dtype;  // "float64", "int32" or "int64"
};
std::string external_cell_json(const std::string& suite, const std::string& method, const ParamSet& params,
                               std::uint64_t seed, const std::vector<ExternalArray>& arrays,
                               const std::vector<std::pair<std::string, std::string>>& extra = {});

// A method's JSON output (e.g. estimate.json): one object whose values are
// numbers, null (NaN), or arrays of numbers/null; string values are ignored
// (free-form notes); a number beyond a double's range (1e999) is an error.
// Throws MethodError naming the method, the file and the position.
using ExternalJson = std::map<std::string, std::vector<double>>;
ExternalJson read_external_json(const std::string& path, const std::string& method);

}  // namespace sb
