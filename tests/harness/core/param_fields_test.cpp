// Typed parameters declared once: Registrar::field binds a component's Params
// struct to the ParamSpecs that `list`, config validation and cell keys use;
// SharedParams and Registrar::fields_of share a declaration.
#include <gtest/gtest.h>

#include "harness/core/errors.h"
#include "harness/core/registry.h"

namespace sb {
namespace {

struct Widget {
  struct Params {
    std::int64_t n = 100;
    int k = 3;  // narrower than the int64 the harness stores
    double trim = 0.1;
    std::string kind = "a";
    bool flag = false;
  };
  explicit Widget(const Params& p) : params(p) {}
  Params params;
};

struct Plain {};  // no parameters: default-constructed

Registry<Widget>& widgets() {
  static Registry<Widget> registry = [] {
    Registry<Widget> r;
    r.add<Widget>("s", "method", "widget")
        .describe("test component")
        .field(&Widget::Params::n, "n", 1, 1000000, "samples")
        .field(&Widget::Params::k, "k", 1, 50, "neighbours")
        .field(&Widget::Params::trim, "trim", 0.0, 0.49, "fraction")
        .field(&Widget::Params::kind, "kind", {"a", "b"}, "kind")
        .field(&Widget::Params::flag, "flag", "flag");
    return r;
  }();
  return registry;
}

const Registry<Widget>::Entry& widget() { return *widgets().find("widget"); }

TEST(ParamFields, DeclarationGivesTheSpecsInOrderWithStructDefaults) {
  const auto& specs = widget().info.params;
  ASSERT_EQ(specs.size(), 5u);
  EXPECT_EQ(specs[0].name, "n");
  EXPECT_EQ(specs[0].type, ParamType::kInt);
  EXPECT_EQ(specs[0].default_value, ParamValue(std::int64_t{100}));
  EXPECT_EQ(specs[0].range_text(), "[1, 1000000]");
  EXPECT_EQ(specs[1].type, ParamType::kInt);
  EXPECT_EQ(specs[1].default_value, ParamValue(std::int64_t{3}));
  EXPECT_EQ(specs[2].type, ParamType::kReal);
  EXPECT_EQ(specs[2].default_value, ParamValue(0.1));
  EXPECT_EQ(specs[2].range_text(), "[0, 0.49]");
  EXPECT_EQ(specs[3].type, ParamType::kString);
  EXPECT_EQ(specs[3].default_value, ParamValue(std::string("a")));
  EXPECT_EQ(specs[3].range_text(), "{a, b}");
  EXPECT_EQ(specs[4].type, ParamType::kBool);
  EXPECT_EQ(specs[4].default_value, ParamValue(false));
  EXPECT_EQ(specs[4].doc, "flag");
  EXPECT_EQ(widget().info.description, "test component");
}

TEST(ParamFields, StructIsFilledFromTheResolvedParamSet) {
  const auto resolved = resolve_params(
      widget().info.params,
      {{"n", std::int64_t{7}}, {"k", std::int64_t{50}}, {"trim", std::int64_t{0}},
       {"kind", std::string("b")}, {"flag", true}},
      "method 'widget'");
  // The canonical JSON (part of cell keys) comes from the declaration alone.
  EXPECT_EQ(resolved.to_json(), R"({"flag":true,"k":50,"kind":"b","n":7,"trim":0})");
  const auto w = widget().make(resolved);
  EXPECT_EQ(w->params.n, 7);
  EXPECT_EQ(w->params.k, 50);
  EXPECT_EQ(w->params.trim, 0.0);
  EXPECT_EQ(w->params.kind, "b");
  EXPECT_TRUE(w->params.flag);
}

TEST(ParamFields, DefaultsComeFromTheStructInitialisers) {
  const auto resolved = resolve_params(widget().info.params, {}, "method 'widget'");
  EXPECT_EQ(resolved.to_json(), R"({"flag":false,"k":3,"kind":"a","n":100,"trim":0.1})");
  const auto w = widget().make(resolved);
  EXPECT_EQ(w->params.n, 100);
  EXPECT_EQ(w->params.k, 3);
  EXPECT_EQ(w->params.trim, 0.1);
  EXPECT_EQ(w->params.kind, "a");
  EXPECT_FALSE(w->params.flag);
}

TEST(ParamFields, FactoryEnforcesTheDeclarationWhenResolveIsSkipped) {
  auto set = resolve_params(widget().info.params, {}, "method 'widget'");
  set.set("trim", 0.495);  // inside a hand check of < 0.5, outside the declared 0.49
  try {
    widget().make(set);
    FAIL() << "out-of-range value reached the constructor";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("method 'widget'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("trim"), std::string::npos) << e.what();
  }
  set.set("trim", 0.2);
  set.set("kind", std::string("c"));
  EXPECT_THROW(widget().make(set), InputError);
  EXPECT_THROW(widget().make(ParamSet{}), InternalError);  // not resolved: a bug
}

TEST(ParamFields, ComponentWithoutParamsIsDefaultConstructed) {
  Registry<Plain> r;
  r.add<Plain>("s", "method", "plain").describe("nothing to set");
  EXPECT_TRUE(r.find("plain")->info.params.empty());
  EXPECT_NE(r.find("plain")->make(ParamSet{}), nullptr);
}

struct Bad {
  struct Params {
    double trim = 0.5;
    int k = 3;
  };
  explicit Bad(const Params&) {}
};

TEST(ParamFields, DefaultOutOfRangeIsARegistryProblem) {
  Registry<Bad> r;
  const size_t before = registry_problems().size();
  r.add<Bad>("s", "method", "bad").field(&Bad::Params::trim, "trim", 0.0, 0.49, "fraction");
  ASSERT_EQ(registry_problems().size(), before + 1);
  EXPECT_NE(registry_problems().back().find("trim"), std::string::npos);
  EXPECT_NE(registry_problems().back().find("'bad'"), std::string::npos);
}

TEST(ParamFields, RangeWiderThanTheFieldTypeIsARegistryProblem) {
  Registry<Bad> r;
  const size_t before = registry_problems().size();
  r.add<Bad>("s", "method", "wide").field(&Bad::Params::k, "k", 1, std::int64_t{1} << 40, "k");
  EXPECT_EQ(registry_problems().size(), before + 1);
}

TEST(ParamFields, DuplicateFieldNameIsARegistryProblem) {
  Registry<Widget> r;
  const size_t before = registry_problems().size();
  r.add<Widget>("s", "method", "twice")
      .field(&Widget::Params::n, "n", 1, 1000, "samples")
      .field(&Widget::Params::k, "n", 1, 10, "again");
  EXPECT_EQ(registry_problems().size(), before + 1);
}

// Parameters shared by every dataset of a suite: declared once, listed by
// specs(), bound to their struct by bind().
struct Splits {
  std::int64_t n_train = 100;
  double rate = 0.1;
};

const SharedParams<Splits>& shared_splits() {
  static const SharedParams<Splits> declared("test common", [](Registrar<Splits>& r) {
    r.field(&Splits::n_train, "n_train", 1, 1000, "training rows").field(&Splits::rate, "rate", 0.0, 0.5, "rate");
  });
  return declared;
}

TEST(SharedParams, ListsTheDeclaredFieldsAndBindsAParamSet) {
  const auto& specs = shared_splits().specs();
  ASSERT_EQ(specs.size(), 2u);
  EXPECT_EQ(specs[0].name, "n_train");
  EXPECT_EQ(specs[0].default_value, ParamValue(std::int64_t{100}));
  EXPECT_EQ(specs[1].range_text(), "[0, 0.5]");
  const Splits s = shared_splits().bind(resolve_params(specs, {{"rate", 0.25}}, "dataset 'x'"));
  EXPECT_EQ(s.n_train, 100);
  EXPECT_EQ(s.rate, 0.25);
  auto out_of_range = resolve_params(specs, {}, "dataset 'x'");
  out_of_range.set("rate", 0.75);
  try {
    shared_splits().bind(out_of_range);
    FAIL() << "an out-of-range shared value was bound";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("test common"), std::string::npos) << e.what();
  }
}

// A source whose fields several registrations declare (datasets/table_sources.h).
struct SizeSource {
  template <class P>
  static void declare_fields(Registrar<P>& r) {
    r.field(&P::n, "n", 3, 1000, "rows");
  }
};
struct Sized {
  struct Params {
    std::int64_t n = 50;
    std::string extra = "x";
  };
  explicit Sized(const Params& p) : params(p) {}
  Params params;
};

TEST(ParamFields, FieldsOfDeclaresASourcesFieldsBeforeTheComponentsOwn) {
  Registry<Sized> r;
  r.add<Sized>("s", "dataset", "sized").fields_of<SizeSource>().field(&Sized::Params::extra, "extra", {}, "more");
  const auto& specs = r.find("sized")->info.params;
  ASSERT_EQ(specs.size(), 2u);
  EXPECT_EQ(specs[0].name, "n");
  EXPECT_EQ(specs[0].range_text(), "[3, 1000]");
  EXPECT_EQ(specs[1].name, "extra");
  const auto made = r.find("sized")->make(resolve_params(specs, {{"n", std::int64_t{7}}}, "dataset 'sized'"));
  EXPECT_EQ(made->params.n, 7);
  EXPECT_EQ(made->params.extra, "x");
}

}  // namespace
}  // namespace sb
