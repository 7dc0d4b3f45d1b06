#include "harness/run/output_checks.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "harness/core/errors.h"

namespace sb {
namespace {

const std::vector<MetricInfo> kDeclared = {
    {"auroc", true, ""}, {"estimate", false, "", /*may_be_nonfinite=*/true}, {"width/x", false, "", true}};

std::string message_of(const CellOutput& out, const OutputLimits& limits = {}) {
  try {
    check_cell_output(out, kDeclared, limits);
  } catch (const MethodError& e) {
    return e.what();
  }
  return "";
}

CellOutput with_metrics(std::vector<std::pair<std::string, double>> metrics) {
  CellOutput out;
  out.metrics = std::move(metrics);
  return out;
}

TEST(OutputChecks, NamesAlphabetAndLength) {
  EXPECT_TRUE(is_valid_output_name("auroc/near-set_1.5:a+b@c=d"));
  EXPECT_FALSE(is_valid_output_name(""));
  EXPECT_FALSE(is_valid_output_name("a b"));
  EXPECT_FALSE(is_valid_output_name("a'b"));
  EXPECT_FALSE(is_valid_output_name("caf\xc3\xa9"));
  EXPECT_TRUE(is_valid_output_name(std::string(200, 'a')));
  EXPECT_FALSE(is_valid_output_name(std::string(201, 'a')));
  EXPECT_NE(message_of(with_metrics({{"a;drop", 1}})).find("'a;drop' is not allowed"), std::string::npos);
  // A huge name is cut in the message.
  const std::string msg = message_of(with_metrics({{std::string(100000, 'x'), 1}}));
  EXPECT_NE(msg.find("(100000 characters)"), std::string::npos);
  EXPECT_LT(msg.size(), 400u);
}

TEST(OutputChecks, DuplicateMetricFailsTheCellNamingIt) {
  // The OOD collision of the hardening issue: a set named "far" gave
  // "auroc/far" twice, which SQLite refused mid-run.
  const auto msg = message_of(with_metrics({{"auroc/far", 0.5}, {"auroc", 0.7}, {"auroc/far", 0.6}}));
  EXPECT_NE(msg.find("metric 'auroc/far' is reported twice"), std::string::npos) << msg;
  EXPECT_EQ(message_of(with_metrics({{"auroc/far", 0.5}, {"auroc", 0.7}})), "");
}

TEST(OutputChecks, NonFiniteOnlyWhereDeclared) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_NE(message_of(with_metrics({{"auroc", nan}})).find("metric 'auroc' is non-finite (nan)"),
            std::string::npos);
  EXPECT_NE(message_of(with_metrics({{"auroc/near", -inf}})).find("'auroc/near' is non-finite (-inf)"),
            std::string::npos);
  EXPECT_NE(message_of(with_metrics({{"undeclared", inf}})).find("non-finite"), std::string::npos);
  // Declared as possibly non-finite: by name, by head, by exact sub-name.
  EXPECT_EQ(message_of(with_metrics({{"estimate", nan}})), "");
  EXPECT_EQ(message_of(with_metrics({{"estimate/b", inf}})), "");
  EXPECT_EQ(message_of(with_metrics({{"width/x", inf}})), "");
  EXPECT_NE(message_of(with_metrics({{"width", inf}})).find("non-finite"), std::string::npos);
}

TEST(OutputChecks, ArtifactsNamesDuplicatesAndSize) {
  CellOutput out;
  out.artifacts.push_back({"scores/id", std::vector<double>(10, 1.0)});
  out.artifacts.push_back({"scores/id", {}});
  EXPECT_NE(message_of(out).find("artifact 'scores/id' is reported twice"), std::string::npos);
  out.artifacts[1].name = "bad name";
  EXPECT_NE(message_of(out).find("artifact name 'bad name' is not allowed"), std::string::npos);
  out.artifacts[1] = {"scores/ood", std::vector<double>(10, 1.0)};
  EXPECT_EQ(message_of(out), "");
  OutputLimits small;
  small.max_artifact_values = 15;
  EXPECT_NE(message_of(out, small).find("exceed 15 values (at artifact 'scores/ood')"), std::string::npos);
  small.max_metrics = 0;
  EXPECT_NE(message_of(with_metrics({{"auroc", 1}}), small).find("1 metrics (limit 0)"), std::string::npos);
}

}  // namespace
}  // namespace sb
