// The `selftest` suite: diagnostic methods that exercise the harness itself
// (throughput, failures, crashes, timeouts). Its one dataset is empty; each
// method returns a value derived from the seed so results can be compared
// across rank counts. Kept in one file: these are probes, not methods.
// The fault probes (nan, shout, long_message, orphan, hog, spin, exit) misbehave
// on purpose, for tests/integration/test_fault_injection.sh.
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "harness/core/errors.h"
#include "harness/core/suite.h"

namespace sb::selftest {

class Probe {
 public:
  virtual ~Probe() = default;
  virtual double run(std::uint64_t seed) const = 0;
};
using ProbeRegistry = Registry<Probe>;

#define SB_REGISTER_PROBE(Type, name) \
  SB_REGISTER_COMPONENT(::sb::selftest::Probe, Type, "selftest", "method", name)

namespace {

// A stand-in dataset so the grid has a dataset axis; `size` only labels cells.
class Empty {
 public:
  struct Params { std::int64_t size = 0; };
  explicit Empty(const Params&) {}
};
SB_REGISTER_COMPONENT(Empty, Empty, "selftest", "dataset", "empty")
    .describe("No data; `size` only multiplies the grid")
    .field(&Empty::Params::size, "size", 0, 1000000000,
           "label that distinguishes otherwise equal datasets");

double seed_value(std::uint64_t seed) {
  return static_cast<double>(derive_seed(seed, "selftest") >> 11) * 0x1.0p-53;
}

class Noop : public Probe {
 public:
  double run(std::uint64_t seed) const override { return seed_value(seed); }
};
SB_REGISTER_PROBE(Noop, "noop").describe("Returns a number derived from the seed at once");

// Its value is the seed's plus the `offset` reference (the suite adds it).
class Referenced : public Noop {};
SB_REGISTER_PROBE(Referenced, "referenced")
    .describe("Returns the seed's number plus the `offset` reference of its dataset size and seed");

// A Monte Carlo mean of `units` uniform draws, one per unit (unit u's draw
// derives from the seed and u alone): a split cell of parts of
// `units_per_part` units, reduced in part order by the suite.
class McSum : public Probe {
 public:
  struct Params {
    std::int64_t units = 1000000;
    std::int64_t units_per_part = 100000;
  };
  explicit McSum(const Params& p) : params_(p) {}
  double run(std::uint64_t) const override { return 0; }  // the suite reduces the parts
  const Params& params() const { return params_; }

  // Sum of the draws of units [begin, end), in unit order.
  static double partial_sum(std::uint64_t seed, std::uint64_t begin, std::uint64_t end) {
    const std::uint64_t base = derive_seed(seed, "selftest/mc-sum");
    double sum = 0;
    for (std::uint64_t u = begin; u < end; ++u) {
      std::uint64_t x = base + u * 0x9e3779b97f4a7c15ULL;  // splitmix64 of the unit
      x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
      x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
      x ^= x >> 31;
      sum += static_cast<double>(x >> 11) * 0x1.0p-53;
    }
    return sum;
  }

 private:
  Params params_;
};
SB_REGISTER_PROBE(McSum, "mc-sum")
    .describe("Mean of `units` seeded uniform draws, split into parts of `units_per_part` (a split cell)")
    .field(&McSum::Params::units, "units", 1, 1000000000000, "number of draws")
    .field(&McSum::Params::units_per_part, "units_per_part", 1, 1000000000000, "draws per part");

class Sleep : public Probe {
 public:
  struct Params { double ms = 20.0; };
  explicit Sleep(const Params& p) : ms_(p.ms) {}
  double run(std::uint64_t seed) const override {
    std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(ms_));
    return seed_value(seed);
  }

 private:
  double ms_;
};
SB_REGISTER_PROBE(Sleep, "sleep")
    .describe("Sleeps `ms` milliseconds, then returns like noop")
    .field(&Sleep::Params::ms, "ms", 0.0, 3.6e6, "milliseconds to sleep");

class Throw : public Probe {
 public:
  struct Params { std::int64_t every = 1; };
  explicit Throw(const Params& p) : every_(p.every) {}
  double run(std::uint64_t seed) const override {
    if (seed % every_ == 0) throw MethodError("selftest failure for seed {}", seed);
    return seed_value(seed);
  }

