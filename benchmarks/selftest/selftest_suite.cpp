// The `selftest` suite: diagnostic methods that exercise the harness itself
// (throughput, failures, crashes, timeouts). Its one dataset is empty; each
// method returns a value derived from the seed so results can be compared
// across rank counts. Kept in one file: these are probes, not methods.
#include <chrono>
#include <csignal>
#include <thread>

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
    .describe("Sleeps an hour for seeds divisible by `every` (for --timeout)")
    .field(&Hang::Params::every, "every", 1, 1000000, "hang when seed % every == 0");

class SelftestSuite : public Suite {
 public:
  std::vector<ComponentInfo> datasets() const override {
    return Registry<Empty>::instance().infos();
  }
  std::vector<ComponentInfo> methods() const override { return ProbeRegistry::instance().infos(); }
  std::vector<MetricInfo> metrics() const override {
    return {{"value", true, "a number derived from the seed"}};
  }
  CellOutput run(const CellSpec& cell, CellCache&) const override {
    const auto* entry = ProbeRegistry::instance().find(cell.method);
    if (!entry) throw InternalError("selftest: no probe '{}'", cell.method);
    auto probe = entry->make(cell.method_params);
    auto start = std::chrono::steady_clock::now();
    CellOutput out;
    out.metrics.emplace_back("value", probe->run(cell.seed));
    out.method_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return out;
  }
};
SB_REGISTER_SUITE(SelftestSuite, "selftest")
    .describe("Diagnostic probes of the harness: no-op, sleep, throw, crash, hang");

}  // namespace
}  // namespace sb::selftest
