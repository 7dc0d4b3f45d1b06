// References in the plan: each distinct (reference, parameters, seed) once,
// keyed by content; the cells that need one point at it, and only their keys
// carry it. On the selftest suite, whose `referenced` probe needs `offset`.
#include <gtest/gtest.h>

#include <limits>
#include <set>

#include "harness/core/errors.h"
#include "harness/core/registry.h"
#include "harness/core/suite.h"
#include "harness/run/config.h"
#include "harness/run/outcome.h"
#include "harness/run/plan.h"

namespace sb {
namespace {

const char* kConfig = R"(suite = "selftest"
seeds = [4, 9]
[[datasets]]
name = "empty"
size = [1, 13]
[[methods]]
name = "noop"
[[methods]]
name = "referenced"
)";

Plan plan_of(const std::string& text, bool keys = true) {
  PlanOptions options;
  options.compute_keys = keys;
  return make_plan(parse_config("refs.toml", text), options);
}

TEST(References, EachDistinctReferenceIsPlannedOncePerSeed) {
  const Plan plan = plan_of(kConfig);
  ASSERT_EQ(plan.cells.size(), 8u);  // 2 sizes x 2 seeds x 2 methods
  ASSERT_EQ(plan.reference_templates.size(), 2u);  // offset[size=1], offset[size=13]
  ASSERT_EQ(plan.references.size(), 4u);
  EXPECT_EQ(plan.reference_templates[0].label, "offset[size=1]");
  EXPECT_EQ(plan.reference_templates[1].label, "offset[size=13]");
  std::set<std::string> keys;
  for (const auto& r : plan.references) keys.insert(r.key);
  EXPECT_EQ(keys.size(), 4u);
  for (std::size_t i = 0; i < plan.cells.size(); ++i) {
    const auto jobs = plan.reference_jobs_of(i);
    const CellSpec spec = plan.spec_of(i);
    if (spec.method == "noop") {
      EXPECT_TRUE(jobs.empty());
      continue;
    }
    ASSERT_EQ(jobs.size(), 1u);
    EXPECT_TRUE(plan.is_reference_job(jobs[0]));
    const ReferenceSpec ref = plan.reference_spec(jobs[0]);
    EXPECT_EQ(ref.name, "offset");
    EXPECT_EQ(ref.seed, spec.seed);  // a reference takes its cell's seed
    EXPECT_EQ(ref.params.get_int("size"), spec.dataset_params.get_int("size"));
  }
}

TEST(References, KeysAreTheHashOfTheirCanonicalText) {
  const Plan plan = plan_of(kConfig);
  const ReferenceTemplate& t = plan.reference_templates[0];
  EXPECT_EQ(canonical_reference_text("selftest", "1", t, 4),
            "shardbench-reference-v1|suite=selftest@1|reference=offset@1|params={\"size\":1}|seed=4");
  EXPECT_EQ(plan.references[0].key, reference_key("selftest", "1", t, 4));
  // Planning again, or without keys elsewhere, gives the same references in the same order.
  const Plan again = plan_of(kConfig, false);
  ASSERT_EQ(again.references.size(), plan.references.size());
  for (std::size_t r = 0; r < plan.references.size(); ++r) {
    EXPECT_EQ(again.references[r].template_index, plan.references[r].template_index);
    EXPECT_EQ(again.references[r].seed, plan.references[r].seed);
    EXPECT_TRUE(again.references[r].key.empty());
  }
}

TEST(References, OnlyTheKeysOfCellsWithReferencesNameThem) {
  const Plan plan = plan_of(kConfig);
  for (std::size_t i = 0; i < plan.cells.size(); ++i) {
    const PlannedArm& arm = plan.arm_of(plan.cells[i]);
    const ComponentVersions v{arm.suite_version, arm.dataset_version, arm.method_version};
    const CellSpec spec = plan.spec_of(i);
    const std::string without = cell_key(spec, v);
    if (spec.method == "noop") {
      EXPECT_EQ(plan.cells[i].key, without);  // as before references existed
    } else {
      EXPECT_NE(plan.cells[i].key, without);
      const std::string refs = "offset@1{\"size\":" + std::to_string(spec.dataset_params.get_int("size")) + "}";
      EXPECT_EQ(plan.cells[i].key, cell_key(spec, v, refs));
      const std::string text = canonical_cell_text(spec, v, refs);
      EXPECT_NE(text.find("|method_params={}|references=offset@1{\"size\":"), std::string::npos) << text;
    }
  }
}

// A reference's parameters are declared like a method's: the planner fills
// the defaults, and a suite that builds an undeclared or out-of-range one
// (a suite bug) is an internal error naming the reference.
TEST(References, ParametersAreCheckedAgainstTheirDeclaration) {
  ComponentInfo oracle;
  oracle.kind = "reference";
  oracle.name = "oracle";
  struct P {
    int depth = 3;
    double tol = 1e-6;
  };
  Registrar<P>(oracle).field(&P::depth, "depth", 1, 10, "").field(&P::tol, "tol", 1e-12, 1.0, "");
  CellSpec cell;
  cell.suite = "s";
  cell.dataset = "d";
  cell.dataset_params.set("n", std::int64_t{5});
  cell.seed = 7;

  ReferenceRequest request{"oracle", {}};
  request.params.set("depth", std::int64_t{4});
  const ReferenceSpec spec = resolve_reference({oracle}, cell, request);
  EXPECT_EQ(spec.params.get_int("depth"), 4);
  EXPECT_EQ(spec.params.get_real("tol"), 1e-6);  // the default, filled in
  EXPECT_EQ(spec.dataset, "d");                  // of the cell's dataset by default
  EXPECT_EQ(spec.dataset_params.get_int("n"), 5);
  EXPECT_EQ(spec.seed, 7u);

  request.of_dataset = false;
  const ReferenceSpec alone = resolve_reference({oracle}, cell, request);
  EXPECT_TRUE(alone.dataset.empty());
  EXPECT_TRUE(alone.dataset_params.values().empty());

  ReferenceRequest undeclared{"oracle", {}};
  undeclared.params.set("width", std::int64_t{2});
  EXPECT_THROW(resolve_reference({oracle}, cell, undeclared), InternalError);
  ReferenceRequest out_of_range{"oracle", {}};
  out_of_range.params.set("depth", std::int64_t{11});
  try {
    resolve_reference({oracle}, cell, out_of_range);
    ADD_FAILURE() << "no error";
  } catch (const InternalError& e) {
    EXPECT_NE(std::string(e.what()).find("reference 'oracle'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(resolve_reference({oracle}, cell, ReferenceRequest{"other", {}}), InternalError);
}

// A reference of a dataset is identified by the dataset's version too: a new
// dataset version recomputes it (its cells' keys name the version already).
TEST(References, TheKeyOfADatasetsReferenceNamesTheDatasetVersion) {
  ReferenceTemplate t;
  t.name = "base-model";
  t.version = "2";
  t.dataset = "fashion-mnist";
  t.dataset_version = "3";
  t.params_json = "{\"dataset\":\"fashion-mnist\",\"n\":5}";
  EXPECT_EQ(canonical_reference_text("ood", "1", t, 4),
            "shardbench-reference-v1|suite=ood@1|reference=base-model@2|dataset=fashion-mnist@3|"
            "params={\"dataset\":\"fashion-mnist\",\"n\":5}|seed=4");
  ReferenceTemplate newer = t;
  newer.dataset_version = "4";
  EXPECT_NE(reference_key("ood", "1", t, 4), reference_key("ood", "1", newer, 4));
}

TEST(SplitCells, PartsCoverTheUnitsInOrderAndAreKeyedByArmAndRange) {
  const Plan plan = plan_of(R"(suite = "selftest"
seeds = 2
[[datasets]]
name = "empty"
size = [1, 2]
[[methods]]
name = "mc-sum"
units = 250
units_per_part = 100
[[methods]]
name = "noop"
)");
  ASSERT_EQ(plan.cells.size(), 8u);
  ASSERT_EQ(plan.reference_templates.size(), 6u);  // 3 parts x 2 dataset sizes
  ASSERT_EQ(plan.references.size(), 12u);
  std::set<std::string> keys;
  for (const auto& r : plan.references) keys.insert(r.key);
  EXPECT_EQ(keys.size(), 12u);
  for (std::size_t i = 0; i < plan.cells.size(); ++i) {
    const auto jobs = plan.reference_jobs_of(i);
    if (plan.spec_of(i).method == "noop") {
      EXPECT_TRUE(jobs.empty());
      continue;
    }
    ASSERT_EQ(jobs.size(), 3u);
    const std::uint64_t want[3][2] = {{0, 100}, {100, 200}, {200, 250}};
    for (std::size_t p = 0; p < 3; ++p) {
      const ReferenceTemplate& t = plan.template_of_job(jobs[p]);
      EXPECT_TRUE(t.is_part);
      EXPECT_EQ(t.name, "part/" + std::to_string(p));
      EXPECT_EQ(t.begin, want[p][0]);
      EXPECT_EQ(t.end, want[p][1]);
      EXPECT_EQ(t.arm, plan.cells[i].arm);
      EXPECT_EQ(plan.reference_of_job(jobs[p]).seed, plan.cells[i].seed);
    }
  }
}

TEST(SplitCells, InProcessRunReducesThePartsToTheWholeSum) {
  const Plan plan = plan_of(R"(suite = "selftest"
seeds = 1
[[datasets]]
name = "empty"
[[methods]]
name = "mc-sum"
units = 1000
units_per_part = 300
)");
  auto suite = make_suite("selftest");
  CellCache cache;
  const CellOutput split = run_cell_in_process(*suite, plan.spec_of(0), cache);
  // The same draws summed as one part: equal up to the order of additions.
  const CellOutput whole = suite->run_part(plan.spec_of(0), 0, 1000, cache);
  ASSERT_EQ(split.metrics.size(), 1u);
  EXPECT_NEAR(split.metrics[0].second, whole.metrics[0].second / 1000, 1e-15);
  EXPECT_GT(split.metrics[0].second, 0.4);
  EXPECT_LT(split.metrics[0].second, 0.6);
}

TEST(CellOutputCodec, RoundTripsBitForBitAndRefusesTruncation) {
  CellOutput out;
  out.method_seconds = 1.25;
  out.metrics = {{"a", 1.0}, {"nan", std::numeric_limits<double>::quiet_NaN()}};
  out.artifacts = {{"w", {1.0, -0.0, 3.5}}, {"empty", {}}};
  std::string bytes;
  encode_cell_output(out, bytes);
  const CellOutput back = decode_cell_output(bytes);
  std::string again;
  encode_cell_output(back, again);
  EXPECT_EQ(again, bytes);
  EXPECT_EQ(back.artifacts.at(0).values, out.artifacts.at(0).values);
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    EXPECT_THROW(decode_cell_output(std::string_view(bytes).substr(0, cut)), InternalError) << cut;
  }
  EXPECT_THROW(decode_cell_output(bytes + "x"), InternalError);
}

}  // namespace
}  // namespace sb
