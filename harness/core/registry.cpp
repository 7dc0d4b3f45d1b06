#include "harness/core/registry.h"

namespace sb {

namespace {
std::vector<std::string>& problems() {
  static std::vector<std::string> list;
  return list;
}
}  // namespace

const ComponentInfo* find_component(const std::vector<ComponentInfo>& infos, std::string_view name) {
  for (const auto& info : infos)
    if (info.name == name) return &info;
  return nullptr;
}

void report_registry_problem(std::string problem) { problems().push_back(std::move(problem)); }
const std::vector<std::string>& registry_problems() { return problems(); }

namespace detail {

void RegistrarBase::set_description(std::string text) { info_->description = std::move(text); }
void RegistrarBase::set_paper(std::string text) { info_->paper = std::move(text); }
void RegistrarBase::set_version(std::string v) {
  if (v.empty()) report_registry_problem("empty version for '" + info_->name + "'");
  info_->version = std::move(v);
}
void RegistrarBase::add_tag(std::string t) { info_->tags.push_back(std::move(t)); }

void RegistrarBase::set_inputs(std::string param,
                               std::function<std::vector<std::string>(const ParamSet&)> files) {
  info_->input_param = std::move(param);
  info_->input_files = std::move(files);
}

void RegistrarBase::add_spec(ParamSpec spec) {
  for (const auto& p : info_->params) {
    if (p.name == spec.name) {
      report_registry_problem("'" + info_->name + "' declares parameter '" + spec.name + "' twice");
    }
  }
  auto checked = check_param_value(spec, spec.default_value);
  if (!checked.value) {
    report_registry_problem("'" + info_->name + "': default of " + checked.error);
  }
  info_->params.push_back(std::move(spec));
}

std::string RegistrarBase::where() const { return info_->kind + " '" + info_->name + "'"; }

ParamValue checked_param(const ParamSpec& spec, const ParamSet& set, const std::string& where) {
  auto it = set.values().find(spec.name);
  if (it == set.values().end()) {
    throw InternalError("{}: parameter '{}' is not set", where, spec.name);
  }
  auto checked = check_param_value(spec, it->second);
  if (!checked.value) throw InputError("{}: {}", where, checked.error);
  return std::move(*checked.value);
}

}  // namespace detail
}  // namespace sb
