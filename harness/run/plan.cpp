#include "harness/run/plan.h"

#include <fmt/format.h>

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string_view>

#include "harness/core/errors.h"
#include "harness/core/suggest.h"
#include "harness/run/config_edits.h"
#include "harness/run/plan_inputs.h"
#include "harness/run/plan_keys.h"

namespace sb {

namespace {

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::vector<std::string> suite_list() {
  std::vector<std::string> names;
  for (const auto* e : SuiteRegistry::instance().entries()) names.push_back(e->info.name);
  return names;
}

std::vector<std::string> names_of(const std::vector<ComponentInfo>& infos) {
  std::vector<std::string> out;
  for (const auto& i : infos) out.push_back(i.name);
  return out;
}

// Cartesian product of the entry's axes, each combination resolved against
// the declared parameters (defaults filled, values checked).
std::vector<ParamSet> expand(const GridEntry& entry, const ComponentInfo& info, const std::string& path,
                             const std::string& kind, std::vector<std::string>& problems) {
  // Each value is checked on its own first, so that an error names the line
  // of its key; resolve_params below then only fills in defaults.
  bool bad = false;
  for (size_t a = 0; a < entry.axes.size(); ++a) {
    const auto& [name, values] = entry.axes[a];
    const int line = a < entry.axis_lines.size() ? entry.axis_lines[a] : entry.line;
    // An axis set by an option (-s) names the option, not a line.
    const std::string at = a < entry.axis_origins.size() && !entry.axis_origins[a].empty()
                               ? entry.axis_origins[a]
                               : fmt::format("{}:{}", path, line);
    const ParamSpec* spec = nullptr;
    for (const auto& s : info.params)
      if (s.name == name) spec = &s;
    if (!spec) {
      std::vector<std::string> names;
      for (const auto& s : info.params) names.push_back(s.name);
      problems.push_back(fmt::format("{}: {} '{}': unknown parameter '{}'{} (valid: {})", at, kind, entry.name, name,
                                     did_you_mean(name, names), names.empty() ? "none" : join(names)));
      bad = true;
      continue;
    }
    for (const auto& v : values) {
      auto checked = check_param_value(*spec, v);
      if (!checked.value) {
        problems.push_back(fmt::format("{}: {} '{}': {}", at, kind, entry.name, checked.error));
        bad = true;
      }
    }
  }
  if (bad) return {};
  std::vector<std::map<std::string, ParamValue>> combos(1);
  for (const auto& [name, values] : entry.axes) {
    std::vector<std::map<std::string, ParamValue>> next;
    for (const auto& c : combos)
      for (const auto& v : values) {
        auto m = c;
        m[name] = v;
        next.push_back(std::move(m));
      }
    combos = std::move(next);
  }
  std::vector<ParamSet> out;
  for (const auto& c : combos) {
    try {
      out.push_back(resolve_params(info.params, c, fmt::format("{} '{}'", kind, entry.name)));
    } catch (const InputError& e) {
      problems.push_back(fmt::format("{}:{}: {}", path, entry.line, e.what()));
      return {};
    }
  }
  return out;
}

}  // namespace

std::unique_ptr<Suite> make_suite(const std::string& name) {
  const auto* entry = SuiteRegistry::instance().find(name);
  if (!entry) {
    const auto names = suite_list();
    throw InputError("unknown suite '{}'{} (valid: {})", name, did_you_mean(name, names), join(names));
  }
  return entry->make(ParamSet{});
}

namespace {

std::uint64_t saturating_mul(std::uint64_t a, std::uint64_t b) {
  std::uint64_t out = 0;
  return __builtin_mul_overflow(a, b, &out) ? UINT64_MAX : out;
}

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
  std::uint64_t out = 0;
  return __builtin_add_overflow(a, b, &out) ? UINT64_MAX : out;
}

// Combinations of the entries (the product of each one's list lengths), of
// the entries `keep` accepts.
template <class Keep>
std::uint64_t count_combinations(const std::vector<GridEntry>& entries, Keep keep) {
  std::uint64_t total = 0;
  for (const auto& entry : entries) {
    if (!keep(entry)) continue;
    std::uint64_t combos = 1;
    for (const auto& [name, values] : entry.axes) combos = saturating_mul(combos, values.size());
    total = saturating_add(total, combos);
  }
  return total;
}

std::string count_text(std::uint64_t n) {
  return n == UINT64_MAX ? std::string("more than 1.8e19") : std::to_string(n);
}

struct GridCount {
  std::uint64_t datasets = 0, seeds = 0, methods = 0, cells = 0;
};

GridCount count_grid(const ExperimentConfig& config, const PlanOptions& options) {
  GridCount g;
  auto kept_by = [](const std::vector<std::string>& patterns) {
    return [&patterns](const GridEntry& e) {
      if (patterns.empty()) return true;
      for (const auto& p : patterns)
        if (glob_match(p, e.name)) return true;
      return false;
    };
  };
  g.datasets = count_combinations(config.datasets, kept_by(options.only_datasets));
  g.methods = count_combinations(config.methods, kept_by(options.only_methods));
  g.seeds = options.seeds_override > 0 ? static_cast<std::uint64_t>(options.seeds_override)
                                       : config.seeds.size();
  g.cells = saturating_mul(saturating_mul(g.datasets, g.seeds), g.methods);
  return g;
}

}  // namespace

