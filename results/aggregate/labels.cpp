#include "results/aggregate/labels.h"

#include <cctype>
#include <set>
#include <utility>

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

}  // namespace

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
