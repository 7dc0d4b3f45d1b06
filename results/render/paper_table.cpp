#include "results/render/paper_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <toml++/toml.h>
#include <utility>

#include "harness/core/errors.h"
#include "harness/core/suggest.h"
#include "results/aggregate/statistics.h"
#include "results/view/suite_view.h"

namespace sb {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// "file:line" of a TOML node, for messages.
std::string where(const std::string& path, const toml::node& node) {
  return fmt::format("{}:{}", path.empty() ? "<spec>" : path, node.source().begin.line);
}

void check_keys(const std::string& path, const toml::table& table, const std::string& context,
                const std::set<std::string>& allowed) {
  for (const auto& [key, node] : table) {
    if (!allowed.count(std::string(key.str()))) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      throw InputError("{}: unknown key '{}' in {}{} (valid: {})", where(path, node), key.str(), context,
                       did_you_mean(key.str(), {allowed.begin(), allowed.end()}), list);
    }
  }
}

std::string get_string(const std::string& path, const toml::table& table, const std::string& key,
                       const std::string& context, bool required, const std::string& fallback = "") {
  const toml::node* node = table.get(key);
  if (node == nullptr) {
    if (required) throw InputError("{}: missing key '{}' in {}", path, key, context);
    return fallback;
  }
  const auto value = node->value<std::string>();
  if (!value) {
    throw InputError("{}: key '{}' in {} must be a string", where(path, *node), key, context);
  }
  return *value;
}

std::optional<double> get_number(const std::string& path, const toml::table& table,
                                 const std::string& key, const std::string& context) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return std::nullopt;
  if (!node->is_number()) {
    throw InputError("{}: key '{}' in {} must be a number", where(path, *node), key, context);
  }
  return node->value<double>();
}

// A node's value as written (for messages).
std::string node_text(const toml::node& node) {
  std::ostringstream out;
  node.visit([&](const auto& v) { out << v; });
  return out.str();
}

bool get_bool(const std::string& path, const toml::table& table, const std::string& key,
              const std::string& context) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return false;
  const auto value = node->value<bool>();
  if (!value || !node->is_boolean()) {
    throw InputError("{}: key '{}' in {} must be true or false", where(path, *node), key, context);
  }
  return *value;
}

// A `tolerance`: a number >= 0 (fixed) or the string "mc" (Monte Carlo).
struct ToleranceSetting {
  bool mc = false;
  double fixed = 0;
};
std::optional<ToleranceSetting> get_tolerance(const std::string& path, const toml::table& table,
                                              const std::string& context) {
  const toml::node* node = table.get("tolerance");
  if (node == nullptr) return std::nullopt;
  if (const auto text = node->value_exact<std::string>()) {
    if (*text == "mc") return ToleranceSetting{true, 0};
    throw InputError("{}: key 'tolerance' in {} must be a number >= 0 or \"mc\", got '{}'", where(path, *node),
                     context, *text);
  }
  const auto value = get_number(path, table, "tolerance", context);
  if (!(*value >= 0)) {
    throw InputError("{}: key 'tolerance' in {} must be >= 0 or \"mc\", got {}", where(path, *node), context,
                     *value);
  }
  return ToleranceSetting{false, *value};
}

// `tolerance_z`: a finite number > 0.
std::optional<double> get_tolerance_z(const std::string& path, const toml::table& table,
                                      const std::string& context) {
  const auto z = get_number(path, table, "tolerance_z", context);
  if (z && !(*z > 0 && std::isfinite(*z))) {
    throw InputError("{}: key 'tolerance_z' in {} must be a number > 0, got {}",
                     where(path, *table.get("tolerance_z")), context, *z);
  }
  return z;
}

// `replications`: the published study's number of replications, an integer >= 1.
std::optional<std::size_t> get_replications(const std::string& path, const toml::table& table,
                                            const std::string& context) {
  const toml::node* node = table.get("replications");
  if (node == nullptr) return std::nullopt;
  const auto value = node->value_exact<std::int64_t>();
  if (!value || *value < 1) {
    throw InputError("{}: key 'replications' in {} must be an integer >= 1, got {}", where(path, *node), context,
                     node_text(*node));
  }
  return static_cast<std::size_t>(*value);
}