std::uint64_t count_cells(const ExperimentConfig& config, const PlanOptions& options) {
  return count_grid(config, options).cells;
}

namespace {

// One expanded [[datasets]] or [[methods]] combination.
struct Expanded {
  const ComponentInfo* info;
  ParamSet params;
  std::string label;
  std::string json;
  int line;  // of its [[datasets]] / [[methods]] table
  std::string given_label;  // for messages: the name and the parameters its table sets (label shows all)
  std::shared_ptr<const ExternalMethod> external;  // an external method's command
  std::vector<std::string> input_files;            // an external method's files read (GridEntry)
  bool from_wildcard = false;                      // brought in by a "*" entry
};

// Counted before anything is expanded: a grid too large for memory is an
// input error, not a std::bad_alloc.
void check_grid_size(const ExperimentConfig& config, const PlanOptions& options) {
  if (const GridCount g = count_grid(config, options); g.cells > options.max_cells) {
    throw InputError("{}: the grid has {} cells ({} dataset combinations x {} seeds x {} method "
                     "combinations), more than the limit of {} (--max-cells; a plan costs ~100 "
                     "bytes per cell): use fewer seeds or values, or raise the limit with "
                     "--max-cells N",
                     config.path, count_text(g.cells), count_text(g.datasets), g.seeds,
                     count_text(g.methods), options.max_cells);
  }
}

const SuiteRegistry::Entry& find_suite(const ExperimentConfig& config) {
  const auto* entry = SuiteRegistry::instance().find(config.suite);
  if (!entry) {
    const auto names = suite_list();
    throw InputError("invalid config: {}: unknown suite '{}'{} (valid: {})", config.path, config.suite,
                     did_you_mean(config.suite, names), join(names));
  }
  return *entry;
}

// Each --only/--method and --dataset name or glob must select something.
void check_only(const ExperimentConfig& config, const std::vector<std::string>& patterns,
                const std::vector<GridEntry>& entries, const char* option, const char* kind,
                std::vector<std::string>& problems) {
  for (const auto& only : patterns) {
    bool in_config = false;
    for (const auto& e : entries) in_config = in_config || glob_match(only, e.name);
    if (!in_config) {
      std::vector<std::string> names;
      for (const auto& e : entries) names.push_back(e.name);
      problems.push_back(fmt::format("{}: {} '{}' is not in {} (its {}s: {})", option, kind, only, config.path,
                                     kind, join(names)));
    }
  }
}

void check_only_methods(const ExperimentConfig& config, const PlanOptions& options,
                        std::vector<std::string>& problems) {
  check_only(config, options.only_methods, config.methods, options.only_methods_option.c_str(), "method", problems);
  check_only(config, options.only_datasets, config.datasets, "--dataset", "dataset", problems);
}

// The declaration of an external method, read from its entry: one
// parameter per axis, typed by its values (integers and reals together are
// reals), unrestricted, defaulting to its first value.
ComponentInfo external_info(const ExperimentConfig& config, const GridEntry& entry,
                            const std::vector<ComponentInfo>& registered, std::vector<std::string>& problems) {
  ComponentInfo info;
  info.suite = config.suite;
  info.kind = "method";
  info.name = entry.name;
  info.version = entry.external->version;
  info.description = "external method: " + [&] {
    std::string text;
    for (const auto& a : entry.external->command) text += (text.empty() ? "" : " ") + a;
    return text;
  }();
  if (find_component(registered, entry.name)) {
    problems.push_back(fmt::format("{}:{}: external method '{}' is named like a built-in method of suite '{}' "
                                   "(choose another name)",
                                   config.path, entry.line, entry.name, config.suite));
  }
  for (size_t a = 0; a < entry.axes.size(); ++a) {
    const auto& [name, values] = entry.axes[a];
    ParamSpec spec;
    spec.name = name;
    spec.doc = "parameter of the external method";
    if (values.empty()) continue;  // reported by the config parser
    spec.type = param_value_type(values[0]);
    bool mixed = false;
    for (const auto& v : values) {
      const ParamType t = param_value_type(v);
      if (t == spec.type) continue;
      const bool numeric = (t == ParamType::kInt || t == ParamType::kReal) &&
                           (spec.type == ParamType::kInt || spec.type == ParamType::kReal);
      if (numeric) spec.type = ParamType::kReal;
      else mixed = true;
    }
    if (mixed) {
      problems.push_back(fmt::format("{}:{}: external method '{}': parameter '{}' mixes values of different types",
                                     config.path, a < entry.axis_lines.size() ? entry.axis_lines[a] : entry.line,
                                     entry.name, name));
      continue;
    }
    spec.default_value = values[0];
    if (spec.type == ParamType::kReal && std::holds_alternative<std::int64_t>(values[0])) {
      spec.default_value = static_cast<double>(std::get<std::int64_t>(values[0]));
    }
    info.params.push_back(std::move(spec));
  }
  return info;
}

std::vector<Expanded> expand_all(const ExperimentConfig& config, const std::vector<GridEntry>& entries,
                                 const std::vector<ComponentInfo>& infos, const std::string& kind,
                                 std::vector<std::string>& problems, std::deque<ComponentInfo>& external_infos) {
  std::vector<Expanded> out;
  for (const auto& entry : entries) {
    const ComponentInfo* info = find_component(infos, entry.name);
    if (entry.external) {
      const size_t before = problems.size();
      info = &external_infos.emplace_back(external_info(config, entry, infos, problems));
      if (problems.size() != before) continue;  // its declaration is reported; expanding it adds nothing
    }
    if (!info) {
      const auto names = names_of(infos);
      problems.push_back(fmt::format("{}:{}: unknown {} '{}' in suite '{}'{} (valid: {})", config.path, entry.line,
                                     kind, entry.name, config.suite, did_you_mean(entry.name, names), join(names)));
      continue;
    }
    for (auto& p : expand(entry, *info, config.path, kind, problems)) {
      const std::string& shown_name = entry.label.empty() ? info->name : entry.label;
      ParamSet given;
      for (const auto& [name, values] : entry.axes)
        if (p.has(name)) given.set(name, p.values().at(name));
      auto label = component_label(shown_name, p);
      auto json = p.to_json();
      out.push_back({info, std::move(p), std::move(label), std::move(json), entry.line,
                     component_label(shown_name, given), entry.external, entry.input_files, entry.from_wildcard});
    }
  }
  return out;
}

// The same combination twice would plan each of its cells twice (same key):
// refused, naming both tables (once per pair of tables).
void refuse_duplicates(const std::string& path, const std::vector<Expanded>& list, const std::string& kind,
                       std::vector<std::string>& problems) {
  std::map<std::pair<std::string, std::string>, int> first_line;  // (name, params) -> line
  std::set<std::pair<int, int>> reported;
  for (const auto& e : list) {
    auto [it, inserted] = first_line.emplace(std::pair(e.info->name, e.json), e.line);
    if (inserted || !reported.insert({it->second, e.line}).second) continue;
    if (it->second == e.line) {
      problems.push_back(fmt::format("{}:{}: {} '{}' is planned twice by the [[{}s]] table at line "
                                     "{} (a list names the same value twice)",
                                     path, e.line, kind, e.label, kind, e.line));
    } else {
      problems.push_back(fmt::format("{}:{}: {} '{}' is planned twice: by the [[{}s]] table at "
                                     "line {} and by the one at line {} (its cells would be "
                                     "counted twice; remove one)",
                                     path, e.line, kind, e.label, kind, it->second, e.line));
    }
  }
}

// A `label` must not make two different combinations look the same (their
// rows would merge in every table).
void refuse_label_collisions(const std::string& path, const std::vector<Expanded>& list, const std::string& kind,
                             std::vector<std::string>& problems) {
  std::map<std::string, const Expanded*> by_label;
  for (const auto& e : list) {
    auto [it, inserted] = by_label.emplace(e.label, &e);
    const Expanded& first = *it->second;
    if (inserted || (first.info->name == e.info->name && first.json == e.json)) continue;
    problems.push_back(fmt::format("{}:{}: {} label '{}' is also the label of {} '{}' (line {}): give the entries "
                                   "different labels",
                                   path, e.line, kind, e.label, kind, first.info->name, first.line));
  }
}

std::vector<Expanded> keep_only(std::vector<Expanded> list, const std::vector<std::string>& patterns) {
  if (patterns.empty()) return list;
  std::vector<Expanded> kept;
  for (auto& e : list) {
    for (const auto& only : patterns) {
      if (glob_match(only, e.info->name)) {
        kept.push_back(e);
        break;
      }
    }
  }
  return kept;
}

// Methods a "*" entry brought in that cannot run on some dataset are left
// out (the wildcard means "every method that runs on these datasets").
// A wildcard entry left with no method (none suits every dataset of the
// config) is an error: silently planning nothing would exit 0.
std::vector<Expanded> drop_incompatible_wildcards(const ExperimentConfig& config, const Suite& suite,
                                                  const std::vector<Expanded>& datasets, std::vector<Expanded> methods,
                                                  std::vector<std::string>& problems) {
  std::vector<Expanded> kept;
  std::map<int, std::size_t> kept_of_line;  // wildcard table line -> methods kept
  for (auto& m : methods) {
    bool runs = true;
    for (const auto& d : datasets) {
      if (!m.from_wildcard || !runs) break;
      CellSpec probe{config.suite, d.info->name, d.params, m.info->name, m.params, 0, m.external};
      runs = suite.incompatibility(probe).empty();
    }
    if (m.from_wildcard) kept_of_line[m.line] += runs ? 1 : 0;
    if (runs) kept.push_back(std::move(m));
  }
  for (const auto& [line, count] : kept_of_line) {
    if (count > 0) continue;
    problems.push_back(fmt::format("{}:{}: methods '*': none of the matching methods runs on every dataset of the "
                                   "config (a wildcard keeps a method only if it suits them all: put datasets of "
                                   "different tasks in separate configs)",
                                   config.path, line));
  }
  return kept;
}

std::vector<std::uint64_t> seeds_of(const ExperimentConfig& config, const PlanOptions& options) {
  if (options.seeds_override <= 0) return config.seeds;
  std::vector<std::uint64_t> seeds;
  for (std::int64_t i = 0; i < options.seeds_override; ++i) seeds.push_back(static_cast<std::uint64_t>(i));
  return seeds;
}

// "invalid config:" and the first `max_shown` problems, if there are any.
void throw_if_problems(const std::vector<std::string>& problems, std::size_t max_shown) {
  if (problems.empty()) return;
  std::string msg = "invalid config:";
  for (size_t i = 0; i < problems.size() && i < max_shown; ++i) msg += "\n  " + problems[i];
  if (problems.size() > max_shown) msg += fmt::format("\n  ... and {} more", problems.size() - max_shown);
  throw InputError(msg);
}

// Compatibility is checked once per (dataset, method) pair, with seed 0; user
// data files (validate_datasets) once per dataset combination.
void check_pairs(const ExperimentConfig& config, const PlanOptions& options, const Suite& suite,
                 const std::vector<Expanded>& datasets, const std::vector<Expanded>& methods,
                 std::vector<std::string>& problems) {
  for (const auto& d : datasets) {
    for (const auto& m : methods) {
      CellSpec probe{config.suite, d.info->name, d.params, m.info->name, m.params, 0, m.external};
      auto why = suite.incompatibility(probe);
      if (!why.empty()) {
        problems.push_back(fmt::format("{}:{}: method '{}' cannot run on dataset '{}' (line {}): {}", config.path,
                                       m.line, m.given_label, d.given_label, d.line, why));
      }
    }
  }
  if (!options.validate_datasets) return;
  for (const auto& d : datasets) {
    try {
      suite.validate_dataset(d.info->name, d.params);
    } catch (const InputError& e) {
      problems.push_back(fmt::format("{}:{}: dataset '{}': {}", config.path, d.line, d.given_label, e.what()));
    }
  }
}

// One arm per (dataset, method) combination, datasets outer.
std::vector<PlannedArm> make_arms(const std::string& suite, const std::string& suite_version,
                                  const std::vector<Expanded>& datasets, const std::vector<Expanded>& methods) {
  std::vector<PlannedArm> arms;
  for (const auto& d : datasets) {
    for (const auto& m : methods) {
      PlannedArm arm;
      arm.spec = CellSpec{suite, d.info->name, d.params, m.info->name, m.params, 0, m.external};
      arm.dataset_label = d.label;
      arm.method_label = m.label;
      arm.dataset_params_json = d.json;
      arm.method_params_json = m.json;
      arm.suite_version = suite_version;
      arm.dataset_version = d.info->version;
      arm.method_version = m.info->version;
      arms.push_back(std::move(arm));
    }
  }
  return arms;
}

// The parts of arm `a`'s cells when its method splits them: one template per
// part, named part/<i>, whose parameters identify the arm and the units (so
// that its key does), in part order.
// `jobs_left`: how many more jobs (a part is one per seed) --max-cells allows.
void add_parts(const Suite& suite, std::uint32_t a, Plan& plan, std::vector<std::uint32_t>& templates,
               std::uint64_t max_jobs, std::uint64_t& jobs_left) {
  const PlannedArm& arm = plan.arms[a];
  const auto split = suite.split_of(arm.spec);
  if (!split || split->units == 0) return;
  SB_THROW_IF_NOT(InternalError, split->units_per_part > 0, "suite '{}' splits method '{}' into parts of 0 units",
                  plan.suite, arm.spec.method);
  const std::uint64_t parts = split->units / split->units_per_part + (split->units % split->units_per_part != 0);
  const std::uint64_t seeds = std::max<std::uint64_t>(plan.seeds.size(), 1);
  if (parts > jobs_left / seeds) {
    throw InputError("method '{}' on dataset '{}' splits each cell into {} parts ({} units, {} per part): with the "
                     "other jobs of the plan more than the limit of {} (--max-cells, which counts parts too): use "
                     "larger parts or fewer units, or raise the limit with --max-cells N",
                     arm.method_label, arm.dataset_label, count_text(parts), count_text(split->units),
                     count_text(split->units_per_part), count_text(max_jobs));
  }
  jobs_left -= parts * seeds;
  std::uint64_t part = 0;
  for (std::uint64_t begin = 0; begin < split->units; begin += split->units_per_part, ++part) {
    ReferenceTemplate t;
    t.name = part_reference_name(part);
    t.is_part = true;
    t.arm = a;
    t.begin = begin;
    t.end = std::min(split->units, begin + split->units_per_part);
    // Keyed by the arm's key views: a changed input file makes new parts.
    t.params.set("dataset", arm.spec.dataset + "@" + arm.dataset_version);
    t.params.set("dataset_params", arm.key_dataset_json());
    t.params.set("method", arm.spec.method + "@" + arm.key_method_version());
    t.params.set("method_params", arm.method_params_json);
    t.params.set("begin", static_cast<std::int64_t>(t.begin));
    t.params.set("end", static_cast<std::int64_t>(t.end));
    t.params_json = t.params.to_json();
    t.label = fmt::format("{} of {} on {} (units {}..{})", t.name, arm.method_label, arm.dataset_label, t.begin,
                          t.end);
    t.version = arm.method_version;
    templates.push_back(static_cast<std::uint32_t>(plan.reference_templates.size()));
    plan.reference_templates.push_back(std::move(t));
  }
}

// The distinct references of the arms (Suite::references_of), each planned
// once per seed.
// `max_jobs`: --max-cells, which bounds the cells and their parts together.
void plan_references(const Suite& suite, const std::string& suite_version, bool compute_keys, std::uint64_t max_jobs,
                     Plan& plan) {
  const std::uint64_t cells = plan.arms.size() * std::max<std::uint64_t>(plan.seeds.size(), 1);
  std::uint64_t jobs_left = max_jobs > cells ? max_jobs - cells : 0;
  const auto declared = suite.references();
  std::map<std::pair<std::string, std::string>, std::uint32_t> index_of;  // (name, identity) -> template
  for (const auto& arm : plan.arms) {
    std::vector<std::uint32_t> templates;
    for (auto& request : suite.references_of(arm.spec)) {
      ReferenceSpec spec = resolve_reference(declared, arm.spec, std::move(request));
      ParamSet identity = spec.params;
      if (!spec.dataset.empty()) {
        for (const auto& [name, value] : spec.dataset_params.values()) {
          SB_THROW_IF_NOT(InternalError, !identity.has(name),
                          "suite '{}': reference '{}' declares parameter '{}', which dataset '{}' also has",
                          plan.suite, spec.name, name, spec.dataset);
          identity.set(name, value);
        }
        SB_THROW_IF_NOT(InternalError, !identity.has("dataset"),
                        "suite '{}': reference '{}' may not declare a parameter named 'dataset'", plan.suite,
                        spec.name);
        identity.set("dataset", spec.dataset);
      }
      const std::string label = component_label(spec.name, identity);  // names the dataset's files by path
      // Keyed by the dataset's files' content (as its cells are), not their
      // path: a changed file makes a new reference, a moved one the same.
      if (!spec.dataset.empty() && arm.dataset_key_params && spec.dataset_params == arm.spec.dataset_params) {
        for (const auto& [name, value] : arm.dataset_key_params->values()) identity.set(name, value);
      }
      std::string json = identity.to_json();
      auto [it, inserted] =
          index_of.emplace(std::pair(spec.name, json), static_cast<std::uint32_t>(plan.reference_templates.size()));
      if (inserted) {
        ReferenceTemplate t;
        t.label = label;
        t.name = std::move(spec.name);
        t.params = std::move(spec.params);
        t.dataset = std::move(spec.dataset);
        if (!t.dataset.empty()) t.dataset_version = arm.dataset_version;
        t.dataset_params = std::move(spec.dataset_params);
        t.params_json = std::move(json);
        t.version = find_component(declared, t.name)->version;
        plan.reference_templates.push_back(std::move(t));
      }
      templates.push_back(it->second);
    }
    add_parts(suite, static_cast<std::uint32_t>(plan.arm_references.size()), plan, templates, max_jobs, jobs_left);
    plan.arm_references.push_back(std::move(templates));
  }
  for (std::uint32_t t = 0; t < plan.reference_templates.size(); ++t) {
    for (auto seed : plan.seeds) {
      PlannedReference r;
      r.template_index = t;
      r.seed = seed;
      if (compute_keys) r.key = reference_key(plan.suite, suite_version, plan.reference_templates[t], seed);
      plan.references.push_back(std::move(r));
    }
  }
}

// Content hashes of every arm's user files (rank 0, compute_keys): each file
// is read once per process, even when many arms name it.
void hash_inputs(const std::vector<Expanded>& datasets, const std::vector<Expanded>& methods, Plan& plan,
                 std::vector<std::string>& problems, const std::string& path) {
  std::map<std::string, std::string> inputs;
  std::vector<std::string> method_version(methods.size());
  std::vector<std::optional<ParamSet>> dataset_params(datasets.size());
  for (size_t i = 0; i < datasets.size(); ++i) {
    try {
      dataset_params[i] = dataset_key_params(*datasets[i].info, datasets[i].params, inputs);
    } catch (const InputError& e) {
      problems.push_back(
          fmt::format("{}:{}: dataset '{}': {}", path, datasets[i].line, datasets[i].given_label, e.what()));
    }
  }
  for (size_t i = 0; i < methods.size(); ++i) {
    try {
      method_version[i] =
          method_key_version(methods[i].info->version, methods[i].external.get(), methods[i].input_files, inputs);
    } catch (const InputError& e) {
      problems.push_back(
          fmt::format("{}:{}: method '{}': {}", path, methods[i].line, methods[i].given_label, e.what()));
    }
  }
  std::map<std::string, size_t> first;  // same content, different paths: the same cells twice
  for (size_t i = 0; i < datasets.size(); ++i) {
    if (!dataset_params[i]) continue;
    auto [it, inserted] = first.emplace(datasets[i].info->name + dataset_params[i]->to_json(), i);
    if (!inserted) {
      problems.push_back(fmt::format("{}: datasets '{}' and '{}' read files of the same content: their cells "
                                     "would be the same (remove one)",
                                     path, datasets[it->second].label, datasets[i].label));
    }
  }
  for (size_t a = 0; a < plan.arms.size(); ++a) {
    plan.arms[a].dataset_key_params = dataset_params[a / methods.size()];
    plan.arms[a].method_key_version = method_version[a % methods.size()];
  }
  for (auto& [p, h] : inputs) plan.inputs.push_back({p, h, content_size(p)});
}

}  // namespace

