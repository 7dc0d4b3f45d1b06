// Self-registration of suites, datasets/scenarios and methods.
//
// A component registers itself from its own .cpp file at static
// initialisation, with a macro that returns a builder (as Google Benchmark's
// BENCHMARK does), e.g. in a suite's method file:
//
//   SB_REGISTER_ESTIMATOR(TrimmedMean, "trimmed-mean")
//       .describe("Mean of the central 1-2*trim fraction of each coordinate")
//       .paper("Tukey & McLaughlin (1963), Less vulnerable confidence and significance procedures")
//       .param_real("trim", 0.1, 0.0, 0.49, "fraction trimmed from each end");
//
// Each suite keeps one Registry<Base> per kind of component (its own typed
// base classes), so nothing outside the component's file is edited to add it.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "harness/core/errors.h"
#include "harness/core/params.h"

namespace sb {

// What the harness knows of any component, whatever its suite: used to
// validate configs, expand grids, make cell keys and print `shardbench list`.
struct ComponentInfo {
  std::string suite;        // the suite's registered name
  std::string kind;         // "suite", "dataset" or "method"
  std::string name;         // unique within (suite, kind)
  std::string version = "1";  // bump when the component's output changes
  std::string description;
  std::string paper;        // the paper it implements, one line
  std::vector<ParamSpec> params;
  std::vector<std::string> tags;  // free-form, e.g. the task a method solves
};

// Builder returned by registration macros; setters check their inputs.
class Registrar {
 public:
  explicit Registrar(ComponentInfo& info) : info_(&info) {}

  Registrar& describe(std::string text);
  Registrar& paper(std::string text);
  Registrar& version(std::string v);
  Registrar& tag(std::string t);
  Registrar& param_bool(std::string name, bool def, std::string doc);
  Registrar& param_int(std::string name, std::int64_t def, std::int64_t min, std::int64_t max,
                       std::string doc);
  Registrar& param_real(std::string name, double def, double min, double max, std::string doc);
  Registrar& param_string(std::string name, std::string def, std::vector<std::string> choices,
                          std::string doc);

 private:
  Registrar& add(ParamSpec spec);
  ComponentInfo* info_;
};

// Problems found at static initialisation (duplicate names, bad defaults)
// cannot be thrown there; they are collected and reported by
// registry_problems(), which `shardbench` checks at start-up and a test sweeps.
void report_registry_problem(std::string problem);
const std::vector<std::string>& registry_problems();

template <class Base>
class Registry {
 public:
  using Factory = std::function<std::unique_ptr<Base>(const ParamSet&)>;
  struct Entry {
    ComponentInfo info;
    Factory make;
  };

  static Registry& instance() {
    static Registry registry;
    return registry;
  }

  Registrar add(std::string suite, std::string kind, std::string name, Factory make) {
    auto key = name;
    if (entries_.count(key)) {
      report_registry_problem("duplicate " + kind + " '" + name + "' in suite '" + suite + "'");
      key += "#duplicate" + std::to_string(entries_.size());
    }
    auto& entry = entries_[key];
    entry = std::make_unique<Entry>();
    entry->info.suite = std::move(suite);
    entry->info.kind = std::move(kind);
    entry->info.name = std::move(name);
    entry->make = std::move(make);
    return Registrar(entry->info);
  }

  template <class T>
  Registrar add(std::string suite, std::string kind, std::string name) {
    return add(std::move(suite), std::move(kind), std::move(name),
               [](const ParamSet& p) -> std::unique_ptr<Base> { return std::make_unique<T>(p); });
  }

  // nullptr when unknown.
  const Entry* find(const std::string& name) const {
    auto it = entries_.find(name);
    return it == entries_.end() ? nullptr : it->second.get();
  }

  // Sorted by name.
  std::vector<const Entry*> entries() const {
    std::vector<const Entry*> out;
    for (const auto& [k, e] : entries_) out.push_back(e.get());
    return out;
  }

  std::vector<ComponentInfo> infos() const {
    std::vector<ComponentInfo> out;
    for (const auto& [k, e] : entries_) out.push_back(e->info);
    return out;
  }

 private:
  std::map<std::string, std::unique_ptr<Entry>> entries_;
};

}  // namespace sb

#define SB_CONCAT_INNER_(a, b) a##b
#define SB_CONCAT_(a, b) SB_CONCAT_INNER_(a, b)

// Registers `Type` (constructible from `const sb::ParamSet&`) in
// Registry<Base>. Suites wrap this in their own macro.
#define SB_REGISTER_COMPONENT(Base, Type, suite, kind, name)                        \
  [[maybe_unused]] static ::sb::Registrar SB_CONCAT_(sb_registrar_, __COUNTER__) = \
      ::sb::Registry<Base>::instance().add<Type>(suite, kind, name)
