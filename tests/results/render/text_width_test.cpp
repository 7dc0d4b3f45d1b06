#include "results/render/text_width.h"

#include <gtest/gtest.h>

#include <sstream>

#include "results/render/table.h"

namespace sb {
namespace {

TEST(TextWidth, ColumnsOfHandPickedText) {
  EXPECT_EQ(display_width(""), 0u);
  EXPECT_EQ(display_width("ridge"), 5u);
  EXPECT_EQ(display_width("0.5 ± 0.1"), 9u);  // ± is one column, two bytes
  EXPECT_EQ(display_width("RMSE ↓"), 6u);     // an arrow: three bytes
  EXPECT_EQ(display_width("X\xCC\x84"), 1u);  // X + U+0304 combining macron (Boos & Stefanski's X-bar)
  EXPECT_EQ(display_width("X\xCC\x84.20"), 4u);
  EXPECT_EQ(display_width("平均"), 4u);                     // CJK: two columns each
  EXPECT_EQ(display_width("a\u200Bb"), 2u);                 // zero-width space
  EXPECT_EQ(display_width(std::string("\xFF") + "a"), 2u);  // an invalid byte counts one column
  EXPECT_EQ(display_width("\xE2\x82"), 2u);                 // a truncated sequence: its bytes one column each
}

TEST(TextWidth, GlyphsGiveOffsetsSizesAndColumns) {
  const auto g = glyphs("X\u0304b");
  ASSERT_EQ(g.size(), 3u);
  EXPECT_EQ(g[0].offset, 0u);
  EXPECT_EQ(g[1].offset, 1u);
  EXPECT_EQ(g[1].size, 2u);
  EXPECT_EQ(g[1].columns, 0u);
  EXPECT_EQ(g[2].offset, 3u);
}

TEST(TextWidth, ShortenLabelCutsToColumnsAndKeepsMarksWithTheirBase) {
  EXPECT_EQ(shorten_label("abcdefghij", 10), "abcdefghij");  // fits: unchanged
  EXPECT_EQ(shorten_label("abcdefghij", 7), "abc…hij");
  EXPECT_EQ(shorten_label("abcdefghij", 6), "abc…ij");
  EXPECT_EQ(shorten_label("abcdefghij", 1), "a…j");  // at least 3 columns
  // A mark after the last base kept stays with it; a mark whose base is cut goes too.
  EXPECT_EQ(shorten_label("aX\u0304bcdefgh", 5), "aX\xCC\x84…gh");
  EXPECT_EQ(shorten_label("abcdef平\xCC\x84", 3), "a…");
  EXPECT_EQ(shorten_label("ab平均cdef", 5), "ab…ef");        // a wide glyph that does not fit is left out
  EXPECT_EQ(shorten_label("平均平均平均平均", 7), "平…均");  // never wider than asked (here 5 of 7)
}

// Boos & Stefanski's row labels (X-bar is X and a combining macron): the next
// column starts at the same terminal column on every line.
TEST(TextWidth, TerminalTablesAlignLabelsWithCombiningMarks) {
  Table t;
  t.columns = {{"method"}, {"value"}};
  t.rows = {{TableCell::label("X\xCC\x84"), TableCell::number(0.99)},
            {TableCell::label("X\xCC\x84.20"), TableCell::number(1.11)},
            {TableCell::label("Med"), TableCell::number(1.47)}};
  std::istringstream lines(render_terminal(t));
  std::string line;
  std::vector<std::size_t> value_ends;
  while (std::getline(lines, line)) value_ends.push_back(display_width(line));
  ASSERT_GE(value_ends.size(), 5u);  // header, rule, three rows
  for (std::size_t i = 2; i < 5; ++i) EXPECT_EQ(value_ends[i], value_ends[0]) << "line " << i;
  EXPECT_NE(render_terminal(t).find("X\xCC\x84       0.990"), std::string::npos) << render_terminal(t);
}

}  // namespace
}  // namespace sb
