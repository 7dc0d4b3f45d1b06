// LaTeX renderer: booktabs tabular, `$0.912 \pm 0.004$`, best in bold,
// second underlined; the title and notes become comments around it.
#include <fmt/format.h>

#include <cmath>
#include <string>

#include "results/render/table.h"

namespace sb {
namespace {

std::string escape_latex_char(char c) {
  switch (c) {
    case '&': case '%': case '$': case '#': case '_': case '{': case '}': return std::string("\\") + c;
    case '~': return "\\textasciitilde{}";
    case '^': return "\\textasciicircum{}";
    case '\\': return "\\textbackslash{}";
    case '|': return "\\textbar{}";
    case '<': return "\\textless{}";
    case '>': return "\\textgreater{}";
    case '\n': case '\r': return " ";
    default: return std::string(1, c);
  }
}

// With `math`, a $...$ span (a closed pair) is copied as is: the author's
// LaTeX math ("$\\rho$"); an unpaired $ is escaped.
std::string escape_latex(const std::string& s, bool math = false) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (math && s[i] == '$') {
      const auto close = s.find('$', i + 1);
      if (close != std::string::npos) {
        out += s.substr(i, close - i + 1);
        i = close;
        continue;
      }
    }
    out += escape_latex_char(s[i]);
  }
  return out;
}

std::string math_number(double v, int digits) {
  if (std::isnan(v)) return "--";
  return format_fixed(v, digits);
}

std::string latex_cell(const TableCell& cell, int table_digits, bool math) {
  if (!cell.numeric) return escape_latex(cell.text, math);
  if (std::isnan(cell.value)) return "--";
  const int d = cell_digits(cell, table_digits);
  std::string body = math_number(cell.value, d);
  if (std::isfinite(cell.ci_half_width)) body += " \\pm " + math_number(cell.ci_half_width, d);
  if (!std::isnan(cell.low) && !std::isnan(cell.high)) {
    body += fmt::format("\\ [{}, {}]", math_number(cell.low, d), math_number(cell.high, d));
  }
  if (cell.mark == Mark::kBest) body = "\\mathbf{" + body + "}";
  if (cell.mark == Mark::kSecond) body = "\\underline{" + body + "}";
  return "$" + body + "$";
}

std::string latex_header(const TableColumn& column, bool math) {
  std::string s = escape_latex(column.name, math);
  if (column.direction == MetricDirection::kHigherIsBetter) s += " $\\uparrow$";
  if (column.direction == MetricDirection::kLowerIsBetter) s += " $\\downarrow$";
  return s;
}

}  // namespace

std::string render_latex(const Table& table) {
  std::string out;
  if (!table.title.empty()) out += "% " + table.title + "\n";
  out += "% requires \\usepackage{booktabs}\n";
  std::string spec;
  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    bool numeric = false;
    for (const auto& row : table.rows) numeric = numeric || (c < row.size() && row[c].numeric);
    spec += numeric ? 'r' : 'l';
  }
  out += "\\begin{tabular}{" + spec + "}\n\\toprule\n";
  std::string header;
  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    header += (c > 0 ? " & " : "") + latex_header(table.columns[c], table.latex_math);
  }
  out += header + " \\\\\n\\midrule\n";
  for (const auto& row : table.rows) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      line += (c > 0 ? " & " : "") + latex_cell(row[c], table.digits, table.latex_math);
    }
    out += line + " \\\\\n";
  }
  out += "\\bottomrule\n\\end{tabular}\n";
  for (const auto& note : table.notes) out += "% " + note + "\n";
  return out;
}

}  // namespace sb