// The array of tables under `key` (empty if absent).
std::vector<const toml::table*> get_tables(const std::string& path, const toml::table& root,
                                           const std::string& key) {
  std::vector<const toml::table*> out;
  const toml::node* node = root.get(key);
  if (node == nullptr) return out;
  const toml::array* array = node->as_array();
  if (array == nullptr) {
    throw InputError("{}: '{}' must be an array of tables ([[{}]])", where(path, *node), key, key);
  }
  for (const auto& item : *array) {
    const toml::table* t = item.as_table();
    if (t == nullptr) throw InputError("{}: every '{}' entry must be a table", where(path, item), key);
    out.push_back(t);
  }
  return out;
}

std::string join_names(const std::vector<std::string>& names) {
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  return list;
}

// `name` must be "mean" or an aggregate the suite's view registers.
void check_aggregate(const std::string& where_text, const std::string& suite, const std::string& name) {
  const auto valid = aggregate_names(suite);
  if (std::find(valid.begin(), valid.end(), name) == valid.end()) {
    throw InputError("{}: key 'aggregate' has unknown value '{}' for suite '{}'{} (valid: {})", where_text, name,
                     suite, did_you_mean(name, valid), join_names(valid));
  }
}

// The (method, dataset) labels of a suite's records, and the plain names
// they carry, to resolve a spec's row and column names against.
struct LabelIndex {
  std::set<std::string> method_labels, dataset_labels;
  std::set<std::pair<std::string, std::string>> method_names, dataset_names;  // (plain name, label)

  LabelIndex(const std::vector<CellRecord>& records, const std::string& suite) {
    for (const auto& r : records) {
      if (r.suite != suite) continue;
      method_labels.insert(r.method_label);
      method_names.insert({r.method, r.method_label});
      dataset_labels.insert(r.dataset_label);
      dataset_names.insert({r.dataset, r.dataset_label});
    }
  }
  std::string method(const std::string& name) const { return resolve(name, method_labels, method_names, "method"); }
  std::string dataset(const std::string& name) const {
    return resolve(name, dataset_labels, dataset_names, "dataset");
  }

 private:
  // The exact label if present, else the one label whose plain name is
  // `name`; "" when none; InputError when several.
  static std::string resolve(const std::string& name, const std::set<std::string>& labels,
                             const std::set<std::pair<std::string, std::string>>& name_label, const char* what) {
    if (labels.count(name)) return name;
    std::vector<std::string> matches;
    for (const auto& [plain, label] : name_label) {
      if (plain == name) matches.push_back(label);
    }
    if (matches.empty()) return "";
    if (matches.size() > 1) {
      std::string list;
      for (const auto& m : matches) list += (list.empty() ? "" : ", ") + m;
      throw InputError("paper spec {} '{}' matches several labels ({}); use the full label", what, name, list);
    }
    return matches.front();
  }
};

// The spec's file for messages.
std::string spec_file(const PaperSpec& spec) { return spec.path.empty() ? "<spec>" : spec.path; }

// "file:line" of a [[rows]] or [[columns]] entry ("file" when its line is unknown).
std::string spec_place(const PaperSpec& spec, int line) {
  return line > 0 ? fmt::format("{}:{}", spec_file(spec), line) : spec_file(spec);
}

}  // namespace

