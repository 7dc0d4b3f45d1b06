#include "results/render/text_width.h"

#include <algorithm>
#include <cstdint>
#include <iterator>

namespace sb {
namespace {

struct Range {
  std::uint32_t first, last;
};

bool in(const Range* ranges, std::size_t n, std::uint32_t cp) {
  return std::any_of(ranges, ranges + n, [cp](const Range& r) { return cp >= r.first && cp <= r.last; });
}

// Combining marks (the blocks of combining diacritics, Hebrew and Arabic
// points), zero-width spaces and joiners, variation selectors.
constexpr Range kZeroWidth[] = {{0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A},
                                {0x064B, 0x065F}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F},
                                {0x2060, 0x2064}, {0x20D0, 0x20FF}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}};
// East Asian wide and fullwidth characters, emoji.
constexpr Range kWide[] = {{0x1100, 0x115F},   {0x2E80, 0x303E},  {0x3041, 0x33FF}, {0x3400, 0x4DBF},
                           {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},  {0xAC00, 0xD7A3}, {0xF900, 0xFAFF},
                           {0xFE30, 0xFE4F},   {0xFF00, 0xFF60},  {0xFFE0, 0xFFE6}, {0x1F300, 0x1F64F},
                           {0x1F900, 0x1F9FF}, {0x20000, 0x3FFFD}};

std::size_t columns_of(std::uint32_t cp) {
  if (in(kZeroWidth, std::size(kZeroWidth), cp)) return 0;
  if (in(kWide, std::size(kWide), cp)) return 2;
  return 1;
}

// The glyph of `text` that starts at byte `i`.
Glyph glyph_at(std::string_view text, std::size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  const std::size_t size = lead < 0x80           ? 1
                           : (lead >> 5) == 0x6  ? 2
                           : (lead >> 4) == 0xE  ? 3
                           : (lead >> 3) == 0x1E ? 4
                                                 : 0;
  bool valid = size > 0 && i + size <= text.size();
  std::uint32_t cp = size == 1 ? lead : size == 2 ? lead & 0x1F : size == 3 ? lead & 0x0F : lead & 0x07;
  for (std::size_t k = 1; valid && k < size; ++k) {
    const auto next = static_cast<unsigned char>(text[i + k]);
    valid = (next & 0xC0) == 0x80;
    cp = (cp << 6) | (next & 0x3F);
  }
  return valid ? Glyph{i, size, columns_of(cp)} : Glyph{i, 1, 1};
}

}  // namespace

std::vector<Glyph> glyphs(std::string_view text) {
  std::vector<Glyph> out;
  for (std::size_t i = 0; i < text.size(); i += out.back().size) out.push_back(glyph_at(text, i));
  return out;
}

// Called for every cell of every table rendered: no allocation.
std::size_t display_width(std::string_view text) {
  std::size_t w = 0;
  for (std::size_t i = 0; i < text.size();) {
    const Glyph g = glyph_at(text, i);
    w += g.columns;
    i += g.size;
  }
  return w;
}

std::string shorten_label(const std::string& label, std::size_t max) {
  if (display_width(label) <= max) return label;
  const std::size_t columns = std::max<std::size_t>(max, 3);
  const std::vector<Glyph> g = glyphs(label);
  const std::size_t tail_columns = (columns - 1) / 2, head_columns = columns - 1 - tail_columns;
  std::size_t head = 0, used = 0;  // glyphs [0, head) kept
  while (head < g.size() && used + g[head].columns <= head_columns) used += g[head++].columns;
  std::size_t tail = g.size();  // glyphs [tail, end) kept
  used = 0;
  while (tail > head && used + g[tail - 1].columns <= tail_columns) used += g[--tail].columns;
  while (tail < g.size() && g[tail].columns == 0) ++tail;  // a mark whose base was cut goes too
  const std::size_t head_bytes = head < g.size() ? g[head].offset : label.size();
  const std::size_t tail_bytes = tail < g.size() ? g[tail].offset : label.size();
  return label.substr(0, head_bytes) + "…" + label.substr(tail_bytes);
}

}  // namespace sb
