// `shardbench status`: done / failed / missing cells per suite and method.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>

#include "harness/cli/commands.h"
#include "harness/cli/record_filter.h"
#include "harness/cli/text_table.h"
#include "harness/core/errors.h"
#include "harness/run/config.h"
#include "harness/run/plan.h"
#include "results/store/database.h"

namespace sb {

CommandSpec status_spec() {
  return {"status",
          "[--db FILE] [--inputs] [CONFIG.toml]",
          "Shows, per suite and method, the cells done (ok), failed (error, timeout, crashed)\n"
          "and missing. Missing cells are counted against CONFIG, or by default against the\n"
          "config of the latest run recorded in the database. Cells run more than once\n"
          "(`run --max-retries`) are counted, and each failure shows its attempts. A run still\n"
          "recorded as running whose process is gone (killed, full disk, reboot) is marked\n"
          "interrupted.",
          {db_option(),
           {"--dataset", "GLOB", "only datasets whose name or full label matches, e.g. 'kang*' or '*n=1000*'"},
           {"--method", "GLOB", "only methods whose name or full label matches"},
           {"--inputs", "", "list every run's content-hashed input files (path, content hash, size)"}},
          0,
          1};
}

namespace {

// Runs left `running` by a process that is gone are marked interrupted (the
// database is opened for writing only then); on a database this user cannot
// write they are only reported.
void report_stale_runs(const Database& db, const std::string& path) {
  const std::vector<std::int64_t> stale = db.stale_runs();
  if (stale.empty()) return;
  std::string how = "marked interrupted";
  try {
    Database writer(path, Database::Mode::kReadWrite);
    writer.mark_stale_runs();
  } catch (const DatabaseError& e) {
    how = fmt::format("not marked interrupted: {}", e.what());
  }
  for (const RunInfo& r : db.runs()) {
    if (std::find(stale.begin(), stale.end(), r.run_id) == stale.end()) continue;
    fmt::print("run {} (started {}) is recorded as running, but no process holds it (killed, out "
               "of disk space, or the machine restarted): {}\n",
               r.run_id, r.started_at, how);
  }
  fmt::print("\n");
}

}  // namespace

namespace {

// References (shared computations such as trained base models): per name,
// recorded ok / failed, missing (not recorded) against the plan, and their cost apart from
// the methods'.
void print_references(const Database& db, const Plan* plan) {
  struct Counts {
    std::int64_t ok = 0, failed = 0, missing = 0;
    double wall = 0, cpu = 0;
    std::int64_t peak_rss_kb = 0;
  };
  std::map<std::string, Counts> by_name;
  std::unordered_set<std::string> recorded;
  for (const auto& r : db.read_references()) {
    Counts& c = by_name[r.suite + "/" + r.name];
    (r.status == CellStatus::kOk ? c.ok : c.failed) += 1;
    c.wall += r.wall_seconds;
    c.cpu += r.cpu_seconds;
    c.peak_rss_kb = std::max(c.peak_rss_kb, r.peak_rss_kb);
    recorded.insert(r.key);
  }
  if (plan) {
    for (const auto& r : plan->references) {
      if (!recorded.count(r.key)) ++by_name[plan->suite + "/" + plan->reference_templates[r.template_index].name].missing;
    }
  }
  if (by_name.empty()) return;
  TextTable table({"reference", "ok", "failed", "missing", "wall s", "cpu s", "peak MiB"});
  for (const auto& [name, c] : by_name) {
    table.add_row({name, std::to_string(c.ok), std::to_string(c.failed), plan ? std::to_string(c.missing) : "?",
                   fmt::format("{:.2f}", c.wall), fmt::format("{:.2f}", c.cpu),
                   fmt::format("{:.0f}", static_cast<double>(c.peak_rss_kb) / 1024)});
  }
  fmt::print("\nreferences (computed once per run, shared by the cells; cost not counted in the methods'):\n{}",
             table.aligned());
}

// cells.attempts exists from schema version 4 (older files are read as they are).
bool has_attempts(const Database& db) {
  return db.query("SELECT count(*) FROM pragma_table_info('cells') WHERE name = 'attempts'")
             .rows.at(0)
             .at(0)
             .value_or("0") != "0";
}

// Cells that took more than one attempt (`run --max-retries`):
// "N cells retried, M succeeded on retry".
void print_retries(const Database& db) {
  if (!has_attempts(db)) return;
  const auto r = db.query(
      "SELECT count(*), coalesce(sum(status = 'ok'), 0), coalesce(sum(attempts - 1), 0) FROM cells WHERE attempts > 1");
  const std::string retried = r.rows.at(0).at(0).value_or("0");
  if (retried == "0") return;
  fmt::print("retries: {} cell{} retried, {} succeeded on retry ({} extra attempts)\n", retried,
             retried == "1" ? "" : "s", r.rows.at(0).at(1).value_or("0"), r.rows.at(0).at(2).value_or("0"));
}

// The user files whose content entered cell keys (run_inputs): with
// --inputs every run's, else a one-line count for the latest run that has any.
void print_inputs(const Database& db, bool all) {
  const std::vector<RunInput> inputs = db.run_inputs();
  if (inputs.empty()) {
    if (all) fmt::print("\ninputs: no run of this database recorded content-hashed input files\n");
    return;
  }
  if (!all) {
    const std::int64_t latest = inputs.back().run_id;
    const auto n = std::count_if(inputs.begin(), inputs.end(), [&](const RunInput& i) { return i.run_id == latest; });
    fmt::print("\ninputs: run {} read {} content-hashed input file{} (`status --inputs` lists them)\n", latest, n,
               n == 1 ? "" : "s");
    return;
  }
  TextTable table({"run", "path", "content hash", "bytes"});
  for (const RunInput& i : inputs) {
    table.add_row({std::to_string(i.run_id), i.path, i.hash, std::to_string(i.size_bytes)});
  }
  fmt::print("\ninputs (user files whose content entered the cell keys, per run):\n{}", table.aligned());
}

}  // namespace

int cmd_status(const Args& args) {
  const std::string path = args.value_or("--db", kDefaultDb);
  Database db(path, Database::Mode::kReadOnly);
  report_stale_runs(db, path);
  struct Counts {
    std::int64_t ok = 0, error = 0, timeout = 0, crashed = 0, missing = 0;
  };
  std::map<std::pair<std::string, std::string>, Counts> rows;  // (suite, method_label)
  // --dataset / --method: a cell counts when its name or label matches.
  const auto dataset_glob = args.value("--dataset"), method_glob = args.value("--method");
  auto selected = [&](const std::string& dataset, const std::string& dataset_label, const std::string& method,
                      const std::string& method_label) {
    auto matches = [](const std::optional<std::string>& glob, const std::string& name, const std::string& label) {
      return !glob || glob_matches(*glob, name, label);
    };
    return matches(dataset_glob, dataset, dataset_label) && matches(method_glob, method, method_label);
  };
  auto result = db.query(
      "SELECT suite, method_label, status, COUNT(*), dataset, dataset_label, method FROM cells "
      "GROUP BY suite, method_label, status, dataset, dataset_label, method");
  for (const auto& r : result.rows) {
    if (!selected(r[4].value_or(""), r[5].value_or(""), r[6].value_or(""), r[1].value_or(""))) continue;
    Counts& c = rows[{r[0].value_or(""), r[1].value_or("")}];
    std::int64_t n = std::stoll(r[3].value_or("0"));
    const std::string status = r[2].value_or("");
    if (status == "ok") c.ok += n;
    else if (status == "error") c.error += n;
    else if (status == "timeout") c.timeout += n;
    else if (status == "crashed") c.crashed += n;
  }

  // Missing cells: plan the config and look each key up.
  std::string config_path, config_text, unplannable;
  const bool latest_run_config = args.positional().empty();
  if (!latest_run_config) {
    config_path = args.positional()[0];
    config_text = read_text_file(config_path);
  } else {
    auto runs = db.runs();
    if (!runs.empty()) {
      config_path = runs.back().config_path + " (latest run)";
      config_text = runs.back().config_text;
    }
  }
  std::optional<Plan> plan;
  if (!config_text.empty()) {
    try {
      plan = make_plan(parse_config(config_path, config_text), PlanOptions{});
    } catch (const InputError& e) {
      // The recorded config may name what this build lacks (another
      // version, another set of methods): missing is then unknown, which is
      // no reason to fail. A CONFIG given on the command line must plan.
      if (!latest_run_config) throw;
      unplannable = e.what();
    }
  }
  const bool missing_known = plan.has_value();
  if (plan) {
    auto recorded = db.query("SELECT key FROM cells");
    std::unordered_set<std::string> any;
    for (const auto& r : recorded.rows) any.insert(r[0].value_or(""));
    for (const auto& c : plan->cells) {
      const PlannedArm& arm = plan->arm_of(c);
      if (!selected(arm.spec.dataset, arm.dataset_label, arm.spec.method, arm.method_label)) continue;
      if (!any.count(c.key)) ++rows[{plan->suite, arm.method_label}].missing;
    }
  }

  TextTable table({"suite", "method", "ok", "error", "timeout", "crashed", "missing"});
  Counts total;
  for (const auto& [k, c] : rows) {
    table.add_row({k.first, k.second, std::to_string(c.ok), std::to_string(c.error), std::to_string(c.timeout),
                   std::to_string(c.crashed), missing_known ? std::to_string(c.missing) : "?"});
    total.ok += c.ok;
    total.error += c.error;
    total.timeout += c.timeout;
    total.crashed += c.crashed;
    total.missing += c.missing;
  }
  fmt::print("{}", table.aligned());
  fmt::print("\ntotal: {} ok, {} failed, {} missing{}\n", total.ok, total.error + total.timeout + total.crashed,
             missing_known ? std::to_string(total.missing) : std::string("?"),
             missing_known ? fmt::format(" (against {})", config_path) : "");
  if (!unplannable.empty()) {
    fmt::print("missing cells unknown: this build cannot plan the config of the latest run:\n  {}\n",
               unplannable);
  }
  print_retries(db);
  print_references(db, plan ? &*plan : nullptr);
  print_inputs(db, args.flag("--inputs"));
  if (total.error + total.timeout + total.crashed > 0) {
    auto errors = db.query(fmt::format(
        "SELECT dataset_label, method_label, seed, status, error, {}, dataset, method FROM cells WHERE status != 'ok' "
        "ORDER BY suite, dataset_label, method_label, seed",
        has_attempts(db) ? "attempts" : "1"));
    fmt::print("\nfirst failures:\n");
    int shown = 0;
    for (const auto& r : errors.rows) {
      if (!selected(r[6].value_or(""), r[0].value_or(""), r[7].value_or(""), r[1].value_or(""))) continue;
      if (++shown > 10) break;
      const std::string attempts = r[5].value_or("1");
      fmt::print("  {} {} seed {}: {}{}: {}\n", r[0].value_or(""), r[1].value_or(""), r[2].value_or(""),
                 r[3].value_or(""), attempts == "1" ? "" : fmt::format(" after {} attempts", attempts),
                 r[4].value_or(""));
    }
  }
  return 0;
}

}  // namespace sb
