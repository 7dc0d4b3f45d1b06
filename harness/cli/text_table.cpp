#include "harness/cli/text_table.h"

#include <algorithm>
#include <cstdlib>

#include "results/render/text_width.h"

namespace sb {

namespace {
bool looks_numeric(const std::string& s) {
  if (s.empty()) return false;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return *end == '\0';
}
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}
}  // namespace

std::string TextTable::aligned() const {
  std::vector<size_t> width(header_.size());
  for (size_t c = 0; c < header_.size(); ++c) width[c] = display_width(header_[c]);
  for (const auto& r : rows_)
    for (size_t c = 0; c < r.size() && c < width.size(); ++c) width[c] = std::max(width[c], display_width(r[c]));
  auto line = [&](const std::vector<std::string>& r, bool header) {
    std::string out;
    for (size_t c = 0; c < width.size(); ++c) {
      const std::string v = c < r.size() ? r[c] : "";
      std::string pad(width[c] - std::min(width[c], display_width(v)), ' ');
      out += (c ? "  " : "") + (!header && looks_numeric(v) ? pad + v : v + pad);
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(header_, true);
  std::string rule;
  for (size_t c = 0; c < width.size(); ++c) rule += (c ? "  " : "") + std::string(width[c], '-');
  out += rule + "\n";
  for (const auto& r : rows_) out += line(r, false);
  return out;
}

std::string TextTable::csv() const {
  auto line = [](const std::vector<std::string>& r) {
    std::string out;
    for (size_t c = 0; c < r.size(); ++c) {
      if (c) out += ',';
      out += csv_field(r[c]);
    }
    return out + "\r\n";
  };
  std::string out = line(header_);
  for (const auto& r : rows_) out += line(r);
  return out;
}

}  // namespace sb
