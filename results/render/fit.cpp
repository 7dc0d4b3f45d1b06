// Choosing and fitting a table's columns for people reading a terminal:
// n/a-only columns dropped, `--columns`, and the terminal's width.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <fnmatch.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "harness/core/errors.h"
#include "results/render/table.h"
#include "results/render/text_width.h"

namespace sb {

namespace {

// Columns [0, n) whose every cell is a label (dataset, method, metric).
std::size_t leading_label_columns(const Table& table) {
  std::size_t n = 0;
  while (n < table.columns.size() &&
         std::all_of(table.rows.begin(), table.rows.end(),
                     [&](const std::vector<TableCell>& row) { return n < row.size() && !row[n].numeric; }))
    ++n;
  return table.rows.empty() ? 0 : n;
}

void keep_columns(Table& table, const std::vector<bool>& keep) {
  std::vector<TableColumn> columns;
  for (std::size_t c = 0; c < table.columns.size(); ++c)
    if (keep[c]) columns.push_back(std::move(table.columns[c]));
  for (auto& row : table.rows) {
    std::vector<TableCell> cells;
    for (std::size_t c = 0; c < row.size() && c < keep.size(); ++c)
      if (keep[c]) cells.push_back(std::move(row[c]));
    row = std::move(cells);
  }
  table.columns = std::move(columns);
}

}  // namespace

void drop_empty_columns(Table& table) {
  if (table.rows.empty()) return;
  std::vector<bool> keep(table.columns.size(), true);
  std::vector<std::string> dropped;
  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    keep[c] = !std::all_of(table.rows.begin(), table.rows.end(), [&](const std::vector<TableCell>& row) {
      return c < row.size() && row[c].numeric && std::isnan(row[c].value);
    });
    if (!keep[c]) dropped.push_back(table.columns[c].name);
  }
  if (dropped.empty()) return;
  keep_columns(table, keep);
  table.notes.push_back(fmt::format("n/a in every row, not shown: {}", fmt::join(dropped, ", ")));
}

void select_columns(Table& table, const std::vector<std::string>& patterns, bool require_match) {
  const std::size_t labels = leading_label_columns(table);
  std::vector<bool> keep(table.columns.size(), false);
  for (std::size_t c = 0; c < labels; ++c) keep[c] = true;
  for (const auto& pattern : patterns) {
    bool matched = false;
    for (std::size_t c = labels; c < table.columns.size(); ++c) {
      if (table.columns[c].name == pattern || fnmatch(pattern.c_str(), table.columns[c].name.c_str(), 0) == 0) {
        keep[c] = matched = true;
      }
    }
    if (!matched && require_match) {
      std::vector<std::string> names;
      for (std::size_t c = labels; c < table.columns.size(); ++c) names.push_back(table.columns[c].name);
      throw InputError("--columns: '{}' matches no column of '{}' (its columns: {})", pattern, table.title,
                       fmt::join(names, ", "));
    }
  }
  keep_columns(table, keep);
}

namespace {

// Shortens the longest labels of the widest label column, column by column,
// until the table fits `width` or no label column is wider than `floor`.
void shorten_labels_to_fit(Table& table, std::size_t labels, std::size_t width, std::size_t floor) {
  while (terminal_table_width(table) > width) {
    std::size_t widest = labels, widest_width = 0;
    for (std::size_t c = 0; c < labels; ++c) {
      std::size_t w = 0;
      for (const auto& row : table.rows) w = std::max(w, display_width(row[c].text));
      if (w > widest_width) widest = c, widest_width = w;
    }
    if (widest == labels || widest_width <= floor) return;
    const std::size_t excess = terminal_table_width(table) - width;
    const std::size_t target = std::max(floor, widest_width > excess ? widest_width - excess : 0);
    // Distinct labels must stay distinct (rows that read the same would be
    // worse than a table wider than the terminal): the shortest width from
    // `target` up that keeps them apart.
    std::set<std::string> before;
    for (const auto& row : table.rows) before.insert(row[widest].text);
    bool shortened_any = false;
    for (std::size_t t = target; t < widest_width && !shortened_any; ++t) {
      std::set<std::string> after;
      std::vector<std::string> shortened;
      for (const auto& row : table.rows) {
        shortened.push_back(display_width(row[widest].text) > t ? shorten_label(row[widest].text, t) : row[widest].text);
        after.insert(shortened.back());
      }
      if (after.size() < before.size()) continue;
      for (std::size_t r = 0; r < table.rows.size(); ++r) table.rows[r][widest].text = std::move(shortened[r]);
      shortened_any = true;
    }
    if (!shortened_any) return;
  }
}

}  // namespace

void fit_to_width(Table& table, std::size_t width) {
  if (width == 0 || terminal_table_width(table) <= width) return;
  const std::size_t labels = leading_label_columns(table);
  // Long labels give way first, down to a width still easy to read, so that
  // numbers are not dropped to show parameters in full (--full-labels and
  // --format csv keep them whole).
  constexpr std::size_t kReadable = 32, kShortest = 16;
  shorten_labels_to_fit(table, labels, width, kReadable);
  std::vector<std::string> dropped;
  while (table.columns.size() > labels + 1 && terminal_table_width(table) > width) {
    dropped.push_back(table.columns.back().name);
    table.columns.pop_back();
    for (auto& row : table.rows)
      if (row.size() > table.columns.size()) row.pop_back();
  }
  if (!dropped.empty()) {
    std::reverse(dropped.begin(), dropped.end());
    table.notes.push_back(fmt::format("not shown in {} terminal columns: {} (--columns chooses; --format csv has all)",
                                      width, fmt::join(dropped, ", ")));
  }
  shorten_labels_to_fit(table, labels, width, kShortest);  // still too wide
}

}  // namespace sb
