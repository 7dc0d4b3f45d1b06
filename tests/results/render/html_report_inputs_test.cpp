// The HTML report's runs section lists each run's content-hashed inputs
// (run_inputs, docs/EXTERNAL.md), folded under the run; a run without any
// gets no entry.
#include <gtest/gtest.h>

#include "results/render/html_report.h"

namespace sb {
namespace {

TEST(HtmlReportInputs, ListsEachRunsInputsWithHashAndSize) {
  RunInfo with, without;
  with.run_id = 1;
  with.inputs = {{1, "/data/<features>", "0123456789abcdef0123456789abcdef", 5600}};
  without.run_id = 2;
  const std::string html = render_html_report({with, without}, {}, {});
  EXPECT_NE(html.find("<summary>Inputs of run 1</summary>"), std::string::npos);
  EXPECT_EQ(html.find("Inputs of run 2"), std::string::npos);
  EXPECT_NE(html.find("0123456789abcdef0123456789abcdef          5600 bytes  /data/&lt;features&gt;"),
            std::string::npos)
      << html;
}

}  // namespace
}  // namespace sb
