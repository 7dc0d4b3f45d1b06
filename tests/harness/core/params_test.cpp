#include "harness/core/params.h"

#include <gtest/gtest.h>

#include "harness/core/errors.h"

namespace sb {
namespace {

std::vector<ParamSpec> specs() {
  ParamSpec n{"n", ParamType::kInt, std::int64_t{100}, 1, 1e6, {}, "samples"};
  ParamSpec trim{"trim", ParamType::kReal, 0.1, 0.0, 0.49, {}, "fraction"};
  ParamSpec kind{"kind", ParamType::kString, std::string("a"), -1, 1, {"a", "b"}, "kind"};
  ParamSpec flag{"flag", ParamType::kBool, false, 0, 0, {}, "flag"};
  return {n, trim, kind, flag};
}

TEST(Params, DefaultsAreFilledAndJsonIsCanonical) {
  auto p = resolve_params(specs(), {{"trim", std::int64_t{0}}}, "method 'm'");
  EXPECT_EQ(p.get_int("n"), 100);
  EXPECT_DOUBLE_EQ(p.get_real("trim"), 0.0);  // int widened to real
  EXPECT_EQ(p.to_json(), R"({"flag":false,"kind":"a","n":100,"trim":0})");
  EXPECT_EQ(p.label(), "flag=false,kind=a,n=100,trim=0");
  EXPECT_EQ(component_label("m", p), "m[flag=false,kind=a,n=100,trim=0]");
  EXPECT_EQ(component_label("m", ParamSet{}), "m");
}

TEST(Params, RealsRoundTripInShortestForm) {
  ParamSet p;
  p.set("x", 0.1);
  p.set("y", 1e-300);
  EXPECT_EQ(p.to_json(), R"({"x":0.1,"y":1e-300})");
}

TEST(Params, UnknownNameListsValidOnes) {
  try {
    resolve_params(specs(), {{"tirm", 0.1}}, "method 'm'");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "method 'm': unknown parameter 'tirm', did you mean 'trim'? (valid: n, trim, kind, flag)");
  }
  try {  // nothing close: no suggestion
    resolve_params(specs(), {{"colour", 0.1}}, "method 'm'");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "method 'm': unknown parameter 'colour' (valid: n, trim, kind, flag)");
  }
}

TEST(Params, OutOfRangeWrongTypeAndBadChoiceAreRejected) {
  EXPECT_THROW(resolve_params(specs(), {{"trim", 0.5}}, "m"), InputError);
  EXPECT_THROW(resolve_params(specs(), {{"n", 0.5}}, "m"), InputError);
  EXPECT_THROW(resolve_params(specs(), {{"n", std::int64_t{0}}}, "m"), InputError);
  EXPECT_THROW(resolve_params(specs(), {{"kind", std::string("c")}}, "m"), InputError);
  EXPECT_THROW(resolve_params(specs(), {{"flag", std::int64_t{1}}}, "m"), InputError);
  auto c = check_param_value(specs()[1], 0.5);
  EXPECT_FALSE(c.value);
  EXPECT_EQ(c.error, "parameter 'trim' = 0.5 is out of range [0, 0.49]");
  ParamSpec se{"se", ParamType::kString, std::string("winsorized"), -1, 1, {"winsorized", "jackknife"}, "se"};
  EXPECT_EQ(check_param_value(se, std::string("jacknife")).error,
            "parameter 'se' = \"jacknife\" is not one of {winsorized, jackknife}, did you mean 'jackknife'?");
  EXPECT_EQ(check_param_value(se, std::string("bootstrap")).error,
            "parameter 'se' = \"bootstrap\" is not one of {winsorized, jackknife}");
}

TEST(Params, TypedGetterOnWrongTypeIsAnInternalError) {
  ParamSet p;
  p.set("s", std::string("x"));
  EXPECT_THROW(p.get_int("s"), InternalError);
  EXPECT_THROW(p.get_int("missing"), InternalError);
}

}  // namespace
}  // namespace sb
