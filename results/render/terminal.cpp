// Terminal renderer: aligned columns, labels left, numbers right.
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "results/render/table.h"
#include "results/render/text_width.h"

namespace sb {
namespace {

std::string one_line(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

std::string pad(const std::string& s, std::size_t width, bool right) {
  const std::string fill(width - std::min(width, display_width(s)), ' ');
  return right ? fill + s : s + fill;
}

}  // namespace

std::size_t terminal_table_width(const Table& table) {
  const std::size_t ncol = table.columns.size();
  std::size_t total = ncol > 0 ? 2 * (ncol - 1) : 0;
  for (std::size_t c = 0; c < ncol; ++c) {
    std::size_t w = display_width(plain_header(table.columns[c]));
    for (const auto& row : table.rows)
      if (c < row.size()) w = std::max(w, display_width(one_line(plain_cell_text(row[c], table.digits))));
    total += w;
  }
  return total;
}

std::string render_terminal(const Table& table, bool ansi) {
  const std::size_t ncol = table.columns.size();
  std::vector<std::string> header(ncol);
  std::vector<std::size_t> width(ncol, 0);
  std::vector<bool> right(ncol, false);
  for (std::size_t c = 0; c < ncol; ++c) {
    header[c] = plain_header(table.columns[c]);
    width[c] = display_width(header[c]);
  }
  std::vector<std::vector<std::string>> text(table.rows.size(), std::vector<std::string>(ncol));
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    for (std::size_t c = 0; c < ncol && c < table.rows[r].size(); ++c) {
      text[r][c] = one_line(plain_cell_text(table.rows[r][c], table.digits));
      width[c] = std::max(width[c], display_width(text[r][c]));
      if (table.rows[r][c].numeric) right[c] = true;
    }
  }
  std::string out;
  if (!table.title.empty()) out += table.title + "\n";
  auto line = [&](const std::vector<std::string>& cells, const std::vector<TableCell>* source) {
    std::string s;
    for (std::size_t c = 0; c < ncol; ++c) {
      if (c > 0) s += "  ";
      std::string cell = pad(cells[c], width[c], right[c]);
      const Mark mark = source != nullptr && c < source->size() ? (*source)[c].mark : Mark::kNone;
      if (ansi && mark == Mark::kBest) cell = "\x1b[1m" + cell + "\x1b[0m";
      if (ansi && mark == Mark::kSecond) cell = "\x1b[4m" + cell + "\x1b[0m";
      s += cell;
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s + "\n";
  };
  out += line(header, nullptr);
  std::string rule;
  for (std::size_t c = 0; c < ncol; ++c) rule += (c > 0 ? "  " : "") + std::string(width[c], '-');
  out += rule + "\n";
  for (std::size_t r = 0; r < table.rows.size(); ++r) out += line(text[r], &table.rows[r]);
  for (const auto& note : table.notes) out += "* " + note + "\n";
  return out;
}

}  // namespace sb