PaperSpec parse_paper_spec(const std::string& toml_text, const std::string& path) {
  toml::table root;
  try {
    root = toml::parse(toml_text, path);
  } catch (const toml::parse_error& e) {
    throw InputError("{}:{}:{}: {}", path.empty() ? "<spec>" : path, e.source().begin.line,
                     e.source().begin.column, e.description());
  }
  check_keys(path, root, "the paper spec",
             {"title", "description", "config", "suite", "aggregate", "metric", "digits", "tolerance",
              "tolerance_z", "replications", "source", "best", "average", "latex_math", "rows", "columns",
              "published"});
  PaperSpec spec;
  spec.path = path;
  spec.title = get_string(path, root, "title", "the paper spec", true);
  spec.description = get_string(path, root, "description", "the paper spec", false);
  spec.suite = get_string(path, root, "suite", "the paper spec", true);
  const std::string config = get_string(path, root, "config", "the paper spec", false);
  if (!config.empty()) {
    const std::filesystem::path base = std::filesystem::path(path).parent_path();
    spec.config_path = (base / config).lexically_normal().string();
  }
  spec.aggregate_name = get_string(path, root, "aggregate", "the paper spec", false, "mean");
  check_aggregate(root.get("aggregate") ? where(path, *root.get("aggregate")) : path, spec.suite,
                  spec.aggregate_name);
  spec.metric = get_string(path, root, "metric", "the paper spec", false);
  if (const auto digits = get_number(path, root, "digits", "the paper spec")) {
    if (*digits < 0 || *digits > 12 || *digits != std::floor(*digits)) {
      throw InputError("{}: key 'digits' must be an integer in [0, 12], got {}",
                       where(path, *root.get("digits")), *digits);
    }
    spec.digits = static_cast<int>(*digits);
  }
  const auto default_tolerance = get_tolerance(path, root, "the paper spec");
  const auto default_z = get_tolerance_z(path, root, "the paper spec");
  const auto default_replications = get_replications(path, root, "the paper spec");
  const std::string default_source = get_string(path, root, "source", "the paper spec", false);
  spec.best = get_string(path, root, "best", "the paper spec", false);
  if (!spec.best.empty() && spec.best != "higher" && spec.best != "lower") {
    throw InputError("{}: key 'best' must be \"higher\" or \"lower\", got '{}'", where(path, *root.get("best")),
                     spec.best);
  }
  spec.average_column = get_bool(path, root, "average", "the paper spec");
  spec.latex_math = get_bool(path, root, "latex_math", "the paper spec");

  for (const toml::table* t : get_tables(path, root, "rows")) {
    check_keys(path, *t, "[[rows]]", {"method", "display"});
    PaperRow row;
    row.method = get_string(path, *t, "method", "[[rows]]", true);
    row.display = get_string(path, *t, "display", "[[rows]]", false, row.method);
    row.line = static_cast<int>(t->source().begin.line);
    spec.rows.push_back(row);
  }
  for (const toml::table* t : get_tables(path, root, "columns")) {
    check_keys(path, *t, "[[columns]]", {"dataset", "display", "metric"});
    PaperColumn col;
    col.dataset = get_string(path, *t, "dataset", "[[columns]]", true);
    col.display = get_string(path, *t, "display", "[[columns]]", false, col.dataset);
    col.metric = get_string(path, *t, "metric", "[[columns]]", false);
    col.line = static_cast<int>(t->source().begin.line);
    if (!col.metric.empty() && spec.aggregate_name != "mean") {
      throw InputError("{}: a [[columns]] 'metric' needs aggregate = \"mean\"", where(path, *t));
    }
    if (spec.aggregate_name == "mean" && spec.metric.empty() && col.metric.empty()) {
      throw InputError("{}: aggregate = \"mean\" needs key 'metric' (the per-cell metric), at the top or in "
                       "every [[columns]]", path);
    }
    spec.columns.push_back(col);
  }
  if (spec.rows.empty()) throw InputError("{}: the paper spec has no [[rows]]", path);
  if (spec.columns.empty()) throw InputError("{}: the paper spec has no [[columns]]", path);

  bool any_mc = false;
  for (const toml::table* t : get_tables(path, root, "published")) {
    check_keys(path, *t, "[[published]]",
               {"method", "dataset", "metric", "value", "tolerance", "tolerance_z", "replications", "source"});
    PublishedValue p;
    p.method = get_string(path, *t, "method", "[[published]]", true);
    p.dataset = get_string(path, *t, "dataset", "[[published]]", true);
    p.metric = get_string(path, *t, "metric", "[[published]]", false);
    const auto value = get_number(path, *t, "value", "[[published]]");
    if (!value) throw InputError("{}: missing key 'value' in [[published]]", where(path, *t));
    p.value = *value;
    const auto own = get_tolerance(path, *t, "[[published]]");
    if (!own && !default_tolerance) {
      throw InputError("{}: [[published]] entry for method '{}' has no 'tolerance' (and no "
                       "top-level 'tolerance')", where(path, *t), p.method);
    }
    const ToleranceSetting tol = own ? *own : *default_tolerance;
    p.mc_tolerance = tol.mc;
    p.tolerance = tol.fixed;
    const auto own_z = get_tolerance_z(path, *t, "[[published]]");
    if (own_z && !p.mc_tolerance) {
      throw InputError("{}: key 'tolerance_z' in [[published]] needs tolerance = \"mc\" (this entry's is {})",
                       where(path, *t->get("tolerance_z")), p.tolerance);
    }
    p.tolerance_z = own_z ? *own_z : default_z.value_or(3.0);
    any_mc = any_mc || p.mc_tolerance;
    const auto own_r = get_replications(path, *t, "[[published]]");
    p.replications = own_r ? *own_r : default_replications.value_or(0);
    p.source = get_string(path, *t, "source", "[[published]]", false, default_source);
    bool row_found = false;
    for (const auto& r : spec.rows) row_found = row_found || r.method == p.method;
    if (!row_found) {
      throw InputError("{}: [[published]] method '{}' is not a [[rows]] method", where(path, *t), p.method);
    }
    if (published_column(spec, p) == nullptr) {
      if (p.metric.empty()) {
        throw InputError("{}: [[published]] dataset '{}' is not a [[columns]] dataset", where(path, *t),
                         p.dataset);
      }
      throw InputError("{}: [[published]] dataset '{}' with metric '{}' is not a [[columns]] entry",
                       where(path, *t), p.dataset, p.metric);
    }
    spec.published.push_back(p);
  }
  if (default_z && !any_mc) {
    throw InputError("{}: key 'tolerance_z' = {} is used only with tolerance = \"mc\", which no [[published]] "
                     "entry has", where(path, *root.get("tolerance_z")), *default_z);
  }
  return spec;
}

