// Config validation (each error case), grid expansion, cell keys, shards,
// the outcome wire format and the registry, on the selftest suite.
#include <gtest/gtest.h>

#include <set>

#include "harness/core/errors.h"
#include "harness/run/config.h"
#include "harness/run/outcome.h"
#include "harness/run/plan.h"

namespace sb {
namespace {

const char* kGood = R"(suite = "selftest"
seeds = 3
[[datasets]]
name = "empty"
size = [1, 2]
[[methods]]
name = "sleep"
ms = [0.0, 1]
[[methods]]
name = "noop"
)";

std::string error_of(const std::string& text, const PlanOptions& options = {}) {
  try {
    make_plan(parse_config("exp.toml", text), options);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(Config, GridExpandsToTheCartesianProductInPlanOrder) {
  Plan plan = make_plan(parse_config("exp.toml", kGood), {});
  // 2 dataset settings x 3 seeds x (2 sleep settings + noop)
  ASSERT_EQ(plan.cells.size(), 2u * 3u * 3u);
  EXPECT_EQ(plan.arm_of(plan.cells[0]).dataset_label, "empty[size=1]");
  EXPECT_EQ(plan.arm_of(plan.cells[0]).method_label, "sleep[ms=0]");
  EXPECT_EQ(plan.arm_of(plan.cells[1]).method_label, "sleep[ms=1]");
  EXPECT_EQ(plan.arm_of(plan.cells[2]).method_label, "noop");
  EXPECT_EQ(plan.cells[3].seed, 1u);  // methods vary fastest, then seeds
  EXPECT_EQ(plan.arm_of(plan.cells[9]).dataset_label, "empty[size=2]");
  std::set<std::string> keys;
  for (const auto& c : plan.cells) keys.insert(c.key);
  EXPECT_EQ(keys.size(), plan.cells.size());
  EXPECT_DOUBLE_EQ(plan.spec_of(1).method_params.get_real("ms"), 1.0);  // int widened
}

TEST(Config, SeedsOnlyAndListsOfSeeds) {
  PlanOptions o;
  o.seeds_override = 5;
  o.only_methods = {"noop"};
  Plan plan = make_plan(parse_config("exp.toml", kGood), o);
  EXPECT_EQ(plan.cells.size(), 2u * 5u);
  std::string text = kGood;
  text.replace(text.find("seeds = 3"), 9, "seeds = [4, 9]");
  plan = make_plan(parse_config("exp.toml", text), {});
  EXPECT_EQ(plan.cells[0].seed, 4u);
  EXPECT_EQ(plan.cells[3].seed, 9u);
}

TEST(Config, EveryErrorNamesFileLineKeyAndValue) {
  auto with = [](const std::string& from, const std::string& to) {
    std::string t = kGood;
    t.replace(t.find(from), from.size(), to);
    return t;
  };
  EXPECT_NE(error_of(with("seeds = 3", "seeds = 3\ncolour = 1")).find("exp.toml:3: unknown key 'colour'"),
            std::string::npos);
  EXPECT_NE(error_of(with("name = \"noop\"", "name = \"nop\""))
                .find("exp.toml:9: unknown method 'nop' in suite "
                      "'selftest', did you mean 'noop'? (valid: "),
            std::string::npos);
  EXPECT_NE(error_of(with("seeds = 3", "seed = 3")).find("exp.toml:2: unknown key 'seed', did you mean 'seeds'?"),
            std::string::npos);
  EXPECT_NE(error_of(with("name = \"noop\"", "name = [\"noop\", \"sleep\"]"))
                .find("exp.toml:10: methods[1]: 'name' must be a string, got [ 'noop', 'sleep' ] (one method per "
                      "[[methods]] table: write a table for each, or name = \"*\" for every method)"),
            std::string::npos);
  EXPECT_NE(error_of(with("name = \"noop\"", "name = \"nop\"")).find("valid: crash, exit, flaky, hang, hog, long_message, mc-sum, nan, noop, orphan, referenced, shout, sleep, spin, throw"),
            std::string::npos);
  EXPECT_NE(error_of(with("name = \"empty\"", "name = \"full\"")).find("unknown dataset 'full'"), std::string::npos);
  EXPECT_NE(error_of(with("ms = [0.0, 1]", "msec = 1")).find("unknown parameter 'msec' (valid: ms)"),
            std::string::npos);
  EXPECT_NE(error_of(with("ms = [0.0, 1]", "ms = \"fast\"")).find("parameter 'ms' must be of type real, got string"),
            std::string::npos);
  EXPECT_NE(error_of(with("ms = [0.0, 1]", "ms = -1.0")).find("parameter 'ms' = -1 is out of range [0, 3600000]"),
            std::string::npos);
  // Parameter errors point at the parameter's own line, not its table's.
  EXPECT_NE(error_of(with("ms = [0.0, 1]", "ms = [0.0, -1.0]")).find("exp.toml:8: method 'sleep': parameter 'ms'"),
            std::string::npos);
  EXPECT_NE(error_of(with("ms = [0.0, 1]", "ms = []")).find("parameter 'ms' is an empty list"), std::string::npos);
  EXPECT_NE(error_of(with("seeds = 3", "seeds = 0")).find("'seeds' = 0 must be a count"), std::string::npos);
  EXPECT_NE(error_of(with("seeds = 3", "seeds = [1, 1]")).find("'seeds' lists 1 twice"), std::string::npos);
  EXPECT_NE(error_of(with("suite = \"selftest\"", "suite = \"nope\"")).find("unknown suite 'nope'"),
            std::string::npos);
  EXPECT_NE(error_of(with("suite = \"selftest\"\n", "")).find("missing string key 'suite'"), std::string::npos);
  EXPECT_NE(error_of("suite = \"selftest\"\nseeds = 1\n[[datasets]]\nname = \"empty\"\n").find("missing key 'methods'"),
            std::string::npos);
  EXPECT_NE(error_of("suite = [").find("exp.toml:1:"), std::string::npos);  // TOML syntax, with position
  PlanOptions only;
  only.only_methods = {"hang"};
  EXPECT_NE(error_of(kGood, only).find("--only: method 'hang' is not in exp.toml"), std::string::npos);
  // Several problems are reported together.
  auto many = error_of(with("name = \"noop\"", "name = \"nop\"\nx = 1").replace(0, 0, ""));
  EXPECT_NE(many.find("nop"), std::string::npos);
  EXPECT_THROW(load_config("/nonexistent/exp.toml"), InputError);
}

TEST(Config, GridsLargerThanMaxCellsAreRefusedBeforeExpanding) {
  const ExperimentConfig config = parse_config("exp.toml", kGood);
  EXPECT_EQ(count_cells(config, {}), 18u);
  PlanOptions limit;
  limit.max_cells = 18;
  EXPECT_EQ(make_plan(config, limit).cells.size(), 18u);
  limit.max_cells = 17;
  const std::string e = error_of(kGood, limit);
  EXPECT_NE(e.find("exp.toml: the grid has 18 cells (2 dataset combinations x 3 seeds x 3 method "
                   "combinations), more than the limit of 17"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("--max-cells N"), std::string::npos) << e;
  // --seeds 10^8 against the default limit: refused, nothing allocated.
  PlanOptions many;
  many.seeds_override = 100'000'000;
  EXPECT_NE(error_of(kGood, many).find("the grid has 600000000 cells"), std::string::npos);
  // Counts saturate instead of wrapping around.
  many.seeds_override = INT64_MAX;
  EXPECT_EQ(count_cells(config, many), UINT64_MAX);
  EXPECT_NE(error_of(kGood, many).find("more than 1.8e19 cells"), std::string::npos);
  // --only counts only the chosen methods.
  many.seeds_override = 0;
  many.only_methods = {"noop"};
  EXPECT_EQ(count_cells(config, many), 6u);
}

TEST(Config, MaxCellsCountsThePartsOfSplitCells) {
  // 2 seeds x (1 cell + 3 parts) = 8 jobs: allowed at 8, refused at 7, and
  // 10^12 parts refused before one is planned.
  const std::string split =
      "suite = \"selftest\"\nseeds = 2\n[[datasets]]\nname = \"empty\"\n[[methods]]\nname = \"mc-sum\"\n"
      "units = 30\nunits_per_part = 10\n";
  PlanOptions limit;
  limit.max_cells = 8;
  EXPECT_EQ(make_plan(parse_config("exp.toml", split), limit).references.size(), 6u);
  limit.max_cells = 7;
  EXPECT_NE(error_of(split, limit).find("splits each cell into 3 parts (30 units, 10 per part): with the other jobs "
                                        "of the plan more than the limit of 7 (--max-cells, which counts parts too)"),
            std::string::npos)
      << error_of(split, limit);
  std::string huge = split;
  huge.replace(huge.find("units = 30"), 10, "units = 1000000000000");
  huge.replace(huge.find("units_per_part = 10"), 19, "units_per_part = 1");
  EXPECT_NE(error_of(huge).find("splits each cell into 1000000000000 parts"), std::string::npos) << error_of(huge);
}

TEST(Config, ACombinationPlannedTwiceIsRefusedWithBothLines) {
  // Two identical tables (lines 9 and 11).
  std::string e = error_of(std::string(kGood) + "[[methods]]\nname = \"noop\"\n");
  EXPECT_NE(e.find("exp.toml:11: method 'noop' is planned twice: by the [[methods]] table at line 9 "
                   "and by the one at line 11"),
            std::string::npos)
      << e;
  // Overlapping grids: ms = 1 is in the table at line 6 already.
  e = error_of(std::string(kGood) + "[[methods]]\nname = \"sleep\"\nms = [1.0, 2.0]\n");
  EXPECT_NE(e.find("exp.toml:11: method 'sleep[ms=1]' is planned twice: by the [[methods]] table at "
                   "line 6 and by the one at line 11"),
            std::string::npos)
      << e;
  // One list naming a value twice (0 and 0.0 are the same real).
  std::string text = kGood;
  text.replace(text.find("ms = [0.0, 1]"), 13, "ms = [0.0, 1, 0]");
  e = error_of(text);
  EXPECT_NE(e.find("exp.toml:6: method 'sleep[ms=0]' is planned twice by the [[methods]] table at line 6"),
            std::string::npos)
      << e;
  // Datasets too.
  text = kGood;
  text.replace(text.find("size = [1, 2]"), 13, "size = [1, 2]\n[[datasets]]\nname = \"empty\"\nsize = 2");
  e = error_of(text);
  EXPECT_NE(e.find("dataset 'empty[size=2]' is planned twice: by the [[datasets]] table at line 3 and by "
                   "the one at line 6"),
            std::string::npos)
      << e;
}

// `label` replaces the name in the recorded label (the parameters follow as
// usual) and leaves the cell keys alone.
TEST(Config, ALabelReplacesTheNameButNotTheKey) {
  std::string text = kGood;
  text.replace(text.find("name = \"sleep\""), 14, "name = \"sleep\"\nlabel = \"Nap\"");
  text.replace(text.find("name = \"empty\""), 14, "name = \"empty\"\nlabel = \"Void set\"");
  const Plan labelled = make_plan(parse_config("exp.toml", text), {});
  const Plan plain = make_plan(parse_config("exp.toml", kGood), {});
  ASSERT_EQ(labelled.cells.size(), plain.cells.size());
  EXPECT_EQ(labelled.arm_of(labelled.cells[0]).dataset_label, "Void set[size=1]");
  EXPECT_EQ(labelled.arm_of(labelled.cells[1]).method_label, "Nap[ms=1]");
  EXPECT_EQ(labelled.arm_of(labelled.cells[2]).method_label, "noop");
  EXPECT_EQ(labelled.spec_of(1).method, "sleep");
  for (std::size_t i = 0; i < plain.cells.size(); ++i) EXPECT_EQ(labelled.cells[i].key, plain.cells[i].key);
}

TEST(Config, LabelsAreCheckedAndMustNotCollide) {
  std::string e = error_of(std::string(kGood) + "label = \"a[b]\"\n");
  EXPECT_NE(e.find("exp.toml:11: methods[1]: 'label' must be a non-empty string without '[', ']' or ','"),
            std::string::npos)
      << e;
  EXPECT_NE(error_of(std::string(kGood) + "label = 3\n").find("'label' must be"), std::string::npos);
  // noop labelled as sleep would merge with nothing (sleep's labels carry ms),
  // but a second parameterless method labelled "noop" would.
  EXPECT_EQ(error_of(std::string(kGood) + "label = \"sleep\"\n"), "");
  e = error_of(std::string(kGood) + "[[methods]]\nname = \"nan\"\nlabel = \"noop\"\n");
  EXPECT_NE(e.find("exp.toml:11: method label 'noop' is also the label of method 'noop' (line 9)"),
            std::string::npos)
      << e;
}

TEST(Config, NonFiniteValuesKeepTheirSpellingInMessages) {
  auto with = [](const std::string& from, const std::string& to) {
    std::string t = kGood;
    t.replace(t.find(from), from.size(), to);
    return t;
  };
  std::string e = error_of(with("ms = [0.0, 1]", "ms = nan"));
  EXPECT_NE(e.find("parameter 'ms' = nan is out of range"), std::string::npos) << e;
  e = error_of(with("ms = [0.0, 1]", "ms = [1.0, -inf]"));
  EXPECT_NE(e.find("parameter 'ms' = -inf is out of range"), std::string::npos) << e;
  e = error_of(std::string(kGood) + "[[methods]]\nname = \"throw\"\nevery = inf\n");
  EXPECT_NE(e.find("parameter 'every' must be of type int, got real (inf)"), std::string::npos) << e;
  EXPECT_EQ(e.find("null"), std::string::npos) << e;
}

TEST(CellKey, IsStableAndCoversEveryPartOfTheCell) {
  ParamSet dp;
  dp.set("size", std::int64_t{1});
  ParamSet mp;
  mp.set("ms", 20.0);
  CellSpec cell{"selftest", "empty", dp, "sleep", mp, 7, nullptr};
  ComponentVersions v{"1", "1", "1"};
  EXPECT_EQ(canonical_cell_text(cell, v),
            "shardbench-cell-v1|suite=selftest@1|dataset=empty@1|dataset_params={\"size\":1}|method=sleep@1|"
            "method_params={\"ms\":20}|seed=7");
  // Golden value: a change here invalidates every user's resume.
  EXPECT_EQ(cell_key(cell, v), cell_key(cell, v));
  EXPECT_EQ(cell_key(cell, v).size(), 32u);
  const std::string key = cell_key(cell, v);
  EXPECT_EQ(key, "8c2393ed1a3f77a1ecf809db9580a275") << "update docs/ARCHITECTURE.md and bump the key version";
  auto changed = [&](auto mutate) {
    CellSpec c = cell;
    ComponentVersions w = v;
    mutate(c, w);
    return cell_key(c, w) != key;
  };
  EXPECT_TRUE(changed([](CellSpec& c, ComponentVersions&) { c.seed = 8; }));
  EXPECT_TRUE(changed([](CellSpec& c, ComponentVersions&) { c.method_params.set("ms", 21.0); }));
  EXPECT_TRUE(changed([](CellSpec& c, ComponentVersions&) { c.dataset_params.set("size", std::int64_t{2}); }));
  EXPECT_TRUE(changed([](CellSpec&, ComponentVersions& w) { w.method = "2"; }));
  EXPECT_TRUE(changed([](CellSpec&, ComponentVersions& w) { w.dataset = "2"; }));
  EXPECT_TRUE(changed([](CellSpec&, ComponentVersions& w) { w.suite = "2"; }));
}

// The planner hashes each arm's canonical prefix once and then only the
// seed: its keys must equal cell_key of each cell's full canonical text.
TEST(CellKey, PlannedKeysEqualTheKeysOfTheFullText) {
  Plan plan = make_plan(parse_config("exp.toml", kGood), {});
  ASSERT_FALSE(plan.cells.empty());
  for (std::size_t i = 0; i < plan.cells.size(); ++i) {
    const PlannedArm& arm = plan.arm_of(plan.cells[i]);
    EXPECT_EQ(plan.cells[i].key,
              cell_key(plan.spec_of(i), {arm.suite_version, arm.dataset_version, arm.method_version}))
        << i;
  }
}

TEST(Shard, PartitionsTheGridDeterministically) {
  Plan plan = make_plan(parse_config("exp.toml", kGood), {});
  std::vector<int> counts(3, 0);
  for (const auto& c : plan.cells) {
    int s = shard_of(c.key, 3);
    ASSERT_GE(s, 0);
    ASSERT_LT(s, 3);
    EXPECT_EQ(s, shard_of(c.key, 3));
    ++counts[static_cast<size_t>(s)];
  }
  EXPECT_EQ(counts[0] + counts[1] + counts[2], static_cast<int>(plan.cells.size()));
}

TEST(Outcome, RoundTripsThroughTheWireFormatInPieces) {
  CellOutcome a;
  a.index = 42;
  a.status = CellStatus::kError;
  a.error = "bad \"input\"\n";
  a.wall_seconds = 1.5;
  a.cpu_seconds = 0.25;
  a.peak_rss_kb = 1234;
  a.rank = 3;
  a.output.metrics = {{"x", 1.0}, {"y", -0.0}};
  a.output.artifacts = {{"scores", {1.0, 2.0, 3.0}}};
  a.output.method_seconds = 0.125;
  CellOutcome b;
  b.index = 7;
  b.status = CellStatus::kOk;
  std::string bytes;
  encode_outcome(a, bytes);
  encode_outcome(b, bytes);
  // Delivered in two arbitrary pieces, as a pipe may deliver them.
  std::string buffer = bytes.substr(0, 17);
  std::vector<CellOutcome> out;
  decode_outcomes(buffer, out);
  EXPECT_TRUE(out.empty());
  buffer += bytes.substr(17);
  decode_outcomes(buffer, out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_TRUE(buffer.empty());
  EXPECT_EQ(out[0].index, 42u);
  EXPECT_EQ(out[0].error, a.error);
  EXPECT_EQ(out[0].rank, 3);
  EXPECT_EQ(out[0].peak_rss_kb, 1234);
  EXPECT_EQ(out[0].output.metrics, a.output.metrics);
  EXPECT_EQ(out[0].output.artifacts[0].values, a.output.artifacts[0].values);
  EXPECT_EQ(out[0].output.method_seconds, 0.125);
  EXPECT_EQ(out[1].status, CellStatus::kOk);
  EXPECT_EQ(decode_indices(encode_indices({1, 2, 3})), (std::vector<std::uint32_t>{1, 2, 3}));
}

TEST(Registry, HasNoProblemsAndEverySuiteDeclaresItsParts) {
  EXPECT_TRUE(registry_problems().empty()) << (registry_problems().empty() ? "" : registry_problems()[0]);
  auto suite = make_suite("selftest");
  EXPECT_EQ(suite->methods().size(), 15u);  // 8 probes + 7 fault probes
  for (const auto& m : suite->methods()) EXPECT_EQ(m.suite, "selftest");
  EXPECT_THROW(make_suite("nope"), InputError);
}

TEST(Registry, DuplicateNamesAreReportedNotFatal) {
  struct Dummy {
    struct Params {
      std::int64_t n = 0;
    };
    explicit Dummy(const Params&) {}
  };
  Registry<Dummy> r;
  r.add<Dummy>("s", "method", "x");
  size_t before = registry_problems().size();
  r.add<Dummy>("s", "method", "x").field(&Dummy::Params::n, "n", 1, 2, "default out of range");
  // The duplicate and the bad default are both collected.
  EXPECT_EQ(registry_problems().size(), before + 2);
}

}  // namespace
}  // namespace sb