 private:
  std::int64_t every_;
};
SB_REGISTER_PROBE(Throw, "throw")
    .tag("fault")  // a `name = "*"` wildcard selects them by tag (config_edits_test)
    .describe("Throws for seeds divisible by `every`, else returns like noop")
    .field(&Throw::Params::every, "every", 1, 1000000, "throw when seed % every == 0");

class Crash : public Probe {
 public:
  struct Params { std::int64_t every = 1; };
  explicit Crash(const Params& p) : every_(p.every) {}
  double run(std::uint64_t seed) const override {
    if (seed % every_ == 0) std::raise(SIGSEGV);  // what a buggy method does
    return seed_value(seed);
  }

 private:
  std::int64_t every_;
};
SB_REGISTER_PROBE(Crash, "crash")
    .tag("fault")  // a `name = "*"` wildcard selects them by tag (config_edits_test)
    .describe("Kills its process with SIGSEGV for seeds divisible by `every`")
    .field(&Crash::Params::every, "every", 1, 1000000, "crash when seed % every == 0");

class Hang : public Probe {
 public:
  struct Params { std::int64_t every = 1; };
  explicit Hang(const Params& p) : every_(p.every) {}
  double run(std::uint64_t seed) const override {
    if (seed % every_ == 0) std::this_thread::sleep_for(std::chrono::hours(1));
    return seed_value(seed);
  }

 private:
  std::int64_t every_;
};
SB_REGISTER_PROBE(Hang, "hang")
    .tag("fault")  // a `name = "*"` wildcard selects them by tag (config_edits_test)
    .describe("Sleeps an hour for seeds divisible by `every` (for --timeout)")
    .field(&Hang::Params::every, "every", 1, 1000000, "hang when seed % every == 0");

// Fails (throws, or crashes with `crash`) on the first `failures` attempts
// of each seed, then returns like noop: a flaky method, for --max-retries.
// Attempts are counted in a marker file per seed in the folder `dir` (one
// byte appended per attempt), so they survive the crashed process.
class Flaky : public Probe {
 public:
  struct Params {
    std::string dir;
    std::int64_t failures = 1;
    bool crash = false;
  };
  explicit Flaky(const Params& p) : params_(p) {}
  double run(std::uint64_t seed) const override {
    if (params_.dir.empty()) throw MethodError("flaky: parameter 'dir' (a folder for its marker files) is not set");
    const std::string marker = fmt::format("{}/flaky-seed-{}", params_.dir, seed);
    std::FILE* f = std::fopen(marker.c_str(), "ab");
    if (!f) throw MethodError("flaky: cannot open {}: {}", marker, std::strerror(errno));
    std::fseek(f, 0, SEEK_END);
    const long earlier = std::ftell(f);
    std::fputc('x', f);
    std::fclose(f);
    if (earlier < params_.failures) {
      // SIGABRT, not SIGSEGV: the sanitizer build's unit tests run this
      // probe, and ASan reports every SIGSEGV (it leaves SIGABRT alone).
      if (params_.crash) std::raise(SIGABRT);
      throw MethodError("flaky: attempt {} of seed {} fails on purpose", earlier + 1, seed);
    }
    return seed_value(seed);
  }

 private:
  Params params_;
};
SB_REGISTER_PROBE(Flaky, "flaky")
    .describe("Fails on the first `failures` attempts of each seed (marker files in `dir`), then returns like noop")
    .field(&Flaky::Params::dir, "dir", {}, "folder of its attempt markers (one file per seed)")
    .field(&Flaky::Params::failures, "failures", 0, 1000, "attempts of each seed that fail")
    .field(&Flaky::Params::crash, "crash", "crash (SIGABRT) instead of throwing");

// ---- fault probes ----

class Nan : public Probe {
 public:
  double run(std::uint64_t) const override { return std::numeric_limits<double>::quiet_NaN(); }
};
SB_REGISTER_PROBE(Nan, "nan").describe("Returns NaN as its value (a non-finite metric)");

class Shout : public Probe {
 public:
  struct Params {
    double mb = 20.0;
    bool fail = false;
  };
  explicit Shout(const Params& p) : mb_(p.mb), fail_(p.fail) {}
  double run(std::uint64_t seed) const override {
    // Blocks of numbered lines, alternately to stdout and stderr.
    const auto total = static_cast<std::size_t>(mb_ * 1024 * 1024);
    std::size_t written = 0;
    for (std::size_t block = 0; written < total; ++block) {
      std::string text;
      while (text.size() < (64 << 10)) text += fmt::format("shout block {} of seed {} ........................\n", block, seed);
      written += std::fwrite(text.data(), 1, text.size(), block % 2 ? stderr : stdout);
    }
    std::printf("shout: the end\n");
    if (fail_) throw MethodError("shout failed after {} bytes of output", written);
    return seed_value(seed);
  }