PaperSpec load_paper_spec(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError("cannot read paper spec '{}'", path);
  std::stringstream text;
  text << in.rdbuf();
  return parse_paper_spec(text.str(), path);
}

const PaperColumn* published_column(const PaperSpec& spec, const PublishedValue& published) {
  for (const auto& c : spec.columns) {
    if (c.dataset == published.dataset && (published.metric.empty() || c.metric == published.metric)) return &c;
  }
  return nullptr;
}

void check_spec_labels(const PaperSpec& spec, const std::string& config_suite, const std::vector<CellRecord>& arms) {
  const std::string file = spec_file(spec);
  if (config_suite != spec.suite) {
    throw InputError("{}: key 'suite' is '{}' but its config {} is an experiment of suite '{}'", file, spec.suite,
                     spec.config_path, config_suite);
  }
  const LabelIndex index(arms, spec.suite);
  // A name the config does not plan: the labels it does plan, a few at most.
  const auto offer = [](const std::set<std::string>& labels) {
    constexpr std::size_t kShown = 8;
    std::string list;
    std::size_t i = 0;
    for (const auto& label : labels) {
      if (i++ == kShown) return fmt::format("{}, ... ({} in all)", list, labels.size());
      list += (list.empty() ? "" : ", ") + label;
    }
    return list;
  };
  const auto unknown = [&](int line, const char* table, const char* key, const std::string& value,
                           const std::set<std::string>& labels) {
    return InputError("{}: [[{}]] {} '{}' is not planned by its config {} (it plans: {})", spec_place(spec, line),
                      table, key, value, spec.config_path, offer(labels));
  };
  for (const auto& row : spec.rows) {
    if (index.method(row.method).empty()) throw unknown(row.line, "rows", "method", row.method, index.method_labels);
  }
  for (const auto& column : spec.columns) {
    if (index.dataset(column.dataset).empty()) {
      throw unknown(column.line, "columns", "dataset", column.dataset, index.dataset_labels);
    }
  }
}

