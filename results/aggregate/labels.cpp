#include "results/aggregate/labels.h"

#include <cctype>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace sb {

namespace {

struct ParsedLabel {
  std::string name;
  std::vector<std::pair<std::string, std::string>> params;  // in label order
};

bool starts_parameter(const std::string& s, std::size_t i) {
  // "k=" with k an identifier: how a parameter starts after a ','; a ','
  // inside a value (a path, a list) is followed by something else.
  if (i >= s.size() || !(std::isalpha(static_cast<unsigned char>(s[i])) || s[i] == '_')) return false;
  while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) ++i;
  return i < s.size() && s[i] == '=';
}

ParsedLabel parse(const std::string& label) {
  ParsedLabel out;
  const auto open = label.find('[');
  if (open == std::string::npos || label.back() != ']') {
    out.name = label;
    return out;
  }
  out.name = label.substr(0, open);
  const std::string body = label.substr(open + 1, label.size() - open - 2);
  std::size_t start = 0;
  for (std::size_t i = 0; i <= body.size(); ++i) {
    if (i < body.size() && !(body[i] == ',' && starts_parameter(body, i + 1))) continue;
    const std::string item = body.substr(start, i - start);
    const auto eq = item.find('=');
    if (eq == std::string::npos) {  // not k=v: keep the label whole
      return ParsedLabel{label, {}};
    }
    out.params.emplace_back(item.substr(0, eq), item.substr(eq + 1));
    start = i + 1;
  }
  return out;
}

// What sets one identity apart from the others sharing its label: the parts
// (name, parameters, version) that are not the same for all of them.
struct Identity {
  std::string name, params, version, suite_version;
  auto operator<=>(const Identity&) const = default;
};

// Canonical JSON {"k":v,...} as "k=v,..." (a suffix to read, not to parse).
std::string params_text(const std::string& json) {
  std::string out;
  for (char c : json) {
    if (c == '{' || c == '}' || c == '"') continue;
    out += c == ':' ? '=' : c;
  }
  return out;
}

std::map<Identity, std::string> suffixes(const std::set<Identity>& identities) {
  bool names = false, params = false, versions = false, suite_versions = false;
  const Identity& first = *identities.begin();
  for (const auto& id : identities) {
    names = names || id.name != first.name;
    params = params || id.params != first.params;
    versions = versions || id.version != first.version;
    suite_versions = suite_versions || id.suite_version != first.suite_version;
  }
  std::map<Identity, std::string> out;
  for (const auto& id : identities) {
    std::vector<std::string> parts;
    if (names) parts.push_back(id.name);
    if (params) parts.push_back(id.params == "{}" || id.params.empty() ? "no parameters" : params_text(id.params));
    if (versions) parts.push_back("version " + id.version);
    if (suite_versions) parts.push_back("suite version " + id.suite_version);
    std::string text;
    for (const auto& p : parts) text += (text.empty() ? "" : ", ") + p;
    out[id] = " (" + text + ")";
  }
  return out;
}

// Relabels the records whose (suite, label) is shared by several identities.
void separate(std::vector<CellRecord>& records, std::string CellRecord::*label,
              Identity (*identity)(const CellRecord&)) {
  std::map<std::pair<std::string, std::string>, std::set<Identity>> by_label;
  for (const auto& r : records) by_label[{r.suite, r.*label}].insert(identity(r));
  std::map<std::pair<std::string, std::string>, std::map<Identity, std::string>> shared;
  for (const auto& [key, ids] : by_label)
    if (ids.size() > 1) shared[key] = suffixes(ids);
  if (shared.empty()) return;
  for (auto& r : records) {
    const auto it = shared.find({r.suite, r.*label});
    if (it != shared.end()) r.*label += it->second.at(identity(r));
  }
}

}  // namespace

void separate_shared_labels(std::vector<CellRecord>& records) {
  // A new suite version (its grading changed) separates the method rows.
  separate(records, &CellRecord::method_label, [](const CellRecord& r) {
    return Identity{r.method, r.method_params, r.method_version, r.suite_version};
  });
  separate(records, &CellRecord::dataset_label,
           [](const CellRecord& r) { return Identity{r.dataset, r.dataset_params, "", ""}; });
}

std::map<std::string, std::string> short_labels(const std::vector<std::string>& labels) {
  const std::set<std::string> distinct(labels.begin(), labels.end());
  std::map<std::string, std::vector<ParsedLabel>> by_name;
  std::map<std::string, ParsedLabel> parsed;
  for (const auto& label : distinct) {
    parsed[label] = parse(label);
    by_name[parsed[label].name].push_back(parsed[label]);
  }
  // Per name, the parameters with one value in every label of the name.
  std::map<std::string, std::map<std::string, std::string>> constant;
  for (const auto& [name, group] : by_name) {
    std::map<std::string, std::set<std::string>> values;
    std::map<std::string, std::size_t> count;
    for (const auto& p : group)
      for (const auto& [k, v] : p.params) values[k].insert(v), ++count[k];
    for (const auto& [k, vs] : values)
      if (vs.size() == 1 && count[k] == group.size()) constant[name][k] = *vs.begin();
  }
  std::map<std::string, std::string> out;
  for (const auto& [label, p] : parsed) {
    std::string params;
    for (const auto& [k, v] : p.params) {
      const auto& fixed = constant[p.name];
      if (fixed.count(k) > 0) continue;
      params += (params.empty() ? "" : ",") + k + "=" + v;
    }
    out[label] = params.empty() ? p.name : p.name + "[" + params + "]";
  }
  return out;
}

void shorten_labels(std::vector<CellRecord>& records) {
  // Per suite: a name may mean different things in two suites.
  std::map<std::string, std::pair<std::vector<std::string>, std::vector<std::string>>> labels;
  for (const auto& r : records) {
    labels[r.suite].first.push_back(r.dataset_label);
    labels[r.suite].second.push_back(r.method_label);
  }
  std::map<std::string, std::pair<std::map<std::string, std::string>, std::map<std::string, std::string>>> shorter;
  for (const auto& [suite, l] : labels) shorter[suite] = {short_labels(l.first), short_labels(l.second)};
  for (auto& r : records) {
    const auto& s = shorter.at(r.suite);
    r.dataset_label = s.first.at(r.dataset_label);
    r.method_label = s.second.at(r.method_label);
  }
}

}  // namespace sb