 private:
  double mb_;
  bool fail_;
};
SB_REGISTER_PROBE(Shout, "shout")
    .describe("Prints `mb` MiB to stdout and stderr, then returns (or throws with `fail`)")
    .field(&Shout::Params::mb, "mb", 0.0, 1024.0, "mebibytes of output")
    .field(&Shout::Params::fail, "fail", "throw after printing");

class LongMessage : public Probe {
 public:
  struct Params { double mb = 50.0; };
  explicit LongMessage(const Params& p) : mb_(p.mb) {}
  double run(std::uint64_t) const override {
    throw MethodError("long message: {}", std::string(static_cast<size_t>(mb_ * 1024 * 1024), 'x'));
  }

 private:
  double mb_;
};
SB_REGISTER_PROBE(LongMessage, "long_message")
    .describe("Throws an exception whose message is `mb` MiB long")
    .field(&LongMessage::Params::mb, "mb", 0.0, 1024.0, "mebibytes of message");

class Orphan : public Probe {
 public:
  double run(std::uint64_t seed) const override {
    // A grandchild that outlives its cell, as a method starting a helper
    // process and forgetting it would leave.
    pid_t pid = fork();
    if (pid == 0) {
      std::this_thread::sleep_for(std::chrono::hours(1));
      _exit(0);
    }
    if (pid < 0) throw MethodError("orphan: fork failed: {}", std::strerror(errno));
    return seed_value(seed);
  }
};
SB_REGISTER_PROBE(Orphan, "orphan").describe("Forks a process that sleeps an hour, then returns like noop");

class Hog : public Probe {
 public:
  struct Params { std::int64_t mb = 4096; };
  explicit Hog(const Params& p) : mb_(p.mb) {}
  double run(std::uint64_t seed) const override {
    std::vector<std::unique_ptr<char[]>> blocks;
    for (std::int64_t i = 0; i < mb_ / 16; ++i) {
      blocks.emplace_back(new char[16 << 20]);
      std::memset(blocks.back().get(), 1, 16 << 20);  // touched: resident
    }
    return seed_value(seed);
  }

 private:
  std::int64_t mb_;
};
SB_REGISTER_PROBE(Hog, "hog")
    .describe("Allocates and touches `mb` MiB (for --memory-limit), then returns like noop")
    .field(&Hog::Params::mb, "mb", 16, 1 << 20, "mebibytes to allocate");

class Spin : public Probe {
 public:
  struct Params { double seconds = 3600.0; };
  explicit Spin(const Params& p) : seconds_(p.seconds) {}
  double run(std::uint64_t seed) const override {
    // Busy, not sleeping: a CPU-bound hang for --timeout.
    auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds_);
    volatile std::uint64_t x = seed;
    while (std::chrono::steady_clock::now() < end) x = x * 6364136223846793005ULL + 1;
    return seed_value(seed);
  }

 private:
  double seconds_;
};
SB_REGISTER_PROBE(Spin, "spin")
    .describe("Busy-loops `seconds`, then returns like noop")
    .field(&Spin::Params::seconds, "seconds", 0.0, 1e6, "seconds of busy loop");

class Exit : public Probe {
 public:
  double run(std::uint64_t) const override { std::exit(0); }
};
SB_REGISTER_PROBE(Exit, "exit").describe("Calls exit(0) in the middle of its cell");

class SelftestSuite : public Suite {
 public:
  std::vector<ComponentInfo> datasets() const override {
    return Registry<Empty>::instance().infos();
  }
  std::vector<ComponentInfo> methods() const override { return ProbeRegistry::instance().infos(); }
  std::vector<MetricInfo> metrics() const override {
    return {{"value", true, "a number derived from the seed"}};
  }
  CellOutput run(const CellSpec& cell, CellCache& cache) const override {
    if (cell.external) return run_external_probe(cell);
    const auto* entry = ProbeRegistry::instance().find(cell.method);
    if (!entry) throw InternalError("selftest: no probe '{}'", cell.method);
    auto probe = entry->make(cell.method_params);
    auto start = std::chrono::steady_clock::now();
    CellOutput out;
    double value = probe->run(cell.seed);
    if (cell.method == kReferencedProbe) value += cache.reference(kOffsetReference).metrics.at(0).second;
    if (cell.method == kMcSumProbe) {
      double sum = 0;
      for (const CellOutput* part : cache.parts()) sum += part->metrics.at(0).second;  // part order: deterministic
      value = sum / static_cast<double>(static_cast<const McSum&>(*probe).params().units);
    }
    out.metrics.emplace_back("value", value);
    out.method_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return out;
  }