void check_spec_metrics(const PaperSpec& spec, const std::vector<std::string>& suite_metrics) {
  if (spec.aggregate_name != "mean") return;
  const std::set<std::string> known(suite_metrics.begin(), suite_metrics.end());
  for (const auto& column : spec.columns) {
    const std::string& metric = column.metric.empty() ? spec.metric : column.metric;
    if (known.count(metric) || known.count(metric.substr(0, metric.find('/')))) continue;
    if (column.metric.empty()) {
      throw InputError("{}: key 'metric' = '{}' is not a metric suite '{}' records (valid: {})", spec_file(spec),
                       metric, spec.suite, join_names(suite_metrics));
    }
    throw InputError("{}: metric '{}' (of [[columns]] dataset '{}') is not one suite '{}' records (valid: {})",
                     spec_place(spec, column.line), metric, column.dataset, spec.suite, join_names(suite_metrics));
  }
}

struct PaperValues::Index {
  LabelIndex labels;
  std::map<std::pair<std::string, std::string>, std::vector<CellRecord>> cells;  // by (method, dataset) label
};

PaperValues::PaperValues(const PaperSpec& spec, const std::vector<CellRecord>& records) : spec_(spec) {
  auto index = std::make_unique<Index>(Index{LabelIndex(records, spec.suite), {}});
  for (const auto& r : records) {
    if (r.suite == spec.suite) index->cells[{r.method_label, r.dataset_label}].push_back(r);
  }
  index_ = std::move(index);
}

PaperValues::~PaperValues() = default;

PaperValue paper_value(const PaperSpec& spec, const std::string& method, const std::string& dataset,
                       const std::vector<CellRecord>& records, const std::string& metric) {
  return PaperValues(spec, records).get(method, dataset, metric);
}

PaperValue PaperValues::get(const std::string& method, const std::string& dataset,
                            const std::string& column_metric) const {
  const PaperSpec& spec = spec_;
  const std::string& metric = column_metric.empty() ? spec.metric : column_metric;
  PaperValue v;
  v.method_label = index_->labels.method(method);
  v.dataset_label = index_->labels.dataset(dataset);
  v.value = v.ci_half_width = v.low = v.high = v.mc_se = kNaN;
  const auto found = index_->cells.find({v.method_label, v.dataset_label});
  if (found == index_->cells.end()) return v;
  const std::vector<CellRecord>& cells = found->second;
  if (spec.aggregate_name == "mean") {
    std::vector<double> values;
    for (const auto& c : cells) {
      if (c.status != CellStatus::kOk) {
        ++v.n_failed;
        continue;
      }
      for (const auto& [name, x] : c.metrics) {
        if (name == metric && std::isfinite(x)) values.push_back(x);
      }
    }
    if (values.empty()) return v;
    const auto ci = stats::mean_ci(values);
    v.n = ci.n;
    v.value = ci.mean;
    v.ci_half_width = ci.half_width;
    // The standard error of a mean over seeds (NaN for one seed).
    if (ci.n >= 2) v.mc_se = ci.sd / std::sqrt(static_cast<double>(ci.n));
    return v;
  }
  const auto aggregate = find_aggregate(spec.suite, spec.aggregate_name);
  if (!aggregate) {
    throw InputError("paper spec {}: suite '{}' has no aggregate '{}' (valid: {})", spec.path, spec.suite,
                     spec.aggregate_name, join_names(aggregate_names(spec.suite)));
  }
  const AggregateValue a = aggregate->compute(cells, 0.95);
  v.value = a.value;
  v.ci_half_width = a.ci_half_width;
  v.low = a.low;
  v.high = a.high;
  v.n = a.n;
  v.n_failed = a.n_failed;
  v.mc_se = a.mc_se;
  if (v.n == 0) v.value = kNaN;
  return v;
}

