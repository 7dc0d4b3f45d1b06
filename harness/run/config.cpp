#include "harness/run/config.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "harness/core/errors.h"
#include "harness/core/suggest.h"
#include "harness/run/slurm_table.h"

namespace sb {

namespace {

class Problems {
 public:
  explicit Problems(std::string path) : path_(std::move(path)) {}
  void add(int line, const std::string& what) {
    list_.push_back(line > 0 ? fmt::format("{}:{}: {}", path_, line, what)
                             : fmt::format("{}: {}", path_, what));
  }
  const std::string& path() const { return path_; }
  void throw_if_any() const {
    if (list_.empty()) return;
    std::string msg = list_.size() == 1 ? "invalid config: " : "invalid config:";
    if (list_.size() == 1) {
      msg += list_[0];
    } else {
      for (const auto& p : list_) msg += "\n  " + p;
    }
    throw InputError(msg);
  }

 private:
  std::string path_;
  std::vector<std::string> list_;
};

int line_of(const toml::node& n) { return static_cast<int>(n.source().begin.line); }

std::optional<ParamValue> scalar_value(const toml::node& n) {
  if (auto v = n.as_boolean()) return ParamValue(v->get());
  if (auto v = n.as_integer()) return ParamValue(static_cast<std::int64_t>(v->get()));
  if (auto v = n.as_floating_point()) return ParamValue(v->get());
  if (auto v = n.as_string()) return ParamValue(v->get());
  return std::nullopt;
}

std::string node_text(const toml::node& n) {
  std::ostringstream os;
  n.visit([&](auto&& x) { os << x; });
  return os.str();
}

// `label`: a non-empty string without the characters that delimit a
// label's parameters ("name[k=v,...]").
void parse_label(const toml::node& v, const std::string& where, GridEntry& entry, Problems& problems) {
  const auto* s = v.as_string();
  if (!s || s->get().empty() || s->get().find_first_of("[],") != std::string::npos) {
    problems.add(line_of(v), fmt::format("{}: 'label' must be a non-empty string without '[', ']' or ',', got {}",
                                         where, node_text(v)));
    return;
  }
  entry.label = s->get();
}

// An external method's entry: name, command, version, optional mode and
// params (a table of parameter grids, returned; null after a problem).
const toml::table* parse_external(const toml::table& t, GridEntry& entry, const std::string& where,
                                  Problems& problems) {
  static const toml::table kNoParams;
  auto method = std::make_shared<ExternalMethod>();
  method->name = entry.name;
  bool ok = true;
  for (const auto& [k, v] : t) {
    const std::string_view name = k.str();
    if (name == "label") {
      parse_label(v, where, entry, problems);
    } else if (name != "name" && name != "command" && name != "version" && name != "mode" && name != "params" &&
               name != "files") {
      problems.add(line_of(v), fmt::format("{} '{}': unknown key '{}' for an external method (valid: name, "
                                           "label, command, version, mode, params, files)",
                                           where, entry.name, name));
      ok = false;
    }
  }
  const toml::array* command = t.get("command")->as_array();
  if (command && !command->empty()) {
    for (const auto& e : *command) {
      if (!e.is_string() || e.as_string()->get().empty()) command = nullptr;
      else method->command.push_back(e.as_string()->get());
    }
  }
  if (!command || command->empty()) {
    problems.add(line_of(*t.get("command")), fmt::format("{} '{}': 'command' must be a non-empty list of "
                                                         "non-empty strings, e.g. [\"python3\", \"my_method.py\"]",
                                                         where, entry.name));
    ok = false;
  }
  if (const toml::node* v = t.get("version"); v && v->is_string() && !v->as_string()->get().empty()) {
    method->version = v->as_string()->get();
  } else if (v && v->is_integer()) {
    method->version = std::to_string(v->as_integer()->get());
  } else {
    problems.add(v ? line_of(*v) : entry.line,
                 fmt::format("{} '{}': an external method needs a 'version' (a string; bump it when the "
                             "method's output changes)",
                             where, entry.name));
    ok = false;
  }
  if (const toml::node* v = t.get("mode")) {
    const auto* mode = v->as_string();
    if (mode && mode->get() == "persistent") {
      method->persistent = true;
    } else if (!mode || mode->get() != "per-cell") {
      problems.add(line_of(*v), fmt::format("{} '{}': 'mode' must be \"per-cell\" or \"persistent\", got {}", where,
                                            entry.name, node_text(*v)));
      ok = false;
    }
  }
  if (const toml::node* v = t.get("files")) {
    const toml::array* files = v->as_array();
    bool good = files != nullptr;
    if (files) {
      for (const auto& e : *files) {
        if (!e.is_string() || e.as_string()->get().empty()) good = false;
        else entry.input_files.push_back(e.as_string()->get());
      }
    }
    if (!good) {
      problems.add(line_of(*v), fmt::format("{} '{}': 'files' must be a list of file names (relative to the "
                                            "config's folder)",
                                            where, entry.name));
      ok = false;
    }
  }
  const toml::table* params = &kNoParams;
  if (const toml::node* v = t.get("params")) {
    params = v->as_table();
    if (!params) {
      problems.add(line_of(*v), fmt::format("{} '{}': 'params' must be a table of parameter values or lists, "
                                            "e.g. params = {{ temperature = [1.0, 1000.0] }}",
                                            where, entry.name));
      return nullptr;
    }
  }
  // The command runs in the config file's folder, so a config and its
  // scripts move together.
  std::error_code ec;
  std::filesystem::path folder = std::filesystem::path(problems.path()).parent_path();
  if (folder.empty()) folder = ".";
  method->workdir = std::filesystem::absolute(folder, ec).lexically_normal().string();
  if (method->workdir.size() > 1 && method->workdir.back() == '/') method->workdir.pop_back();
  entry.external = std::move(method);
  return ok ? params : nullptr;
}

// `name = "*"` with optional `tags` and `exclude` (lists of strings), and
// no parameters: they differ from method to method.
void parse_wildcard(const toml::table& t, GridEntry& entry, const std::string& where, Problems& problems) {
  for (const auto& [k, v] : t) {
    const std::string name(k.str());
    if (name == "name") continue;
    std::vector<std::string>* list = name == "tags" ? &entry.tags : name == "exclude" ? &entry.exclude : nullptr;
    if (!list) {
      problems.add(line_of(v), fmt::format("{} '*': unknown key '{}' (name = \"*\" takes only 'tags' and "
                                           "'exclude'; give parameters in a method's own [[methods]] table)",
                                           where, name));
      continue;
    }
    const toml::array* values = v.as_array();
    bool good = values != nullptr && !values->empty();
    if (values) {
      for (const auto& e : *values) {
        if (!e.is_string()) good = false;
        else list->push_back(e.as_string()->get());
      }
    }
    if (!good) {
      problems.add(line_of(v), fmt::format("{} '*': '{}' must be a non-empty list of strings", where, name));
    }
  }
}

std::vector<GridEntry> parse_entries(const toml::table& root, const char* key, Problems& problems) {
  std::vector<GridEntry> out;
  const toml::node* node = root.get(key);
  if (!node) {
    problems.add(0, fmt::format("missing key '{}' (an array of tables: [[{}]] with name = ...)", key, key));
    return out;
  }
  const toml::array* arr = node->as_array();
  if (!arr || !arr->is_array_of_tables()) {
    problems.add(line_of(*node), fmt::format("'{}' must be an array of tables ([[{}]]), got {}", key, key,
                                             node_text(*node)));
    return out;
  }
  if (arr->empty()) problems.add(line_of(*node), fmt::format("'{}' is empty", key));
  size_t index = 0;
  for (const auto& item : *arr) {
    const toml::table& t = *item.as_table();
    GridEntry entry;
    entry.line = line_of(t);
    std::string where = fmt::format("{}[{}]", key, index++);
    const toml::node* name = t.get("name");
    if (!name) {
      problems.add(entry.line, fmt::format("{}: missing string key 'name'", where));
    } else if (!name->is_string()) {
      const bool methods = std::string_view(key) == "methods";
      problems.add(line_of(*name), fmt::format("{}: 'name' must be a string, got {} (one {} per [[{}]] table: write "
                                               "a table for each{})",
                                               where, node_text(*name), methods ? "method" : "dataset", key,
                                               methods ? ", or name = \"*\" for every method" : ""));
    } else {
      entry.name = name->as_string()->get();
    }
    const toml::table* axes_table = &t;
    if (std::string(key) == "methods" && t.contains("command")) {
      axes_table = parse_external(t, entry, where, problems);
      if (!axes_table) continue;
    }
    if (std::string(key) == "methods" && entry.wildcard()) {
      parse_wildcard(t, entry, where, problems);
      out.push_back(std::move(entry));
      continue;
    }
    for (const auto& [k, v] : *axes_table) {
      std::string pname(k.str());
      if (pname == "name" && axes_table == &t) continue;
      if (pname == "label" && axes_table == &t) {
        parse_label(v, where, entry, problems);
        continue;
      }
      std::vector<ParamValue> values;
      if (const toml::array* list = v.as_array()) {
        if (list->empty()) {
          problems.add(line_of(v), fmt::format("{} '{}': parameter '{}' is an empty list", where,
                                               entry.name, pname));
        }
        for (const auto& e : *list) {
          auto sv = scalar_value(e);
          if (!sv) {
            problems.add(line_of(e), fmt::format("{} '{}': parameter '{}' has a value that is not a "
                                                 "number, string or boolean: {}",
                                                 where, entry.name, pname, node_text(e)));
          } else {
            values.push_back(*sv);
          }
        }
      } else if (auto sv = scalar_value(v)) {
        values.push_back(*sv);
      } else {
        problems.add(line_of(v), fmt::format("{} '{}': parameter '{}' must be a number, string, "
                                             "boolean or a list of them, got {}",
                                             where, entry.name, pname, node_text(v)));
      }
      entry.axes.emplace_back(pname, std::move(values));
      entry.axis_lines.push_back(line_of(v));
    }
    out.push_back(std::move(entry));
  }
  return out;
}

// `timeout = SECONDS`: the default per-cell timeout of this experiment
// (--timeout overrides it).
void parse_timeout(const toml::table& root, ExperimentConfig& cfg, Problems& problems) {
  const toml::node* t = root.get("timeout");
  if (!t) return;
  std::optional<double> v;
  if (auto i = t->as_integer()) v = static_cast<double>(i->get());
  if (auto f = t->as_floating_point()) v = f->get();
  if (!v || !(*v >= 1e-3 && *v <= 1e9)) {
    problems.add(line_of(*t), fmt::format("'timeout' must be a number of seconds in [0.001, 1e9], got {}",
                                          node_text(*t)));
    return;
  }
  cfg.timeout_seconds = *v;
}

// `max_retries = N`: failed cells are run again up to N more times
// (--max-retries overrides it).
void parse_max_retries(const toml::table& root, ExperimentConfig& cfg, Problems& problems) {
  const toml::node* r = root.get("max_retries");
  if (!r) return;
  const auto n = r->as_integer();
  if (!n || n->get() < 0 || n->get() > kMaxRetriesLimit) {
    problems.add(line_of(*r), fmt::format("'max_retries' must be a whole number in [0, {}], got {}",
                                          kMaxRetriesLimit, node_text(*r)));
    return;
  }
  cfg.max_retries = static_cast<int>(n->get());
}

}  // namespace

ExperimentConfig parse_config(const std::string& path, const std::string& text) {
  ExperimentConfig cfg;
  cfg.path = path;
  cfg.text = text;
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    throw InputError("invalid config: {}:{}:{}: TOML syntax error: {}", path, e.source().begin.line,
                     e.source().begin.column, e.description());
  }
  Problems problems(path);
  static const std::vector<std::string> kKnown = {"suite",       "description", "seeds",   "timeout",
                                                  "max_retries", "datasets",    "methods", "slurm"};
  for (const auto& [k, v] : root) {
    if (std::find(kKnown.begin(), kKnown.end(), k.str()) == kKnown.end()) {
      problems.add(line_of(v), fmt::format("unknown key '{}'{} (valid: {})", k.str(), did_you_mean(k.str(), kKnown),
                                           fmt::join(kKnown, ", ")));
    }
  }
  if (const auto* s = root.get("suite"); s && s->is_string()) {
    cfg.suite = s->as_string()->get();
  } else {
    problems.add(s ? line_of(*s) : 0, "missing string key 'suite'");
  }
  if (const auto* d = root.get("description"); d) {
    if (d->is_string()) {
      cfg.description = d->as_string()->get();
    } else {
      problems.add(line_of(*d), "'description' must be a string");
    }
  }
  if (const auto* s = root.get("seeds"); !s) {
    problems.add(0, "missing key 'seeds' (a count, e.g. seeds = 10, or a list, e.g. seeds = [0, 1, 2])");
  } else if (auto n = s->as_integer()) {
    if (n->get() < 1 || n->get() > 100000000) {
      problems.add(line_of(*s), fmt::format("'seeds' = {} must be a count in [1, 100000000]", n->get()));
    } else {
      for (std::int64_t i = 0; i < n->get(); ++i) cfg.seeds.push_back(static_cast<std::uint64_t>(i));
    }
  } else if (auto list = s->as_array()) {
    std::set<std::int64_t> seen;
    for (const auto& e : *list) {
      auto v = e.as_integer();
      if (!v || v->get() < 0) {
        problems.add(line_of(e), fmt::format("'seeds' entries must be non-negative integers, got {}",
                                             node_text(e)));
      } else if (!seen.insert(v->get()).second) {
        problems.add(line_of(e), fmt::format("'seeds' lists {} twice", v->get()));
      } else {
        cfg.seeds.push_back(static_cast<std::uint64_t>(v->get()));
      }
    }
    if (list->empty()) problems.add(line_of(*s), "'seeds' is an empty list");
  } else {
    problems.add(line_of(*s), fmt::format("'seeds' must be a count or a list of integers, got {}",
                                          node_text(*s)));
  }
  parse_timeout(root, cfg, problems);
  parse_max_retries(root, cfg, problems);
  if (const auto* slurm = root.get("slurm")) {
    parse_slurm_table(*slurm, cfg.slurm, [&](int line, const std::string& what) { problems.add(line, what); });
  }
  cfg.datasets = parse_entries(root, "datasets", problems);
  cfg.methods = parse_entries(root, "methods", problems);
  problems.throw_if_any();
  return cfg;
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError("cannot read '{}': no such file or not readable", path);
  std::ostringstream os;
  os << in.rdbuf();
  return os.str();
}

ExperimentConfig load_config(const std::string& path) { return parse_config(path, read_text_file(path)); }

}  // namespace sb
