#include "harness/run/executor.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "harness/core/errors.h"
#include "harness/run/output_checks.h"

namespace sb {

namespace {

// CPU time (user + system) and peak RSS of this process, from one system
// call: cells of ~50 us made three calls per cell a visible cost.
struct Usage {
  double cpu_seconds = 0;
  std::int64_t peak_rss_kb = 0;
};
Usage usage_now() {
  rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; };
  return {seconds(ru.ru_utime) + seconds(ru.ru_stime), ru.ru_maxrss};  // kilobytes on Linux
}

bool write_all(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

bool read_all(int fd, char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::read(fd, data, size);
    if (n == 0) return false;
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

// The child: reads chunks ([u32 report_each][u32 count][u32 index...]) and
// runs them, writing outcome frames. Never returns.
[[noreturn]] void child_main(const Plan& plan, int in, int out, int rank) {
  std::unique_ptr<Suite> suite;
  std::string suite_error;
  try {
    suite = make_suite(plan.suite);
  } catch (const std::exception& e) {
    suite_error = e.what();
  }
  const std::vector<MetricInfo> declared_metrics = suite ? suite->metrics() : std::vector<MetricInfo>{};
  CellCache cache;
  // One mutable spec per arm: a cell's spec is its arm's with the seed set.
  std::vector<CellSpec> arm_specs;
  for (const auto& arm : plan.arms) arm_specs.push_back(arm.spec);
  std::string batch;
  for (;;) {
    std::uint32_t header[2];
    if (!read_all(in, reinterpret_cast<char*>(header), sizeof header)) _exit(0);
    std::vector<std::uint32_t> chunk(header[1]);
    if (!read_all(in, reinterpret_cast<char*>(chunk.data()), chunk.size() * sizeof(std::uint32_t))) _exit(0);
    const bool report_each = header[0] != 0;
    auto last_flush = std::chrono::steady_clock::now();
    // A cell's CPU time starts at the previous cell's end reading (only its
    // outcome's encoding, ~1 us, lies between) unless a report was written.
    Usage start = usage_now();
    for (std::uint32_t index : chunk) {
      CellOutcome o;
      o.index = index;
      o.rank = rank;
      auto wall0 = std::chrono::steady_clock::now();
      try {
        if (!suite) throw InternalError("{}", suite_error);
        const PlannedCell& cell = plan.cells.at(index);
        CellSpec& spec = arm_specs.at(cell.arm);
        spec.seed = cell.seed;
        o.output = suite->run(spec, cache);
        check_cell_output(o.output, declared_metrics);
        o.status = "ok";
      } catch (const std::exception& e) {
        o.status = "error";
        o.error = e.what();
        o.output = CellOutput{};
      } catch (...) {
        o.status = "error";
        o.error = "unknown exception (not derived from std::exception)";
        o.output = CellOutput{};
      }
      auto wall1 = std::chrono::steady_clock::now();
      const Usage end = usage_now();
      o.wall_seconds = std::chrono::duration<double>(wall1 - wall0).count();
      o.cpu_seconds = end.cpu_seconds - start.cpu_seconds;
      o.peak_rss_kb = end.peak_rss_kb;
      encode_outcome(o, batch);
      start = end;
      // Batched reports keep pipe traffic low for tiny cells; slow cells are
      // reported at once so that progress and crash attribution stay exact.
      if (report_each || batch.size() > (1 << 16) || wall1 - last_flush > std::chrono::milliseconds(20)) {
        if (!write_all(out, batch.data(), batch.size())) _exit(0);
        batch.clear();
        last_flush = wall1;
        start = usage_now();
      }
    }
    if (!batch.empty()) {
      if (!write_all(out, batch.data(), batch.size())) _exit(0);
      batch.clear();
    }
  }
}

}  // namespace

Executor::Executor(const Plan& plan, double timeout_seconds, int rank)
    : plan_(plan), timeout_seconds_(timeout_seconds), rank_(rank) {}

Executor::~Executor() {
  if (child_ > 0 && !busy()) {
    // An idle child exits by itself when its input closes (and profilers
    // such as callgrind get to write their output).
    ::close(to_child_);
    to_child_ = -1;
    while (waitpid(child_, nullptr, 0) < 0 && errno == EINTR) {
    }
    child_ = -1;
  }
  kill_child();
}

void Executor::spawn() {
  int down[2], up[2];
  if (pipe2(down, O_CLOEXEC) != 0 || pipe2(up, O_CLOEXEC) != 0) {
    throw InternalError("cannot create pipes for the cell executor: {}", std::strerror(errno));
  }
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) throw InternalError("cannot fork the cell executor: {}", std::strerror(errno));
  if (pid == 0) {
    // The child dies with its rank, and leaves signals to it: the rank
    // decides what an interruption means.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(0);
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    ::close(down[1]);
    ::close(up[0]);
    child_main(plan_, down[0], up[1], rank_);
  }
  ::close(down[0]);
  ::close(up[1]);
  child_ = pid;
  to_child_ = down[1];
  from_child_ = up[0];
  fcntl(from_child_, F_SETFL, fcntl(from_child_, F_GETFL) | O_NONBLOCK);
  buffer_.clear();
}

void Executor::kill_child() {
  if (child_ > 0) {
    ::kill(child_, SIGKILL);
    while (waitpid(child_, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  if (to_child_ >= 0) ::close(to_child_);
  if (from_child_ >= 0) ::close(from_child_);
  child_ = -1;
  to_child_ = from_child_ = -1;
  buffer_.clear();
}

void Executor::send_chunk(bool report_each) {
  if (child_ < 0) spawn();
  report_each_ = report_each;
  std::uint32_t header[2] = {report_each ? 1u : 0u, static_cast<std::uint32_t>(pending_.size())};
  std::string msg(reinterpret_cast<const char*>(header), sizeof header);
  for (auto i : pending_) msg.append(reinterpret_cast<const char*>(&i), sizeof i);
  // A child that died between chunks shows up here as a failed write
  // (SIGPIPE is ignored by the harness); service() then sees EOF and retries.
  write_all(to_child_, msg.data(), msg.size());
  last_progress_ = std::chrono::steady_clock::now();
}

void Executor::start(std::vector<std::uint32_t> chunk) {
  if (busy()) throw InternalError("executor started while busy");
  if (chunk.empty()) return;
  pending_.assign(chunk.begin(), chunk.end());
  send_chunk(timeout_seconds_ > 0);
}

int Executor::ms_to_deadline() const {
  if (!busy() || timeout_seconds_ <= 0) return -1;
  auto deadline = last_progress_ + std::chrono::duration<double>(timeout_seconds_);
  auto left = std::chrono::duration<double, std::milli>(deadline - std::chrono::steady_clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(left) + 1;
}

void Executor::fail_first_pending(const std::string& status, const std::string& message,
                                  std::vector<CellOutcome>& out) {
  CellOutcome o;
  o.index = pending_.front();
  o.status = status;
  o.error = message;
  o.rank = rank_;
  o.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - last_progress_).count();
  pending_.pop_front();
  out.push_back(std::move(o));
}

bool Executor::service(std::vector<CellOutcome>& out) {
  if (!busy()) return false;
  bool progress = false;
  bool eof = false;
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(from_child_, buf, sizeof buf);
    if (n > 0) {
      buffer_.append(buf, static_cast<size_t>(n));
      continue;
    }
    if (n == 0) eof = true;
    if (n < 0 && errno == EINTR) continue;
    break;  // EAGAIN: nothing more now
  }
  std::vector<CellOutcome> got;
  decode_outcomes(buffer_, got);
  for (auto& o : got) {
    if (pending_.empty() || pending_.front() != o.index) {
      throw InternalError("executor reported cell {} out of order", o.index);
    }
    pending_.pop_front();
    out.push_back(std::move(o));
    progress = true;
  }
  if (progress) last_progress_ = std::chrono::steady_clock::now();

  if (eof && busy()) {
    // The child died with cells unreported.
    int status = 0;
    while (waitpid(child_, &status, 0) < 0 && errno == EINTR) {
    }
    child_ = -1;
    kill_child();
    if (report_each_) {
      ++crashes_;
      std::string why = WIFSIGNALED(status) ? fmt::format("killed by signal {} ({})", WTERMSIG(status),
                                                          strsignal(WTERMSIG(status)))
                                            : fmt::format("exited with status {}", WEXITSTATUS(status));
      fail_first_pending("crashed", "cell process " + why, out);
    }
    if (busy()) send_chunk(true);
    return true;
  }
  if (busy() && timeout_seconds_ > 0 && ms_to_deadline() == 0) {
    kill_child();
    fail_first_pending("timeout", fmt::format("cell ran past --timeout {} s", timeout_seconds_), out);
    if (busy()) send_chunk(true);
    return true;
  }
  return progress;
}

void Executor::abandon() {
  kill_child();
  pending_.clear();
}

}  // namespace sb