namespace {

// "Average": the mean of each row's numeric cells (n/a when one is n/a).
void add_average_column(Table& t) {
  t.columns.push_back({"Average"});
  for (auto& row : t.rows) {
    double sum = 0;
    std::size_t n = 0;
    for (const auto& cell : row) {
      if (!cell.numeric) continue;
      sum += cell.value;  // NaN propagates: a missing value makes the average n/a
      ++n;
    }
    row.push_back(TableCell::number(n > 0 ? sum / static_cast<double>(n) : kNaN));
  }
}

// Best (bold) and second (underlined) per numeric column, by value as shown
// (rounded to the table's digits, so equal-looking values tie).
void mark_best_per_column(Table& t, bool higher) {
  for (std::size_t c = 0; c < t.columns.size(); ++c) {
    std::vector<double> shown;
    for (const auto& row : t.rows) {
      const TableCell& cell = row[c];
      if (cell.numeric && std::isfinite(cell.value))
        shown.push_back(std::stod(format_fixed(cell.value, cell_digits(cell, t.digits))));
    }
    std::sort(shown.begin(), shown.end());
    shown.erase(std::unique(shown.begin(), shown.end()), shown.end());
    if (higher) std::reverse(shown.begin(), shown.end());
    for (auto& row : t.rows) {
      TableCell& cell = row[c];
      if (!cell.numeric || !std::isfinite(cell.value)) continue;
      const double v = std::stod(format_fixed(cell.value, cell_digits(cell, t.digits)));
      if (!shown.empty() && v == shown[0]) cell.mark = Mark::kBest;
      else if (shown.size() > 1 && v == shown[1]) cell.mark = Mark::kSecond;
    }
  }
}

}  // namespace

Table paper_table(const PaperSpec& spec, const std::vector<CellRecord>& records) {
  Table t;
  t.title = spec.title;
  t.digits = spec.digits;
  t.columns.push_back({"method"});
  for (const auto& c : spec.columns) t.columns.push_back({c.display});
  std::vector<std::string> missing, failed;
  const PaperValues values(spec, records);
  for (const auto& row : spec.rows) {
    std::vector<TableCell> cells = {TableCell::label(row.display)};
    for (const auto& col : spec.columns) {
      const PaperValue v = values.get(row.method, col.dataset, col.metric);
      if (!std::isnan(v.low)) {
        cells.push_back(TableCell::interval(v.value, v.low, v.high));
      } else {
        cells.push_back(TableCell::number(v.value, v.ci_half_width));
      }
      if (std::isnan(v.value)) missing.push_back(row.display + " / " + col.display);
      if (v.n_failed > 0) failed.push_back(fmt::format("{} / {}: {}", row.display, col.display, v.n_failed));
    }
    t.rows.push_back(std::move(cells));
  }
  if (spec.average_column) add_average_column(t);
  if (!spec.best.empty()) mark_best_per_column(t, spec.best == "higher");
  t.latex_math = spec.latex_math;
  t.notes.push_back(spec.aggregate_name == "mean"
                        ? (spec.metric.empty() ? std::string("mean of each column's metric over seeds ± 95% t CI")
                                               : fmt::format("mean of '{}' over seeds ± 95% t CI", spec.metric))
                        : fmt::format("{} over replications", spec.aggregate_name));
  auto join = [](const std::vector<std::string>& items) {
    std::string s;
    for (const auto& i : items) s += (s.empty() ? "" : "; ") + i;
    return s;
  };
  if (!missing.empty()) t.notes.push_back("no result: " + join(missing));
  if (!failed.empty()) t.notes.push_back("failed cells: " + join(failed));
  return t;
}

}  // namespace sb
