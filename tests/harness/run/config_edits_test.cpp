// Config conveniences (harness/run/config_edits.h) through make_plan on the
// selftest suite: `name = "*"` wildcards (tags, exclude, names given
// elsewhere), -s overrides (replace, add, every error case naming the
// option), and --method/--dataset globs.
#include <gtest/gtest.h>

#include <set>

#include "harness/core/errors.h"
#include "harness/run/config.h"
#include "harness/run/config_edits.h"
#include "harness/run/plan.h"

namespace sb {
namespace {

std::string config(const std::string& methods) {
  return "suite = \"selftest\"\nseeds = 1\n[[datasets]]\nname = \"empty\"\nsize = [1, 2]\n" + methods;
}

std::set<std::string> method_labels(const Plan& plan) {
  std::set<std::string> out;
  for (const auto& arm : plan.arms) out.insert(arm.method_label);
  return out;
}

std::string error_of(const std::string& text, const PlanOptions& options = {}) {
  try {
    make_plan(parse_config("exp.toml", text), options);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(Wildcard, ExpandsToTaggedMethodsMinusExcludedAndNamedOnes) {
  const Plan plan = make_plan(parse_config("exp.toml", config(R"([[methods]]
name = "*"
tags = ["fault"]
exclude = ["hang"]
[[methods]]
name = "throw"
every = 3
)")),
                              {});
  // throw is named by the config (with its own params), hang excluded: crash from the wildcard.
  EXPECT_EQ(method_labels(plan), (std::set<std::string>{"crash[every=1]", "throw[every=3]"}));
}

TEST(Wildcard, WithoutTagsIsEveryRegisteredMethod) {
  const Plan plan = make_plan(parse_config("exp.toml", config("[[methods]]\nname = \"*\"\n")), {});
  auto suite = make_suite("selftest");
  EXPECT_EQ(plan.arms.size(), 2 * suite->methods().size());
}

TEST(Wildcard, ErrorsNameTheLineAndWhatIsWrong) {
  EXPECT_EQ(error_of(config("[[methods]]\nname = \"*\"\ntags = [\"nope\"]\nexclude = [\"ghost\"]\n")),
            "invalid config:\n"
            "  exp.toml:6: methods '*': unknown tag 'nope' (tags of suite 'selftest': fault)\n"
            "  exp.toml:6: methods '*': exclude names 'ghost', not a method of suite 'selftest'");
  EXPECT_EQ(error_of(config("[[methods]]\nname = \"*\"\nevery = 2\ntags = \"fault\"\n")),
            "invalid config:\n"
            "  exp.toml:8: methods[0] '*': unknown key 'every' (name = \"*\" takes only 'tags' and 'exclude'; give "
            "parameters in a method's own [[methods]] table)\n"
            "  exp.toml:9: methods[0] '*': 'tags' must be a non-empty list of strings");
}

TEST(Overrides, ReplaceOrAddGridsInEveryEntryThatDeclaresTheParameter) {
  PlanOptions options;
  options.overrides = {"method.every=2,5", "dataset.size=7"};
  const Plan plan = make_plan(parse_config("exp.toml", config(R"([[methods]]
name = "noop"
[[methods]]
name = "throw"
every = 3
[[methods]]
name = "crash"
)")),
                              options);
  EXPECT_EQ(method_labels(plan), (std::set<std::string>{"noop", "throw[every=2]", "throw[every=5]", "crash[every=2]",
                                                       "crash[every=5]"}));
  for (const auto& arm : plan.arms) EXPECT_EQ(arm.dataset_label, "empty[size=7]");
}

TEST(Overrides, ValuesAreTypedAndChecked) {
  PlanOptions options;
  options.overrides = {"method.ms=1,2.5"};
  const Plan plan = make_plan(parse_config("exp.toml", config("[[methods]]\nname = \"sleep\"\n")), options);
  EXPECT_EQ(method_labels(plan), (std::set<std::string>{"sleep[ms=1]", "sleep[ms=2.5]"}));
  EXPECT_DOUBLE_EQ(plan.arms[0].spec.method_params.get_real("ms"), 1.0);  // an integer for a real: widened
}

TEST(Overrides, EveryErrorNamesTheOption) {
  auto error = [](std::vector<std::string> overrides) {
    PlanOptions options;
    options.overrides = std::move(overrides);
    return error_of(config("[[methods]]\nname = \"throw\"\n"), options);
  };
  EXPECT_EQ(error({"method.every"}), "invalid config:\n  option -s 'method.every': expected dataset.PARAM=VALUE[,VALUE...] "
                                     "or method.PARAM=VALUE[,VALUE...]");
  EXPECT_EQ(error({"every=2"}), "invalid config:\n  option -s 'every=2': expected dataset.PARAM=VALUE[,VALUE...] or "
                                "method.PARAM=VALUE[,VALUE...]");
  EXPECT_EQ(error({"model.every=2"}), "invalid config:\n  option -s 'model.every=2': 'model' must be 'dataset' or 'method'");
  EXPECT_EQ(error({"method.=2"}), "invalid config:\n  option -s 'method.=2': no parameter name before '='");
  EXPECT_EQ(error({"method.every=2,,3"}),
            "invalid config:\n  option -s 'method.every=2,,3': empty value (values are separated by single commas)");
  EXPECT_EQ(error({"method.every=0"}).rfind("invalid config:\n  option -s 'method.every=0': method 'throw': ", 0), 0u)
      << error({"method.every=0"});
  EXPECT_EQ(error({"method.every=x"}).rfind("invalid config:\n  option -s 'method.every=x': method 'throw': ", 0), 0u);
  EXPECT_EQ(error({"method.speed=2"}),
            "invalid config:\n  option -s 'method.speed=2': no [[methods]] entry of exp.toml has a method with "
            "parameter 'speed'");
  EXPECT_EQ(error({"dataset.every=2"}),
            "invalid config:\n  option -s 'dataset.every=2': no [[datasets]] entry of exp.toml has a dataset with "
            "parameter 'every'");
  EXPECT_EQ(error({"method.every=2,3,2"}),
            "invalid config:\n  option -s 'method.every=2,3,2': value '2' given twice (each grid value once)");
  EXPECT_EQ(error({"method.every=2", "method.every=3"}),
            "invalid config:\n  option -s 'method.every=3': 'method.every' is already set by -s 'method.every=2' "
            "(give every value in one option, e.g. -s method.every=a,b)");
  PlanOptions only;
  only.only_methods = {"nope"};
  only.only_methods_option = "--method";
  EXPECT_NE(error_of(config("[[methods]]\nname = \"throw\"\n"), only).find("--method: method 'nope' is not in"),
            std::string::npos);
}

TEST(Filters, MethodAndDatasetGlobsKeepMatchingEntries) {
  const std::string text = config("[[methods]]\nname = \"noop\"\n[[methods]]\nname = \"sleep\"\n"
                                  "[[methods]]\nname = \"spin\"\n");
  PlanOptions options;
  options.only_methods = {"s*"};
  EXPECT_EQ(method_labels(make_plan(parse_config("exp.toml", text), options)),
            (std::set<std::string>{"sleep[ms=20]", "spin[seconds=3600]"}));
  options.only_methods = {"no?p"};
  EXPECT_EQ(method_labels(make_plan(parse_config("exp.toml", text), options)), (std::set<std::string>{"noop"}));
  options.only_datasets = {"emp*"};
  EXPECT_EQ(make_plan(parse_config("exp.toml", text), options).arms.size(), 2u);
  options.only_datasets = {"full*"};
  EXPECT_EQ(error_of(text, options),
            "invalid config:\n  --dataset: dataset 'full*' is not in exp.toml (its datasets: empty)");
  options.only_datasets = {};
  options.only_methods = {"x*"};
  EXPECT_EQ(error_of(text, options),
            "invalid config:\n  --only: method 'x*' is not in exp.toml (its methods: noop, sleep, spin)");
}

TEST(Glob, MatchesLikeFnmatch) {
  EXPECT_TRUE(glob_match("knn", "knn"));
  EXPECT_FALSE(glob_match("knn", "knn2"));
  EXPECT_TRUE(glob_match("k*", "knn"));
  EXPECT_TRUE(glob_match("[kv]nn", "vnn"));
  EXPECT_FALSE(glob_match("?", "ab"));
}

}  // namespace
}  // namespace sb
