#include "harness/core/external.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "harness/core/errors.h"
#include "harness/core/json.h"

extern char** environ;

namespace sb {

namespace {

std::string command_text(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) out += (out.empty() ? "" : " ") + a;
  return out;
}

// "killed by signal 11 (Segmentation fault)" / "exited with status 3"; the
// first throws CellCrashed (a crash of the cell), the second MethodError.
// A program that runs out of memory under --memory-limit fails its own way
// (Python: MemoryError, exit 1; C++: bad_alloc, SIGABRT): the limit is named
// so the reader knows where to look.
std::string memory_limit_note() {
  rlimit limit{};
  if (getrlimit(RLIMIT_AS, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return "";
  return fmt::format(" (a memory limit of {} MiB was in force: --memory-limit)", limit.rlim_cur >> 20);
}

[[noreturn]] void throw_exit(const ExternalMethod& m, int status, const char* when) {
  if (WIFSIGNALED(status)) {
    throw CellCrashed("external method '{}': command `{}` killed by signal {} ({}){}{}", m.name,
                      command_text(m.command), WTERMSIG(status), strsignal(WTERMSIG(status)), when,
                      memory_limit_note());
  }
  throw MethodError("external method '{}': command `{}` exited with status {}{}{}", m.name, command_text(m.command),
                    WIFEXITED(status) ? WEXITSTATUS(status) : -1, when, memory_limit_note());
}

// Spawns argv in `workdir` with stdin/stdout from the given descriptors
// (-1: /dev/null for stdin, inherited for stdout); stderr is inherited (the
// cell's output). The program stays in the executor's process group, so a
// timeout or the end of the run kills it with the executor.
pid_t spawn(const ExternalMethod& m, const std::vector<std::string>& argv, int stdin_fd, int stdout_fd) {
  SB_THROW_IF_NOT(InternalError, !argv.empty(), "external method '{}' has an empty command", m.name);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (stdin_fd >= 0) {
    posix_spawn_file_actions_adddup2(&actions, stdin_fd, STDIN_FILENO);
  } else {
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  }
  if (stdout_fd >= 0) posix_spawn_file_actions_adddup2(&actions, stdout_fd, STDOUT_FILENO);
  if (!m.workdir.empty()) posix_spawn_file_actions_addchdir_np(&actions, m.workdir.c_str());
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  // The executor ignores SIGINT, SIGTERM and SIGPIPE (the rank decides what
  // they mean); the program gets the defaults back, so its own terminate(),
  // KeyboardInterrupt and broken pipes behave as they do in a shell.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t defaults, none;
  sigemptyset(&defaults);
  for (int sig : {SIGINT, SIGTERM, SIGPIPE, SIGHUP}) sigaddset(&defaults, sig);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, args[0], &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    throw MethodError("external method '{}': cannot start `{}` in '{}': {}", m.name, command_text(argv),
                      m.workdir.empty() ? "." : m.workdir, std::strerror(rc));
  }
  return pid;
}

int wait_for(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return status;
}

// One long-lived process of a persistent method: cells go in as lines on its
// stdin, answers come back as lines on its stdout.
class PersistentProcess {
 public:
  explicit PersistentProcess(const ExternalMethod& m) : method_(m) {
    int in[2], out[2];
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) {
      throw MethodError("external method '{}': cannot create pipes: {}", m.name, std::strerror(errno));
    }
    try {
      pid_ = spawn(m, m.command, in[0], out[1]);
    } catch (...) {
      for (int fd : {in[0], in[1], out[0], out[1]}) close(fd);
      throw;
    }
    close(in[0]);
    close(out[1]);
    to_ = in[1];
    from_ = out[0];
  }
  ~PersistentProcess() { stop(); }

  void stop() {
    if (pid_ <= 0) return;
    close(to_);  // EOF on its stdin: the process ends its loop
    close(from_);
    wait_for(pid_);
    pid_ = -1;
  }

  // Sends `dir`, waits for the answer: empty for "ok", else the method's
  // error message. Lines that are not an answer are the method's own prints:
  // they go to the cell's output.
  std::string run_cell(const std::string& dir) {
    const std::string line = dir + "\n";
    if (!write_all(line)) died(" before reading the cell");
    for (;;) {
      std::string answer;
      if (!read_line(answer)) died(" while running the cell");
      if (answer == "ok") return "";
      if (answer.rfind("error", 0) == 0) {
        std::string what = answer.substr(5);
        if (!what.empty() && what[0] == ' ') what.erase(0, 1);
        return what.empty() ? "(no message)" : what;
      }
      answer += '\n';
      pass_on(answer);
    }
  }

 private:
  // The method's own prints go to the cell's output (best effort).
  static void pass_on(const std::string& text) {
    if (::write(STDERR_FILENO, text.data(), text.size()) < 0) {
      // nothing to do: the output is only kept for the cell's message
    }
  }
  bool write_all(const std::string& s) {
    size_t done = 0;
    while (done < s.size()) {
      const ssize_t n = ::write(to_, s.data() + done, s.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      done += static_cast<size_t>(n);
    }
    return true;
  }
  bool read_line(std::string& line) {
    // No answer line is this long: a longer line is the method's own output
    // (a progress bar without newlines, a dump), passed on, not held.
    constexpr size_t kLongestLine = size_t{1} << 20;
    for (;;) {
      if (const auto nl = buffer_.find('\n', scanned_); nl != std::string::npos) {
        line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        scanned_ = 0;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        return true;
      }
      scanned_ = buffer_.size();  // the next search starts at the new bytes
      if (buffer_.size() > kLongestLine && !long_answer_) {
        if (buffer_.rfind("error", 0) == 0) {
          long_answer_ = true;  // an answer with a huge message: keep its start, drop the rest of the line
          buffer_.resize(kLongestLine);
        } else {
          pass_on(buffer_);
          buffer_.clear();
        }
        scanned_ = buffer_.size();
      }
      char chunk[65536];
      const ssize_t n = ::read(from_, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      if (long_answer_) {  // dropped up to the newline, which ends the kept answer
        const char* nl = static_cast<const char*>(std::memchr(chunk, '\n', static_cast<size_t>(n)));
        if (!nl) continue;
        long_answer_ = false;
        buffer_.append(nl, static_cast<size_t>(chunk + n - nl));
        continue;
      }
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }
  [[noreturn]] void died(const char* when) {
    close(to_);
    close(from_);
    const int status = wait_for(pid_);
    pid_ = -1;
    if (status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
      throw MethodError("external method '{}': command `{}` ended (status 0){} without answering 'ok'",
                        method_.name, command_text(method_.command), when);
    }
    throw_exit(method_, status, when);
  }

  ExternalMethod method_;
  pid_t pid_ = -1;
  int to_ = -1, from_ = -1;
  std::string buffer_;
  size_t scanned_ = 0;        // buffer_[0, scanned_) holds no newline
  bool long_answer_ = false;  // dropping the rest of an over-long answer line
};

std::map<std::string, std::unique_ptr<PersistentProcess>>& processes() {
  static std::map<std::string, std::unique_ptr<PersistentProcess>> p;
  return p;
}

std::string process_key(const ExternalMethod& m) {
  std::string key = m.workdir;
  for (const auto& a : m.command) key += '\0' + a;
  return key;
}

}  // namespace

ExternalCellDir::ExternalCellDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/shardbench-cell-XXXXXX";
  if (!mkdtemp(pattern.data())) {
    throw MethodError("cannot create a cell directory '{}': {}", pattern, std::strerror(errno));
  }
  path_ = pattern;
}

void ExternalCellDir::write_text(const std::string& name, const std::string& text) const {
  std::ofstream out(file(name), std::ios::binary);
  out << text;
  if (!out) throw MethodError("cannot write '{}'", file(name));
}

ExternalCellDir::~ExternalCellDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void run_external_method(const ExternalMethod& method, const std::string& dir) {
  std::fflush(stdout);  // the program appends to the same cell output
  std::fflush(stderr);
  if (!method.persistent) {
    std::vector<std::string> argv = method.command;
    argv.push_back(dir);
    const pid_t pid = spawn(method, argv, -1, -1);
    const int status = wait_for(pid);
    if (status < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) throw_exit(method, status, "");
    return;
  }
  auto& process = processes()[process_key(method)];
  if (!process) {
    // A write to a process that died must fail (EPIPE: its cell fails), not
    // kill the caller; the executor child ignores SIGPIPE already.
    signal(SIGPIPE, SIG_IGN);
    process = std::make_unique<PersistentProcess>(method);
  }
  std::string error;
  try {
    error = process->run_cell(dir);
  } catch (const MethodError&) {
    processes().erase(process_key(method));  // it died: the next cell starts a new one
    throw;
  }
  if (!error.empty()) throw MethodError("external method '{}' failed: {}", method.name, error);
}

void stop_external_processes() { processes().clear(); }

std::string external_cell_json(const std::string& suite, const std::string& method, const ParamSet& params,
                               std::uint64_t seed, const std::vector<ExternalArray>& arrays,
                               const std::vector<std::pair<std::string, std::string>>& extra) {
  std::string out = "{\"suite\": " + json_quote(suite) + ", \"method\": " + json_quote(method) +
                    ", \"params\": " + params.to_json() + ", \"seed\": " + std::to_string(seed) + ", \"arrays\": {";
  for (size_t i = 0; i < arrays.size(); ++i) {
    out += (i ? ", " : "") + json_quote(arrays[i].name) + ": {\"shape\": [";
    for (size_t d = 0; d < arrays[i].shape.size(); ++d) out += (d ? ", " : "") + std::to_string(arrays[i].shape[d]);
    out += "], \"dtype\": " + json_quote(arrays[i].dtype) + "}";
  }
  out += "}";
  for (const auto& [key, value] : extra) out += ", " + json_quote(key) + ": " + value;
  return out + "}\n";
}

namespace {

// Reader of the flat JSON objects methods write: numbers, null, strings
// (skipped) and arrays of numbers/null.
class FlatJsonReader {
 public:
  // `where` names the file in messages.
  FlatJsonReader(std::string text, std::string where) : s_(std::move(text)), where_(std::move(where)) {}

  ExternalJson read() {
    ExternalJson out;
    expect('{');
    if (peek() == '}') {
      ++i_;
    } else {
      for (;;) {
        const std::string key = string_value();
        expect(':');
        std::vector<double> values;
        bool keep = true;
        if (peek() == '[') {
          ++i_;
          if (peek() == ']') {
            ++i_;
          } else {
            for (;;) {
              values.push_back(number_or_null());
              if (peek() == ',') { ++i_; continue; }
              expect(']');
              break;
            }
          }
        } else if (peek() == '"') {
          string_value();
          keep = false;
        } else {
          values.push_back(number_or_null());
        }
        if (keep && !out.emplace(key, std::move(values)).second) fail("key '" + key + "' appears twice");
        if (peek() == ',') { ++i_; continue; }
        expect('}');
        break;
      }
    }
    if (peek() != '\0') fail("text after the object");
    return out;
  }

 private:
  char peek() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
    return i_ < s_.size() ? s_[i_] : '\0';
  }
  [[noreturn]] void fail(const std::string& what) {
    throw MethodError("{}: invalid JSON at byte {}: {}", where_, i_, what);
  }
  void expect(char c) {
    if (peek() != c) fail(fmt::format("expected '{}'", c));
    ++i_;
  }
  std::string string_value() {
    expect('"');
    std::string out;
    while (i_ < s_.size() && s_[i_] != '"') {
      if (s_[i_] == '\\' && i_ + 1 < s_.size()) ++i_;  // escapes kept literally: keys are plain names
      out += s_[i_++];
    }
    if (i_ >= s_.size()) fail("unterminated string");
    ++i_;
    return out;
  }
  double number_or_null() {
    peek();
    if (s_.compare(i_, 4, "null") == 0) {
      i_ += 4;
      return std::numeric_limits<double>::quiet_NaN();
    }
    const char* begin = s_.c_str() + i_;
    char* end = nullptr;
    const double v = std::strtod(begin, &end);
    if (end == begin) fail("expected a number, null or an array of them");
    // strtod also reads nan/inf/hex, which JSON does not have.
    for (const char* p = begin; p < end; ++p) {
      if (!std::strchr("0123456789+-.eE", *p)) fail("expected a JSON number");
    }
    if (!std::isfinite(v)) fail("number out of the range of a double");  // 1e999 reads as inf
    i_ += static_cast<size_t>(end - begin);
    return v;
  }

  std::string s_;
  std::string where_;
  size_t i_ = 0;
};

}  // namespace

ExternalJson read_external_json(const std::string& path, const std::string& method) {
  const std::string name = std::filesystem::path(path).filename().string();
  std::ifstream in(path, std::ios::binary);
  if (!in) throw MethodError("external method '{}' wrote no '{}'", method, name);
  std::ostringstream os;
  os << in.rdbuf();
  return FlatJsonReader(os.str(), fmt::format("external method '{}': '{}'", method, name)).read();
}

}  // namespace sb
