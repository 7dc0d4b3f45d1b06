// Self-registration of suites, datasets/scenarios and methods.
//
// A component registers itself from its own .cpp file at static
// initialisation, with a macro that returns a builder (as Google Benchmark's
// BENCHMARK does). Its parameters are declared once, as fields of its nested
// `Params` struct (in the spirit of dmlc's DMLC_DECLARE_FIELD): the struct's
// initialiser is the default, the registration gives name, range or choices
// and doc, and the constructor receives the filled struct, e.g.
//
//   class TrimmedMean : public Estimator {
//    public:
//     struct Params { double trim = 0.1; };
//     explicit TrimmedMean(const Params& p) : trim_(p.trim) {}
//     ...
//   };
//   SB_REGISTER_ESTIMATOR(TrimmedMean, "trimmed-mean")
//       .describe("Mean of the central 1-2*trim fraction of each coordinate")
//       .paper("Tukey & McLaughlin (1963), Less vulnerable confidence and significance procedures")
//       .field(&TrimmedMean::Params::trim, "trim", 0.0, 0.49, "fraction trimmed from each end");
//
// The declaration becomes the ParamSpec that `shardbench list`, config
// validation and cell keys use, and the factory checks every value against it
// before the constructor runs, so constructors do not restate ranges. A
// component without parameters has no `Params` and a default constructor.
//
// Each suite keeps one Registry<Base> per kind of component (its own typed
// base classes), so nothing outside the component's file is edited to add it.
#pragma once

#include <concepts>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
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
  // The user files it reads (files or folders) for resolved parameters, and
  // the parameter that locates them: their contents, not that parameter's
  // value, enter cell keys (harness/run/plan_inputs.h). Unset: none.
  std::string input_param;
  std::function<std::vector<std::string>(const ParamSet&)> input_files;
};

// The entry of `infos` named `name`, or nullptr.
const ComponentInfo* find_component(const std::vector<ComponentInfo>& infos, std::string_view name);

// Problems found at static initialisation (duplicate names, bad defaults)
// cannot be thrown there; they are collected and reported by
// registry_problems(), which `shardbench` checks at start-up and a test sweeps.
void report_registry_problem(std::string problem);
const std::vector<std::string>& registry_problems();

// Parameters of a component that has none.
struct NoParams {};

// Fills a component's Params struct from a resolved ParamSet: one setter per
// declared field. Owned by the registry entry's factory.
template <class P>
class ParamBinding {
 public:
  using Setter = std::function<void(P&, const ParamSet&)>;
  void add(Setter setter) { setters_.push_back(std::move(setter)); }
  // Throws InputError for a value outside its declaration (only callers that
  // skip resolve_params can pass one) and InternalError for a missing one.
  P bind(const ParamSet& set) const {
    P p{};
    for (const auto& s : setters_) s(p, set);
    return p;
  }

 private:
  std::vector<Setter> setters_;
};

namespace detail {
// The non-template parts of Registrar, in registry.cpp.
class RegistrarBase {
 protected:
  explicit RegistrarBase(ComponentInfo& info) : info_(&info) {}
  void set_description(std::string text);
  void set_paper(std::string text);
  void set_version(std::string v);
  void add_tag(std::string t);
  void set_inputs(std::string param, std::function<std::vector<std::string>(const ParamSet&)> files);
  // Records the spec; a duplicate name or a default outside the declared
  // range is a registry problem.
  void add_spec(ParamSpec spec);
  // "method 'trimmed-mean'", for error messages.
  std::string where() const;
  ComponentInfo* info_;
};

// `value` checked against `spec`; throws as ParamBinding::bind documents.
ParamValue checked_param(const ParamSpec& spec, const ParamSet& set, const std::string& where);

template <class F>
ParamValue to_param_value(const F& v) {
  if constexpr (std::is_same_v<F, bool>) return v;
  else if constexpr (std::is_integral_v<F>) return static_cast<std::int64_t>(v);
  else if constexpr (std::is_floating_point_v<F>) return static_cast<double>(v);
  else return std::string(v);
}

template <class F>
F from_param_value(const ParamValue& v) {
  if constexpr (std::is_same_v<F, bool>) return std::get<bool>(v);
  else if constexpr (std::is_integral_v<F>) return static_cast<F>(std::get<std::int64_t>(v));
  else if constexpr (std::is_floating_point_v<F>) return static_cast<F>(std::get<double>(v));
  else return std::get<std::string>(v);
}

template <class F>
concept IntField = std::integral<F> && !std::same_as<F, bool>;
}  // namespace detail

// Builder returned by registration macros; setters check their inputs and
// report problems through report_registry_problem.
template <class P = NoParams>
class Registrar : detail::RegistrarBase {
 public:
  // `binding` may be null for a declaration that is only listed.
  explicit Registrar(ComponentInfo& info, ParamBinding<P>* binding = nullptr)
      : RegistrarBase(info), binding_(binding) {}

  Registrar& describe(std::string text) { set_description(std::move(text)); return *this; }
  Registrar& paper(std::string text) { set_paper(std::move(text)); return *this; }
  Registrar& version(std::string v) { set_version(std::move(v)); return *this; }
  Registrar& tag(std::string t) { add_tag(std::move(t)); return *this; }
  // The files it reads, located by parameter `param` (ComponentInfo::input_files).
  Registrar& reads(std::string param, std::function<std::vector<std::string>(const ParamSet&)> files) {
    set_inputs(std::move(param), std::move(files));
    return *this;
  }
  // The file or folder parameter `param` names ("" reads none).
  Registrar& reads_path(const std::string& param) {
    return reads(param, [param](const ParamSet& p) {
      const std::string& path = p.get_string(param);
      return path.empty() ? std::vector<std::string>{} : std::vector<std::string>{path};
    });
  }

