// `shardbench status`: done / failed / missing cells per suite and method.
#include <fmt/format.h>

#include <map>
#include <tuple>

#include "harness/cli/commands.h"
#include "harness/cli/text_table.h"
#include "harness/core/errors.h"
#include "harness/run/config.h"
#include "harness/run/plan.h"
#include "results/store/database.h"

namespace sb {

CommandSpec status_spec() {
  return {"status",
          "[--db FILE] [CONFIG.toml]",
          "Shows, per suite and method, the cells done (ok), failed (error, timeout, crashed)\n"
          "and missing. Missing cells are counted against CONFIG, or by default against the\n"
          "config of the latest run recorded in the database.",
          {db_option()},
          0,
          1};
}

int cmd_status(const Args& args) {
  const std::string path = args.value_or("--db", kDefaultDb);
  Database db(path, Database::Mode::kReadOnly);
  struct Counts {
    std::int64_t ok = 0, error = 0, timeout = 0, crashed = 0, missing = 0;
  };
  std::map<std::pair<std::string, std::string>, Counts> rows;  // (suite, method_label)
  auto result = db.query(
      "SELECT suite, method_label, status, COUNT(*) FROM cells GROUP BY suite, method_label, status");
  for (const auto& r : result.rows) {
    Counts& c = rows[{r[0].value_or(""), r[1].value_or("")}];
    std::int64_t n = std::stoll(r[3].value_or("0"));
    const std::string status = r[2].value_or("");
    if (status == "ok") c.ok += n;
    else if (status == "error") c.error += n;
    else if (status == "timeout") c.timeout += n;
    else if (status == "crashed") c.crashed += n;
  }

  // Missing cells: plan the config and look each key up.
  std::string config_path, config_text;
  if (!args.positional().empty()) {
    config_path = args.positional()[0];
    config_text = read_text_file(config_path);
  } else {
    auto runs = db.runs();
    if (!runs.empty()) {
      config_path = runs.back().config_path + " (latest run)";
      config_text = runs.back().config_text;
    }
  }
  if (!config_text.empty()) {
    Plan plan = make_plan(parse_config(config_path, config_text), PlanOptions{});
    auto recorded = db.query("SELECT key FROM cells");
    std::unordered_set<std::string> any;
    for (const auto& r : recorded.rows) any.insert(r[0].value_or(""));
    for (const auto& c : plan.cells) {
      if (!any.count(c.key)) ++rows[{plan.suite, plan.arm_of(c).method_label}].missing;
    }
  }

  TextTable table({"suite", "method", "ok", "error", "timeout", "crashed", "missing"});
  Counts total;
  for (const auto& [k, c] : rows) {
    table.add_row({k.first, k.second, std::to_string(c.ok), std::to_string(c.error), std::to_string(c.timeout),
                   std::to_string(c.crashed), config_text.empty() ? "?" : std::to_string(c.missing)});
    total.ok += c.ok;
    total.error += c.error;
    total.timeout += c.timeout;
    total.crashed += c.crashed;
    total.missing += c.missing;
  }
  fmt::print("{}", table.aligned());
  fmt::print("\ntotal: {} ok, {} failed, {} missing{}\n", total.ok, total.error + total.timeout + total.crashed,
             config_text.empty() ? std::string("?") : std::to_string(total.missing),
             config_text.empty() ? "" : fmt::format(" (against {})", config_path));
  if (total.error + total.timeout + total.crashed > 0) {
    auto errors = db.query(
        "SELECT dataset_label, method_label, seed, status, error FROM cells WHERE status != 'ok' "
        "ORDER BY suite, dataset_label, method_label, seed LIMIT 10");
    fmt::print("\nfirst failures:\n");
    for (const auto& r : errors.rows) {
      fmt::print("  {} {} seed {}: {}: {}\n", r[0].value_or(""), r[1].value_or(""), r[2].value_or(""),
                 r[3].value_or(""), r[4].value_or(""));
    }
  }
  return 0;
}

}  // namespace sb
