#include "harness/run/executor.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <new>
#include <optional>
#include <unordered_map>

#include "harness/core/errors.h"
#include "harness/core/external.h"
#include "harness/core/memory.h"
#include "harness/run/executor_wire.h"
#include "harness/run/output_checks.h"

extern char** environ;

namespace sb {

// Written by the child, read by the rank: the cell the child is running.
struct Executor::SharedState {
  std::atomic<std::uint64_t> progress{0};       // (chunk seq << 32) | cells of the chunk started
  std::atomic<std::int64_t> cell_start_ns{0};   // steady_clock time of the running cell's start
  std::atomic<std::uint32_t> alloc_failed{0};   // operator new failed in the running cell
};
static_assert(std::atomic<std::uint64_t>::is_always_lock_free && std::atomic<std::int64_t>::is_always_lock_free,
              "the shared page needs lock-free atomics");

namespace {

using namespace executor_wire;

// The child's file descriptors (set up by posix_spawn).
constexpr int kChildIn = 3, kChildOut = 4, kChildState = 5;

#if defined(__SANITIZE_ADDRESS__)
#define SB_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SB_ASAN 1  // clang
#endif
#endif
#ifdef SB_ASAN
constexpr bool kAddressSanitizer = true;  // reserves terabytes of address space: no RLIMIT_AS
#else
constexpr bool kAddressSanitizer = false;
#endif

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

std::int64_t steady_ns(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

std::string mib(std::uint64_t bytes) { return fmt::format("{} MiB", bytes >> 20); }

// ---- child side -------------------------------------------------------

Executor::SharedState* g_state = nullptr;

// operator new failed (under --memory-limit: RLIMIT_AS): note it for the
// rank, which may only see the process die, then fail as usual.
void on_alloc_failure() {
  if (g_state) g_state->alloc_failed.store(1, std::memory_order_relaxed);
  throw std::bad_alloc();
}

// Clears the output file before a cell; one lseek when the last cell printed nothing.
void reset_output() {
  std::fflush(stdout);
  std::fflush(stderr);
  if (lseek(STDOUT_FILENO, 0, SEEK_CUR) > 0) {
    if (ftruncate(STDOUT_FILENO, 0) != 0) return;
    lseek(STDOUT_FILENO, 0, SEEK_SET);
  }
}

std::string captured_output() {
  std::cout.flush();
  std::fflush(stdout);
  std::fflush(stderr);
  if (lseek(STDOUT_FILENO, 0, SEEK_CUR) <= 0) return "";
  return output_section(STDOUT_FILENO);
}

// Marks a reference delivery on the child's input (a chunk's sequence
// number is never 0).
constexpr std::uint32_t kReferenceFrame = 0;

// SB_REFERENCE_LOG=FILE: a line per reference computation started ("label
// seed=N"), appended by every executor, for tests that count them.
void note_reference(const Plan& plan, std::uint32_t job) {
  static const char* path = std::getenv("SB_REFERENCE_LOG");
  if (!path || !*path) return;
  const std::string line = fmt::format("{} seed={}\n", plan.reference_label(job), plan.reference_of_job(job).seed);
  const int fd = ::open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return;
  write_all(fd, line.data(), line.size());  // one O_APPEND write: lines never interleave
  ::close(fd);
}

// The references cell `index` depends on, by name, from those delivered.
std::vector<std::pair<std::string, std::shared_ptr<const CellOutput>>> cell_references(
    const Plan& plan, std::uint32_t index,
    const std::unordered_map<std::uint32_t, std::shared_ptr<const CellOutput>>& delivered) {
  std::vector<std::pair<std::string, std::shared_ptr<const CellOutput>>> out;
  for (auto job : plan.reference_jobs_of(index)) {
    const auto it = delivered.find(job);
    if (it == delivered.end()) {
      throw InternalError("reference '{}' (seed {}) was not delivered to this executor", plan.reference_label(job),
                          plan.reference_of_job(job).seed);
    }
    out.emplace_back(plan.reference_spec(job).name, it->second);
  }
  return out;
}

// The child: reads chunks ([u32 seq][u32 count][u32 plan size][u32 index...])
// and runs them, writing outcome frames. Never returns.
[[noreturn]] void child_main(const Plan& plan, const std::string& setup_error, int in, int out, int rank,
                             std::uint64_t memory_limit) {
  std::unique_ptr<Suite> suite;
  std::string suite_error = setup_error;
  if (suite_error.empty()) {
    try {
      suite = make_suite(plan.suite);
    } catch (const std::exception& e) {
      suite_error = e.what();
    }
  }
  const std::vector<MetricInfo> declared_metrics = suite ? suite->metrics() : std::vector<MetricInfo>{};
  CellCache cache;
  // One mutable spec per arm: a cell's spec is its arm's with the seed set.
  std::vector<CellSpec> arm_specs;
  for (const auto& arm : plan.arms) arm_specs.push_back(arm.spec);
  // Outputs of the references delivered so far, by job (kept for the run:
  // they are few and a cell may need any of them again).
  std::unordered_map<std::uint32_t, std::shared_ptr<const CellOutput>> references;
  std::string batch;
  for (;;) {
    std::uint32_t header[3];
    if (!read_all(in, reinterpret_cast<char*>(header), sizeof header)) _exit(0);
    if (header[0] == kReferenceFrame) {  // [0][job][length] + one outcome frame holding the output
      std::string bytes(header[2], '\0');
      if (!read_all(in, bytes.data(), bytes.size())) _exit(0);
      std::vector<CellOutcome> decoded;
      decode_outcomes(bytes, decoded);
      if (decoded.size() == 1) references[header[1]] = std::make_shared<const CellOutput>(std::move(decoded[0].output));
      continue;
    }
    const std::uint64_t seq = header[0];
    if (header[2] != plan.job_count() && suite) {
      // Planning is deterministic; this would be a bug, never wrong results.
      suite.reset();
      suite_error = fmt::format("the executor's plan has {} jobs, its rank's {}", plan.job_count(), header[2]);
    }
    std::vector<std::uint32_t> chunk(header[1]);
    if (!read_all(in, reinterpret_cast<char*>(chunk.data()), chunk.size() * sizeof(std::uint32_t))) _exit(0);
    auto last_flush = std::chrono::steady_clock::now();
    // A cell's CPU time starts at the previous cell's end reading (only its
    // outcome's encoding, ~1 us, lies between) unless a report was written.
    Usage start = usage_now();
    // Each cell's peak RSS is its own: writing "5" to clear_refs resets the
    // process's high-water mark (Linux >= 4.0) that getrusage reports, to the
    // RSS of the moment (what earlier cells left cached stays counted).
    static const int clear_refs = ::open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
    for (std::uint32_t pos = 0; pos < chunk.size(); ++pos) {
      const std::uint32_t index = chunk[pos];
      CellOutcome o;
      o.index = index;
      o.rank = rank;
      auto wall0 = std::chrono::steady_clock::now();
      // Publish the running cell: the rank times it and blames it if we die.
      g_state->cell_start_ns.store(steady_ns(wall0), std::memory_order_relaxed);
      g_state->alloc_failed.store(0, std::memory_order_relaxed);
      g_state->progress.store(seq << 32 | (pos + 1), std::memory_order_release);
      reset_output();
      if (clear_refs >= 0 && ::pwrite(clear_refs, "5", 1, 0) < 0) {
        // an older kernel: the high-water mark of the process so far, as before
      }
      try {
        if (!suite) throw InternalError("{}", suite_error);
        if (plan.is_reference_job(index)) {
          note_reference(plan, index);
          const ReferenceTemplate& t = plan.template_of_job(index);
          if (t.is_part) {
            CellSpec spec = plan.arms.at(t.arm).spec;
            spec.seed = plan.reference_of_job(index).seed;
            o.output = suite->run_part(spec, t.begin, t.end, cache);
          } else {
            o.output = suite->compute_reference(plan.reference_spec(index), cache);
          }
          check_cell_output(o.output, {});
        } else {
          const PlannedCell& cell = plan.cells.at(index);
          CellSpec& spec = arm_specs.at(cell.arm);
          spec.seed = cell.seed;
          cache.set_references(cell_references(plan, index, references));
          o.output = suite->run(spec, cache);
          check_cell_output(o.output, declared_metrics);
        }
        o.status = CellStatus::kOk;
      } catch (const CellCrashed& e) {
        o.status = CellStatus::kCrashed;
        o.error = clip_message(e.what());
        o.output = CellOutput{};
      } catch (const std::bad_alloc& e) {
        o.status = CellStatus::kError;
        o.error = memory_limit ? fmt::format("memory limit of {} exceeded ({})", mib(memory_limit), e.what())
                               : clip_message(e.what());
        o.output = CellOutput{};
      } catch (const std::exception& e) {
        o.status = CellStatus::kError;
        o.error = clip_message(e.what());
        if (memory_limit && g_state->alloc_failed.load(std::memory_order_relaxed)) {
          o.error = fmt::format("memory limit of {} exceeded: {}", mib(memory_limit), o.error);
        }
        o.output = CellOutput{};
      } catch (...) {
        o.status = CellStatus::kError;
        o.error = "unknown exception (not derived from std::exception)";
        o.output = CellOutput{};
      }
      auto wall1 = std::chrono::steady_clock::now();
      const Usage end = usage_now();
      o.wall_seconds = std::chrono::duration<double>(wall1 - wall0).count();
      o.cpu_seconds = end.cpu_seconds - start.cpu_seconds;
      o.peak_rss_kb = end.peak_rss_kb;
      // A failed cell's output tail explains it; an ok cell's is dropped.
      if (o.status != CellStatus::kOk) o.error += captured_output();
      encode_outcome(o, batch);
      start = end;
      // Batched reports keep pipe traffic low for tiny cells; slow cells are
      // reported at once so that progress stays exact.
      if (batch.size() > (1 << 16) || wall1 - last_flush > std::chrono::milliseconds(20)) {
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

// The rank died (even by kill -9): the child takes its whole process group
// with it, the programs its methods started included.
void on_rank_death(int) { ::kill(0, SIGKILL); }

}  // namespace

[[noreturn]] void executor_child_main(int argc, char** argv) {
  // The child dies with its rank, and leaves signals to it: the rank
  // decides what an interruption means.
  signal(SIGHUP, on_rank_death);
  prctl(PR_SET_PDEATHSIG, SIGHUP);
  prctl(PR_SET_NAME, "shardbench");  // not "exe" (from /proc/self/exe), for ps and pgrep
  if (argc < 3 || getppid() != static_cast<pid_t>(std::atoll(argv[2]))) _exit(0);
  signal(SIGINT, SIG_IGN);
  signal(SIGTERM, SIG_IGN);
  signal(SIGPIPE, SIG_IGN);
  keep_freed_memory();
  // Programs a method starts do not inherit the harness's channels.
  for (int fd : {kChildIn, kChildOut, kChildState}) fcntl(fd, F_SETFD, FD_CLOEXEC);
  void* page = mmap(nullptr, sizeof(Executor::SharedState), PROT_READ | PROT_WRITE, MAP_SHARED, kChildState, 0);
  if (page == MAP_FAILED) _exit(70);
  g_state = static_cast<Executor::SharedState*>(page);

  Setup setup;
  Plan plan;
  std::string setup_error;
  try {
    if (!read_setup(kChildIn, setup)) _exit(0);
    PlanOptions plan_options;
    plan_options.only_methods = setup.options.only_methods;
    plan_options.only_datasets = setup.options.only_datasets;
    plan_options.overrides = setup.options.overrides;
    plan_options.seeds_override = setup.options.seeds_override;
    plan_options.compute_keys = false;
    plan_options.max_cells = ~std::uint64_t{0};  // the rank checked --max-cells
    plan = make_plan(parse_config(setup.options.config_path, setup.options.config_text), plan_options);
  } catch (const std::exception& e) {
    setup_error = fmt::format("the executor could not rebuild the plan: {}", e.what());
  }
  if (const std::uint64_t limit = setup.options.memory_limit_bytes) {
    // Under ASan the limit is enforced by ASan itself (ASAN_OPTIONS, spawn()).
    if (!kAddressSanitizer) {
      rlimit rl{limit, limit};
      if (setrlimit(RLIMIT_AS, &rl) != 0) {
        setup_error = fmt::format("cannot set the memory limit of {}: {}", mib(limit), std::strerror(errno));
      }
    }
    std::set_new_handler(on_alloc_failure);
  }
  child_main(plan, setup_error, kChildIn, kChildOut, setup.rank, setup.options.memory_limit_bytes);
}

// ---- rank side ----------------------------------------------------------

Executor::Executor(const Plan& plan, ExecutorOptions options, int rank)
    : plan_(plan), options_(std::move(options)), rank_(rank) {}

Executor::~Executor() {
  if (child_ > 0 && !busy()) {
    // An idle child exits by itself when its input closes (and profilers
    // such as callgrind get to write their output).
    ::close(to_child_);
    to_child_ = -1;
    while (waitpid(child_, nullptr, 0) < 0 && errno == EINTR) {
    }
    ::kill(-child_, SIGKILL);  // what it left behind in its group
    child_ = -1;
  }
  kill_child();
  if (!scratch_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(scratch_, ec);
  }
  if (state_) munmap(state_, sizeof(SharedState));
  if (state_fd_ >= 0) ::close(state_fd_);
  if (output_fd_ >= 0) ::close(output_fd_);
}

namespace {

// A copy of `fd` numbered 64 or above (close-on-exec), so that the spawn's
// dup2s onto 1..5 cannot overwrite one another's sources.
int high_dup(int fd) {
  int h = fcntl(fd, F_DUPFD_CLOEXEC, 64);
  if (h < 0) throw InternalError("cannot duplicate a descriptor for the cell executor: {}", std::strerror(errno));
  return h;
}

// Scratch folders are "<TMPDIR>/shardbench-rank-<pid of the rank>-XXXXXX".
constexpr std::string_view kScratchPrefix = "shardbench-rank-";

// Removes the scratch folders of ranks that no longer exist (killed with -9:
// nothing of theirs could clean up). A live process of that pid keeps its.
void remove_orphaned_scratch(const std::string& folder) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(kScratchPrefix, 0) != 0) continue;
    const long pid = std::strtol(name.c_str() + kScratchPrefix.size(), nullptr, 10);
    if (pid <= 0 || ::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
    std::error_code ignored;
    std::filesystem::remove_all(entry.path(), ignored);
  }
}

// The environment of the child. Under ASan the memory limit is ASan's own
// soft RSS limit (RLIMIT_AS would break its shadow memory).
std::vector<std::string> child_environment(std::uint64_t memory_limit, const std::string& tmpdir) {
  std::vector<std::string> env = {"TMPDIR=" + tmpdir};
  bool had_asan = false;
  for (char** e = environ; e && *e; ++e) {
    std::string v = *e;
    if (v.rfind("TMPDIR=", 0) == 0) continue;
    if (kAddressSanitizer && memory_limit && v.rfind("ASAN_OPTIONS=", 0) == 0) {
      v += fmt::format(":soft_rss_limit_mb={}:allocator_may_return_null=1", memory_limit >> 20);
      had_asan = true;
    }
    env.push_back(std::move(v));
  }
  if (kAddressSanitizer && memory_limit && !had_asan) {
    env.push_back(fmt::format("ASAN_OPTIONS=soft_rss_limit_mb={}:allocator_may_return_null=1", memory_limit >> 20));
  }
  return env;
}

}  // namespace

void Executor::spawn() {
  delivered_.clear();
  if (scratch_.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    const std::string folder = tmp && *tmp ? tmp : "/tmp";
    remove_orphaned_scratch(folder);
    std::string pattern = fmt::format("{}/{}{}-XXXXXX", folder, kScratchPrefix, getpid());
    if (!mkdtemp(pattern.data())) {
      throw InputError("cannot create a scratch folder '{}' (TMPDIR): {}", pattern, std::strerror(errno));
    }
    scratch_ = pattern;
  }
  if (!state_) {
    state_fd_ = memfd_create("sb-executor-state", MFD_CLOEXEC);
    output_fd_ = memfd_create("sb-cell-output", MFD_CLOEXEC);
    if (state_fd_ < 0 || output_fd_ < 0 || ftruncate(state_fd_, sizeof(SharedState)) != 0) {
      throw InternalError("cannot create the cell executor's memory files: {}", std::strerror(errno));
    }
    void* page = mmap(nullptr, sizeof(SharedState), PROT_READ | PROT_WRITE, MAP_SHARED, state_fd_, 0);
    if (page == MAP_FAILED) throw InternalError("cannot map the cell executor's state: {}", std::strerror(errno));
    state_ = new (page) SharedState();
  }
  state_->progress.store(0);
  if (ftruncate(output_fd_, 0) != 0) throw InternalError("cannot clear the cell output file: {}", std::strerror(errno));
  lseek(output_fd_, 0, SEEK_SET);

  int down[2], up[2];
  if (pipe2(down, O_CLOEXEC) != 0) throw InternalError("cannot create pipes for the cell executor: {}", std::strerror(errno));
  if (pipe2(up, O_CLOEXEC) != 0) {
    ::close(down[0]);
    ::close(down[1]);
    throw InternalError("cannot create pipes for the cell executor: {}", std::strerror(errno));
  }
  const int sources[] = {high_dup(down[0]), high_dup(up[1]), high_dup(state_fd_), high_dup(output_fd_)};
  ::close(down[0]);
  ::close(up[1]);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, sources[3], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, sources[3], STDERR_FILENO);
  posix_spawn_file_actions_adddup2(&actions, sources[0], kChildIn);
  posix_spawn_file_actions_adddup2(&actions, sources[1], kChildOut);
  posix_spawn_file_actions_adddup2(&actions, sources[2], kChildState);
  posix_spawn_file_actions_addclosefrom_np(&actions, kChildState + 1);  // MPI's sockets and the like
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // Its own process group: one kill() takes the child and whatever it started.
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);

  const std::string parent = std::to_string(getpid());
  std::string arg0 = "shardbench", arg1 = kExecutorCommand;
  char* argv[] = {arg0.data(), arg1.data(), const_cast<char*>(parent.c_str()), nullptr};
  std::vector<std::string> env = child_environment(options_.memory_limit_bytes, scratch_);
  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, "/proc/self/exe", &actions, &attr, argv, envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  for (int fd : sources) ::close(fd);
  if (rc != 0) {
    ::close(down[1]);
    ::close(up[0]);
    throw InternalError("cannot start the cell executor (/proc/self/exe {}): {}", kExecutorCommand, std::strerror(rc));
  }
  child_ = pid;
  to_child_ = down[1];
  from_child_ = up[0];
  fcntl(from_child_, F_SETFL, fcntl(from_child_, F_GETFL) | O_NONBLOCK);
  buffer_.clear();
  Setup setup{options_, rank_};
  const std::string msg = encode_setup(setup);
  // A child that died at once shows up in service() as EOF.
  write_all(to_child_, msg.data(), msg.size());
}

void Executor::kill_child() {
  if (child_ > 0) {
    // The whole group: grandchildren a method left behind die with it.
    ::kill(-child_, SIGKILL);
    ::kill(child_, SIGKILL);
    while (waitpid(child_, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  if (to_child_ >= 0) ::close(to_child_);
  if (from_child_ >= 0) ::close(from_child_);
  child_ = -1;
  to_child_ = from_child_ = -1;
  buffer_.clear();
  if (!scratch_.empty()) {  // what the dead child left in its TMPDIR
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(scratch_, ec))
      std::filesystem::remove_all(entry.path(), ec);
  }
}

void Executor::send_chunk() {
  fresh_child_ = child_ < 0;
  if (fresh_child_) spawn();
  ++seq_;
  sent_count_ = pending_.size();
  std::string msg;
  // References go before the chunk that needs them (a new child has none).
  for (const auto& [job, output] : references_) {
    if (delivered_.count(job)) continue;
    CellOutcome carrier;
    carrier.index = job;
    carrier.output = *output;
    std::string frame;
    encode_outcome(carrier, frame);
    const std::uint32_t ref_header[3] = {kReferenceFrame, job, static_cast<std::uint32_t>(frame.size())};
    msg.append(reinterpret_cast<const char*>(ref_header), sizeof ref_header);
    msg += frame;
    delivered_.insert(job);
  }
  std::uint32_t header[3] = {seq_, static_cast<std::uint32_t>(pending_.size()),
                             static_cast<std::uint32_t>(plan_.job_count())};
  msg.append(reinterpret_cast<const char*>(header), sizeof header);
  for (auto i : pending_) msg.append(reinterpret_cast<const char*>(&i), sizeof i);
  // A child that died between chunks shows up here as a failed write
  // (SIGPIPE is ignored by the harness); service() then sees EOF and retries.
  write_all(to_child_, msg.data(), msg.size());
  sent_at_ = std::chrono::steady_clock::now();
}

void Executor::prestart() {
  if (child_ < 0) spawn();
}

void Executor::provide_reference(std::uint32_t job, std::shared_ptr<const CellOutput> output) {
  if (references_.emplace(job, std::move(output)).second) delivered_.erase(job);
}

void Executor::start(std::vector<std::uint32_t> chunk) {
  if (busy()) throw InternalError("executor started while busy");
  if (chunk.empty()) return;
  pending_.assign(chunk.begin(), chunk.end());
  send_chunk();
}

namespace {

// Position in `pending` of the cell the child last started in chunk `seq`
// (which had `sent` cells), if that cell is still unreported.
std::optional<size_t> running_position(const Executor::SharedState& state, std::uint32_t seq, size_t sent,
                                       size_t pending) {
  const std::uint64_t p = state.progress.load(std::memory_order_acquire);
  const std::uint64_t started = p & 0xffffffffu;
  if ((p >> 32) != seq || started == 0) return std::nullopt;
  const size_t reported = sent - pending;
  if (started - 1 < reported || started - 1 - reported >= pending) return std::nullopt;
  return started - 1 - reported;
}

}  // namespace

int Executor::ms_to_deadline() const {
  if (!busy() || options_.timeout_seconds <= 0) return -1;
  // Timed from the running cell's own start (published by the child), or,
  // before the child started a cell of this chunk, from the chunk's sending.
  auto base = sent_at_;
  if (state_ && running_position(*state_, seq_, sent_count_, pending_.size())) {
    base = std::chrono::steady_clock::time_point(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::nanoseconds(state_->cell_start_ns.load(std::memory_order_relaxed))));
    base = std::max(base, sent_at_);
  }
  auto deadline = base + std::chrono::duration<double>(options_.timeout_seconds);
  auto left = std::chrono::duration<double, std::milli>(deadline - std::chrono::steady_clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(left) + 1;
}

void Executor::fail_running_cell(CellStatus status, const std::string& message, bool blame_front,
                                 std::vector<CellOutcome>& out) {
  auto pos = running_position(*state_, seq_, sent_count_, pending_.size());
  auto started = sent_at_;
  if (pos) {
    started = std::chrono::steady_clock::time_point(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::nanoseconds(state_->cell_start_ns.load(std::memory_order_relaxed))));
  } else if (blame_front) {
    pos = 0;  // the child never got to a cell: blame the first, or it would loop
  } else {
    return;  // an idle child died: the chunk reruns in a fresh one
  }
  CellOutcome o;
  o.index = pending_[*pos];
  o.status = status;
  o.error = message + output_section(output_fd_);
  o.rank = rank_;
  o.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  // Cells before it finished unreported; they rerun with the rest.
  pending_.erase(pending_.begin() + static_cast<long>(*pos));
  out.push_back(std::move(o));
}

void Executor::drain_pipe(bool& eof) {
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
}

void Executor::deliver_reports(std::vector<CellOutcome>& out, bool& progress) {
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
}

bool Executor::service(std::vector<CellOutcome>& out) {
  if (!busy()) return false;
  bool progress = false;
  bool eof = false;
  drain_pipe(eof);
  deliver_reports(out, progress);

  // The child's death shows as EOF, or, when a grandchild it left behind
  // holds the pipe open, only to waitpid.
  int status = 0;
  bool dead = false;
  if (eof) {
    // EOF with the child alive means it closed its channel: it is broken.
    ::kill(child_, SIGKILL);
    while (waitpid(child_, &status, 0) < 0 && errno == EINTR) {
    }
    dead = true;
  } else if (!progress && waitpid(child_, &status, WNOHANG) == child_) {
    dead = true;
    drain_pipe(eof);  // what it wrote before dying
    deliver_reports(out, progress);
  }
  if (dead) {
    const pid_t group = child_;
    child_ = -1;
    ::kill(-group, SIGKILL);  // grandchildren
    if (busy()) {
      ++crashes_;
      std::string why = WIFSIGNALED(status) ? fmt::format("killed by signal {} ({})", WTERMSIG(status),
                                                          strsignal(WTERMSIG(status)))
                                            : fmt::format("exited with status {}", WEXITSTATUS(status));
      if (options_.memory_limit_bytes && state_->alloc_failed.load(std::memory_order_relaxed)) {
        why += fmt::format(" after an allocation failed under the memory limit of {}", mib(options_.memory_limit_bytes));
      } else if (options_.memory_limit_bytes && (WIFSIGNALED(status) || WEXITSTATUS(status) != 0)) {
        why += fmt::format(" (a memory limit of {} was in force)", mib(options_.memory_limit_bytes));
      }
      fail_running_cell(CellStatus::kCrashed, "cell process " + why, fresh_child_, out);
    }
    kill_child();
    if (busy()) send_chunk();
    return true;
  }
  if (busy() && options_.timeout_seconds > 0 && ms_to_deadline() == 0) {
    kill_child();
    fail_running_cell(CellStatus::kTimeout, fmt::format("cell ran past the timeout of {} s and was killed", options_.timeout_seconds),
                      true, out);
    if (busy()) send_chunk();
    return true;
  }
  return progress;
}

void Executor::abandon() {
  kill_child();
  pending_.clear();
}

}  // namespace sb