  // One field of P, its default the struct's initialiser. Ranges are
  // inclusive; an empty `choices` allows any string.
  template <std::floating_point F>
  Registrar& field(F P::*member, std::string name, double min, double max, std::string doc) {
    return declare(member, numeric(std::move(name), ParamType::kReal, min, max, std::move(doc)));
  }
  template <detail::IntField F>
  Registrar& field(F P::*member, std::string name, std::int64_t min, std::int64_t max,
                   std::string doc) {
    if (min < std::numeric_limits<F>::min() || max > std::numeric_limits<F>::max()) {
      report_registry_problem("'" + info_->name + "': range of parameter '" + name +
                              "' does not fit its field's type");
    }
    return declare(member, numeric(std::move(name), ParamType::kInt, static_cast<double>(min),
                                   static_cast<double>(max), std::move(doc)));
  }
  Registrar& field(bool P::*member, std::string name, std::string doc) {
    ParamSpec s;
    s.name = std::move(name);
    s.type = ParamType::kBool;
    s.doc = std::move(doc);
    return declare(member, std::move(s));
  }
  Registrar& field(std::string P::*member, std::string name, std::vector<std::string> choices,
                   std::string doc) {
    ParamSpec s;
    s.name = std::move(name);
    s.type = ParamType::kString;
    s.choices = std::move(choices);
    s.doc = std::move(doc);
    return declare(member, std::move(s));
  }
  // The fields a shared source declares for a Params with its members, e.g.
  // a table that several suites load (datasets/table_sources.h).
  template <class Source>
  Registrar& fields_of() {
    Source::declare_fields(*this);
    return *this;
  }

 private:
  static ParamSpec numeric(std::string name, ParamType type, double min, double max,
                           std::string doc) {
    ParamSpec s;
    s.name = std::move(name);
    s.type = type;
    s.min = min;
    s.max = max;
    s.doc = std::move(doc);
    return s;
  }

  template <class F>
  Registrar& declare(F P::*member, ParamSpec spec) {
    spec.default_value = detail::to_param_value(P{}.*member);
    if (binding_) {
      binding_->add([member, spec, owner = where()](P& p, const ParamSet& set) {
        p.*member = detail::from_param_value<F>(detail::checked_param(spec, set, owner));
      });
    }
    add_spec(std::move(spec));
    return *this;
  }

  ParamBinding<P>* binding_;
};

// Parameters that every dataset of a suite takes (the splits, the base
// model), declared once outside any registration: the suite appends specs()
// to each dataset's parameters and binds a cell's values with bind().
// `name` is what errors call the declaration, e.g. "<suite> common".
template <class P>
class SharedParams {
 public:
  template <class Declare>
  SharedParams(std::string name, Declare declare) {
    info_.kind = "dataset";
    info_.name = std::move(name);
    Registrar<P> registrar(info_, &binding_);
    declare(registrar);
  }
  SharedParams(const SharedParams&) = delete;
  SharedParams& operator=(const SharedParams&) = delete;

  const std::vector<ParamSpec>& specs() const { return info_.params; }
  P bind(const ParamSet& params) const { return binding_.bind(params); }

 private:
  ComponentInfo info_;
  ParamBinding<P> binding_;
};

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

  // A component with a nested `Params` struct is built from the filled
  // struct, one without from its default constructor.
  template <class T>
  auto add(std::string suite, std::string kind, std::string name) {
    if constexpr (requires { typename T::Params; }) {
      using P = typename T::Params;
      static_assert(std::is_constructible_v<T, const P&>, "a component is built from its Params");
      auto binding = std::make_shared<ParamBinding<P>>();
      auto* raw = binding.get();
      auto& info = add(std::move(suite), std::move(kind), std::move(name),
                       [binding](const ParamSet& p) -> std::unique_ptr<Base> {
                         return std::make_unique<T>(binding->bind(p));
                       }).info;
      return Registrar<P>(info, raw);
    } else {
      static_assert(std::is_default_constructible_v<T>,
                    "a component without a nested Params struct has a default constructor");
      auto& info = add(std::move(suite), std::move(kind), std::move(name),
                       [](const ParamSet&) -> std::unique_ptr<Base> {
                         return std::make_unique<T>();
                       }).info;
      return Registrar<NoParams>(info);
    }
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
  Entry& add(std::string suite, std::string kind, std::string name, Factory make) {
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
    return *entry;
  }

  std::map<std::string, std::unique_ptr<Entry>> entries_;
};

}  // namespace sb

#define SB_CONCAT_INNER_(a, b) a##b
#define SB_CONCAT_(a, b) SB_CONCAT_INNER_(a, b)

// Registers `Type` (see Registry::add) in Registry<Base>. Suites wrap this in
// their own macro.
#define SB_REGISTER_COMPONENT(Base, Type, suite, kind, name)          \
  [[maybe_unused]] static auto SB_CONCAT_(sb_registrar_, __COUNTER__) = \
      ::sb::Registry<Base>::instance().add<Type>(suite, kind, name)
