// How many terminal columns UTF-8 text takes, for aligned tables: a small,
// locale-independent wcwidth. Labels come from users' configs and papers
// ("X̄" is X and a combining macron: one column, two code points).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sb {

// One code point of UTF-8 text: where it is and the columns it takes (0 for
// combining marks and zero-width characters, 2 for East Asian wide and
// fullwidth characters and emoji, else 1). A byte that does not start a
// valid sequence is a glyph of its own, one column wide.
struct Glyph {
  std::size_t offset = 0, size = 0, columns = 0;
};
std::vector<Glyph> glyphs(std::string_view text);

// The sum of the glyphs' columns.
std::size_t display_width(std::string_view text);

// `label` cut to at most `max` columns (>= 3) with "…" in the middle, so
// that labels differing only at the end (their parameters) stay apart; a
// combining mark stays with its base. A label that fits is returned as is.
std::string shorten_label(const std::string& label, std::size_t max);

}  // namespace sb
