// The farm's order with references, on one process (no MPI; the executor's
// child is this test binary, tests/harness/test_main.cpp): every reference
// reports before any cell starts, a cell receives its references' outputs,
// and a cell whose reference failed is not run but recorded as an error
// naming the reference.
#include <gtest/gtest.h>

#include <vector>

#include "harness/run/comm.h"
#include "harness/run/config.h"
#include "harness/run/executor.h"
#include "harness/run/farm.h"
#include "harness/run/plan.h"

namespace sb {
namespace {

TEST(FarmReferences, ReferencesRunFirstAndAFailureFailsExactlyItsDependants) {
  const std::string text = R"(suite = "selftest"
seeds = 2
[[datasets]]
name = "empty"
size = [1, 13]
[[methods]]
name = "noop"
[[methods]]
name = "referenced"
)";
  const Plan plan = make_plan(parse_config("refs.toml", text), {});
  ASSERT_EQ(plan.references.size(), 4u);  // offset[size=1|13] x 2 seeds
  ExecutorOptions options;
  options.config_path = "refs.toml";
  options.config_text = text;
  Executor local(plan, options, 0);
  Comm comm;  // no launcher: rank 0 alone
  std::vector<std::uint32_t> jobs;
  for (std::size_t r = 0; r < plan.references.size(); ++r) jobs.push_back(plan.reference_job(r));
  for (std::uint32_t i = 0; i < plan.cells.size(); ++i) jobs.push_back(i);
  ReferenceOutputs outputs;
  std::vector<CellOutcome> arrived;
  const FarmSummary summary =
      run_coordinator(plan, jobs, FarmOptions{}, comm, local, outputs,
                      [&](std::vector<CellOutcome>& batch, const FarmSummary&) {
                        for (auto& o : batch) arrived.push_back(std::move(o));
                      });
  ASSERT_EQ(arrived.size(), jobs.size());
  EXPECT_EQ(summary.finished, static_cast<std::int64_t>(jobs.size()));
  // Phase order: the 4 references, then the 8 cells.
  for (std::size_t k = 0; k < arrived.size(); ++k) {
    EXPECT_EQ(plan.is_reference_job(arrived[k].index), k < 4) << "outcome " << k;
  }
  EXPECT_EQ(outputs.size(), 2u);  // the ok references (size 1), kept for shipping
  int failed = 0;
  for (const auto& o : arrived) {
    if (plan.is_reference_job(o.index)) {
      const bool size13 = plan.reference_label(o.index) == "offset[size=13]";
      EXPECT_EQ(o.status, size13 ? CellStatus::kError : CellStatus::kOk);
      continue;
    }
    const CellSpec spec = plan.spec_of(o.index);
    const bool dependant = spec.method == "referenced" && spec.dataset_params.get_int("size") == 13;
    if (dependant) {
      ++failed;
      EXPECT_EQ(o.status, CellStatus::kError);
      EXPECT_EQ(o.error.rfind("reference 'offset[size=13]' (seed " + std::to_string(spec.seed) +
                                  ") failed: the offset of size 13 fails on purpose",
                              0),
                0u)
          << o.error;
      EXPECT_EQ(o.wall_seconds, 0.0);  // never ran
    } else {
      EXPECT_EQ(o.status, CellStatus::kOk) << o.error;
    }
  }
  EXPECT_EQ(failed, 2);
  EXPECT_EQ(summary.failed, 2 + 2);  // 2 references + their 2 dependants
}

}  // namespace
}  // namespace sb