Plan make_plan(const ExperimentConfig& file_config, const PlanOptions& options) {
  const SuiteRegistry::Entry& suite_entry = find_suite(file_config);
  auto suite = suite_entry.make(ParamSet{});
  const ExperimentConfig config = edit_config(file_config, *suite, options.overrides);
  check_grid_size(config, options);
  std::vector<std::string> problems;
  check_only_methods(config, options, problems);
  const auto dataset_infos = suite->datasets();  // Expanded points into these
  const auto method_infos = suite->methods();
  std::deque<ComponentInfo> external_infos;  // Expanded points into these too
  auto datasets = expand_all(config, config.datasets, dataset_infos, "dataset", problems, external_infos);
  auto methods = expand_all(config, config.methods, method_infos, "method", problems, external_infos);
  refuse_duplicates(config.path, datasets, "dataset", problems);
  refuse_duplicates(config.path, methods, "method", problems);
  refuse_label_collisions(config.path, datasets, "dataset", problems);
  refuse_label_collisions(config.path, methods, "method", problems);
  methods = keep_only(std::move(methods), options.only_methods);
  datasets = keep_only(std::move(datasets), options.only_datasets);
  throw_if_problems(problems, problems.size());
  methods = drop_incompatible_wildcards(config, *suite, datasets, std::move(methods), problems);
  check_pairs(config, options, *suite, datasets, methods, problems);
  throw_if_problems(problems, 20);

  Plan plan;
  plan.suite = config.suite;
  plan.seeds = seeds_of(config, options);
  plan.arms = make_arms(config.suite, suite_entry.info.version, datasets, methods);
  if (options.compute_keys) {
    hash_inputs(datasets, methods, plan, problems, config.path);
    throw_if_problems(problems, 20);
  }
  plan_references(*suite, suite_entry.info.version, options.compute_keys, options.max_cells, plan);
  plan.cells = make_cells(plan, plan.seeds, datasets.size(), methods.size(), options.compute_keys);
  return plan;
}

}  // namespace sb