  // The `referenced` probe's cells add the `offset` reference of their
  // dataset size and seed: 2 x the seed's value, failing on purpose for
  // size 13 and slow for size 7 (tests of references: computed once, shipped, reused, and a
  // failure failing exactly its dependants).
  std::vector<ComponentInfo> references() const override {
    ComponentInfo info;
    info.suite = "selftest";
    info.kind = "reference";
    info.name = kOffsetReference;
    info.description = "2 x the seed's value; fails for dataset size 13, takes 3 s for size 7";
    Registrar<OffsetParams>(info).field(&OffsetParams::size, "size", 0, 1000000000,
                                        "the dataset size it is the offset of (13 fails, 7 is slow)");
    return {info};
  }
  std::vector<ReferenceRequest> references_of(const CellSpec& cell) const override {
    if (cell.method != kReferencedProbe) return {};
    ParamSet params;
    params.set("size", cell.dataset_params.get_int("size"));
    // Not of the dataset: only its size (a declared parameter) identifies it.
    return {ReferenceRequest{kOffsetReference, std::move(params), false}};
  }
  std::optional<CellSplit> split_of(const CellSpec& cell) const override {
    if (cell.method != kMcSumProbe) return std::nullopt;
    const auto* entry = ProbeRegistry::instance().find(cell.method);
    const auto probe = entry->make(cell.method_params);
    const auto& p = static_cast<const McSum&>(*probe).params();
    return CellSplit{static_cast<std::uint64_t>(p.units), static_cast<std::uint64_t>(p.units_per_part)};
  }
  CellOutput run_part(const CellSpec& cell, std::uint64_t begin, std::uint64_t end, CellCache&) const override {
    CellOutput out;
    out.metrics.emplace_back("partial_sum", McSum::partial_sum(cell.seed, begin, end));
    return out;
  }

  CellOutput compute_reference(const ReferenceSpec& reference, CellCache&) const override {
    if (reference.params.get_int("size") == 13) throw MethodError("the offset of size 13 fails on purpose");
    // Size 7 takes 3 s: a window for tests that kill a run mid-reference.
    if (reference.params.get_int("size") == 7) std::this_thread::sleep_for(std::chrono::seconds(3));
    CellOutput out;
    out.metrics.emplace_back("offset", 2 * seed_value(reference.seed));
    return out;
  }

 private:
  // An external method on this suite (docs/EXTERNAL.md): cell.json only in,
  // and optionally result.json {"value": x} out (value 0 without it), so
  // that a no-op command measures the protocol's own cost
  // (scripts/bench-external.sh).
  static CellOutput run_external_probe(const CellSpec& cell) {
    const ExternalCellDir dir;
    dir.write_text("cell.json", external_cell_json("selftest", cell.method, cell.method_params, cell.seed, {}));
    const auto start = std::chrono::steady_clock::now();
    run_external_method(*cell.external, dir.path());
    CellOutput out;
    out.method_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    double value = 0;
    if (std::ifstream(dir.file("result.json"))) {
      const ExternalJson result = read_external_json(dir.file("result.json"), cell.method);
      const auto it = result.find("value");
      if (it == result.end() || it->second.size() != 1 || !std::isfinite(it->second[0])) {
        throw MethodError("external probe '{}': result.json needs one finite \"value\"", cell.method);
      }
      value = it->second[0];
    }
    out.metrics.emplace_back("value", value);
    return out;
  }

  struct OffsetParams {
    int size = 0;
  };
  static constexpr const char* kReferencedProbe = "referenced";
  static constexpr const char* kOffsetReference = "offset";
  static constexpr const char* kMcSumProbe = "mc-sum";
};
SB_REGISTER_SUITE(SelftestSuite, "selftest")
    .describe("Diagnostic probes of the harness: no-op, sleep, throw, crash, hang, and faults");

}  // namespace
}  // namespace sb::selftest
