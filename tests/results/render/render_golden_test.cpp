// Golden-file tests: each renderer on fixed tables, compared byte for byte
// with tests/results/render/golden/. To regenerate after an intended change:
//   SB_UPDATE_GOLDEN=1 build/<dir>/tests/test_results --gtest_filter='RenderGolden.*'
// and review the diff before committing.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "harness/core/errors.h"
#include "results/render/html_report.h"
#include "results/render/table.h"
#include "tests/results/fixtures.h"

namespace sb {
namespace {

std::string golden_path(const std::string& name) {
  return std::string(SB_SOURCE_DIR) + "/tests/results/render/golden/" + name;
}

void expect_golden(const std::string& name, const std::string& actual) {
  const std::string path = golden_path(name);
  if (std::getenv("SB_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << actual;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in.good()) << "missing golden file " << path;
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(actual, expected.str()) << "renderer output differs from " << path;
}

Table toy_leaderboard_table() {
  return leaderboard_table(build_leaderboard(testing::toy_records(), testing::toy_infos()), 3);
}

// Labels that need quoting/escaping, an asymmetric interval, NaN, negative
// values and a per-cell digit override.
Table tricky_table() {
  Table t;
  t.title = "Tricky: 50% & \"quotes\"";
  t.digits = 2;
  t.columns = {{"name"}, {"score_1", MetricDirection::kHigherIsBetter}, {"coverage"}, {"count"}};
  t.rows.push_back({TableCell::label("a,b|c"), TableCell::number(0.91234, 0.0041, Mark::kBest),
                    TableCell::interval(0.95, 0.9, 0.975), TableCell::count(12)});
  t.rows.push_back({TableCell::label("say \"hi\"_#"), TableCell::number(-0.0004, std::nan(""), Mark::kSecond),
                    TableCell::interval(std::nan(""), std::nan(""), std::nan("")), TableCell::count(0)});
  t.rows.push_back({TableCell::label("line\nbreak"), TableCell::number(std::nan("")),
                    TableCell::number(1.0 / 3.0, std::nan(""), Mark::kNone, 4), TableCell::count(3)});
  t.notes = {"a note with | pipe"};
  return t;
}

TEST(RenderGolden, Terminal) {
  expect_golden("leaderboard.txt", render_terminal(toy_leaderboard_table(), false));
  expect_golden("leaderboard.ansi.txt", render_terminal(toy_leaderboard_table(), true));
  expect_golden("tricky.txt", render_terminal(tricky_table(), false));
}

TEST(RenderGolden, Markdown) {
  expect_golden("leaderboard.md", render_markdown(toy_leaderboard_table()));
  expect_golden("tricky.md", render_markdown(tricky_table()));
}

TEST(RenderGolden, Latex) {
  expect_golden("leaderboard.tex", render_latex(toy_leaderboard_table()));
  expect_golden("tricky.tex", render_latex(tricky_table()));
}

TEST(RenderGolden, Csv) {
  expect_golden("leaderboard.csv", render_csv(toy_leaderboard_table()));
  expect_golden("tricky.csv", render_csv(tricky_table()));
}

TEST(RenderGolden, Json) {
  expect_golden("leaderboard.json", render_json(toy_leaderboard_table()));
  expect_golden("tricky.json", render_json(tricky_table()));
}

TEST(Render, AnsiOnlyWhenAsked) {
  EXPECT_EQ(render_terminal(toy_leaderboard_table(), false).find('\x1b'), std::string::npos);
  EXPECT_NE(render_terminal(toy_leaderboard_table(), true).find("\x1b[1m"), std::string::npos);
}

TEST(Render, LatexBestBoldSecondUnderlinedWithPlusMinus) {
  const std::string tex = render_latex(tricky_table());
  EXPECT_NE(tex.find("$\\mathbf{0.91 \\pm 0.00}$"), std::string::npos) << tex;
  EXPECT_NE(tex.find("$\\underline{0.00}$"), std::string::npos) << tex;  // -0.0004 -> 0.00
  EXPECT_NE(tex.find("\\toprule"), std::string::npos);
  EXPECT_NE(tex.find("say \"hi\"\\_\\#"), std::string::npos) << tex;
}

TEST(Render, CsvQuotesPerRfc4180) {
  const std::string csv = render_csv(tricky_table());
  EXPECT_NE(csv.find("\"a,b|c\""), std::string::npos);
  EXPECT_NE(csv.find("\"say \"\"hi\"\"_#\""), std::string::npos);
  EXPECT_NE(csv.find("\"line\nbreak\""), std::string::npos);
  EXPECT_NE(csv.find("\r\n"), std::string::npos);
}

TEST(Render, FormatsByNameAndDeterminism) {
  EXPECT_EQ(parse_table_format("md"), TableFormat::kMarkdown);
  EXPECT_EQ(parse_table_format("latex"), TableFormat::kLatex);
  EXPECT_EQ(parse_table_format("term"), TableFormat::kTerminal);  // the name --help gives
  EXPECT_THROW(parse_table_format("xlsx"), InputError);
  try {
    parse_table_format("mdd");
    ADD_FAILURE() << "'mdd' was accepted";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "unknown table format 'mdd', did you mean 'md'? (valid: term, md, latex, csv, json, html)");
  }
  const Table t = toy_leaderboard_table();
  for (auto f : {TableFormat::kTerminal, TableFormat::kMarkdown, TableFormat::kLatex,
                 TableFormat::kCsv, TableFormat::kJson}) {
    EXPECT_EQ(render_table(t, f), render_table(toy_leaderboard_table(), f));
  }
  EXPECT_EQ(format_fixed(-0.0004, 3), "0.000");
  EXPECT_EQ(format_fixed(-0.0006, 3), "-0.001");
  EXPECT_EQ(format_fixed(std::nan(""), 3), "n/a");
}

// `shardbench compare`: two arms, one improved (6 pairs, significant), one
// unchanged with a seed missing on one side, plus an arm on one side only.
TEST(RenderGolden, Comparison) {
  std::vector<CellRecord> a, b;
  for (int s = 0; s < 6; ++s) {
    a.push_back(testing::make_cell("toy", "d1[n=5]", "fast[k=1]", s, {{"acc", 0.5 + 0.01 * s}}));
    b.push_back(testing::make_cell("toy", "d1[n=5]", "fast[k=1]", s, {{"acc", 0.6 + 0.01 * s + 0.001 * s * s}}));
    a.push_back(testing::make_cell("toy", "d1[n=5]", "slow[k=1]", s, {{"acc", 0.7 - 0.02 * (s % 2)}}));
    if (s > 0) b.push_back(testing::make_cell("toy", "d1[n=5]", "slow[k=1]", s, {{"acc", 0.7 - 0.02 * (s % 3 == 0)}}));
  }
  a.push_back(testing::make_cell("toy", "d2[n=5]", "fast[k=1]", 0, {{"acc", 1}}));
  Comparison c = compare_results(a, b, {{"toy", testing::toy_infos()}});
  shorten_labels(c);
  const auto tables = comparison_tables(c, "run 1", "run 2", 3);
  ASSERT_EQ(tables.size(), 1u);
  expect_golden("compare.txt", render_terminal(tables[0], false));
  expect_golden("compare.csv", render_csv(tables[0]));
}

// Widest line of a terminal table, title and notes aside (header and rows).
std::size_t widest_table_line(const std::string& text, const Table& table) {
  std::size_t widest = 0, line_no = 0, start = 0;
  const std::size_t first = table.title.empty() ? 0 : 1, rows = table.rows.size() + 2;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n') continue;
    const std::string line = text.substr(start, i - start);
    if (line_no >= first && line_no < first + rows) {
      std::size_t w = 0;
      for (unsigned char c : line) w += (c & 0xC0) != 0x80;
      widest = std::max(widest, w);
    }
    ++line_no;
    start = i + 1;
  }
  return widest;
}

TEST(RenderGolden, ColumnsChosenAndFitted) {
  Table chosen = toy_leaderboard_table();
  select_columns(chosen, {"acc*", "rank"});
  expect_golden("leaderboard.columns.txt", render_terminal(chosen, false));
  Table bad = toy_leaderboard_table();
  EXPECT_THROW(select_columns(bad, {"nope"}), InputError);

  // 60 columns: metric columns go from the right, the labels stay.
  Table narrow = toy_leaderboard_table();
  fit_to_width(narrow, 60);
  const std::string text = render_terminal(narrow, false);
  EXPECT_LE(widest_table_line(text, narrow), 60u);
  EXPECT_GE(narrow.columns.size(), 3u);
  expect_golden("leaderboard.fit60.txt", text);

  // 200-character labels are shortened with an ellipsis to fit.
  Table long_labels;
  long_labels.title = "long";
  long_labels.columns = {{"method"}, {"score", MetricDirection::kHigherIsBetter}};
  for (int i = 0; i < 2; ++i)
    long_labels.rows.push_back({TableCell::label(std::string(200, 'a' + i) + "[k=" + std::to_string(i) + "]"),
                                TableCell::number(0.5 + i)});
  fit_to_width(long_labels, 40);
  const std::string long_text = render_terminal(long_labels, false);
  EXPECT_LE(widest_table_line(long_text, long_labels), 40u);
  expect_golden("long_labels.fit40.txt", long_text);
}

TEST(RenderGolden, LongLabelsGiveWayBeforeNumbersAndStayDistinct) {
  // 60-column labels and three numbers at 70 columns: the labels are cut
  // (middle ellipsis, to no less than 32 first) and every number is kept.
  auto table = [](const std::string& before, const std::string& after) {
    Table t;
    t.title = "t";
    t.columns = {{"dataset"}, {"a", MetricDirection::kLowerIsBetter}, {"b", MetricDirection::kLowerIsBetter},
                 {"c", MetricDirection::kLowerIsBetter}};
    for (const char* varying : {"n=100", "n=200"})
      t.rows.push_back({TableCell::label("scenario[" + before + varying + after + "]"), TableCell::number(1),
                        TableCell::number(2), TableCell::number(3)});
    return t;
  };
  Table t = table(std::string(45, 'x'), "");
  fit_to_width(t, 70);
  EXPECT_EQ(t.columns.size(), 4u) << "a number was dropped while labels could give way";
  EXPECT_LE(widest_table_line(render_terminal(t, false), t), 70u);
  EXPECT_NE(t.rows[0][0].text, t.rows[1][0].text);
  // Labels that differ only in their middle are never cut into the same text.
  Table middle = table(std::string(20, 'x'), std::string(25, 'y'));
  fit_to_width(middle, 20);
  EXPECT_NE(middle.rows[0][0].text, middle.rows[1][0].text) << middle.rows[0][0].text;
}

TEST(RenderGolden, MeanRanksOverDifferentDatasetsAreFlagged) {
  Leaderboard board;
  board.mean_ranks = {{"a", 1.0, 2}, {"b", 2.0, 1}};
  Table t;
  add_rank_test_notes(board, t);
  ASSERT_FALSE(t.notes.empty());
  EXPECT_EQ(t.notes[0], "methods were ranked over different datasets (1 to 2): their mean ranks do not compare; "
                        "--dataset, --config or --run select one study");
  board.mean_ranks[1].n_datasets = 2;
  Table same;
  add_rank_test_notes(board, same);
  for (const auto& note : same.notes) EXPECT_EQ(note.find("different datasets"), std::string::npos) << note;
}

TEST(RenderGolden, HtmlTableAndFiguresOfTheReport) {
  // The report's pieces, byte for byte: the HTML table, the critical
  // difference diagram and a box plot of the toy study.
  expect_golden("leaderboard.html", render_html_table(toy_leaderboard_table()));
  const Leaderboard board = build_leaderboard(testing::toy_records(), testing::toy_infos());
  const std::string cd = render_cd_diagram_svg(board);
  ASSERT_FALSE(cd.empty()) << "the toy study has no Friedman result";
  expect_golden("cd_diagram.svg", cd);
  expect_golden("box_plot.svg", render_box_plot_svg("toy: acc", {"knn[k=5]", "msp", "a label of sixty characters, long enough to be clipped ....."},
                                                    {{0.9, 0.8, 0.85, 0.4}, {0.7, 0.75}, {0.5}}));
}

TEST(RenderGolden, NaOnlyColumnsAreDropped) {
  Table t;
  t.title = "sparse";
  t.columns = {{"method"}, {"auroc", MetricDirection::kHigherIsBetter}, {"fpr95", MetricDirection::kLowerIsBetter},
               {"near"}};
  t.rows.push_back({TableCell::label("msp"), TableCell::number(0.9, 0.01), TableCell::number(NAN), TableCell::number(NAN)});
  t.rows.push_back({TableCell::label("knn"), TableCell::number(0.8), TableCell::number(0.3), TableCell::number(NAN)});
  drop_empty_columns(t);
  ASSERT_EQ(t.columns.size(), 3u);
  expect_golden("na_columns.txt", render_terminal(t, false));
}

}  // namespace
}  // namespace sb
