// `shardbench merge`: combines databases written by separate jobs. Rules
// (docs/DATABASE.md, "Merging"): same key = same cell; an ok result replaces
// a failed one; two different ok results are a conflict, reported and never
// overwritten.
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "harness/core/errors.h"
#include "harness/core/json.h"
#include "results/store/database.h"

namespace sb {
namespace {

constexpr size_t kMergeBatch = 2000;  // cells per write transaction

bool same_value(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || a == b;
}

// Empty if the two (name-sorted) metric lists are equal, else a description
// of the first difference.
std::string first_metric_difference(const CellRecord& out, const CellRecord& in,
                                    const std::string& out_path, const std::string& in_path) {
  size_t i = 0, j = 0;
  while (i < out.metrics.size() || j < in.metrics.size()) {
    if (j == in.metrics.size() ||
        (i < out.metrics.size() && out.metrics[i].first < in.metrics[j].first)) {
      return fmt::format("metric '{}' is in {} but not in {}", out.metrics[i].first, out_path,
                         in_path);
    }
    if (i == out.metrics.size() || in.metrics[j].first < out.metrics[i].first) {
      return fmt::format("metric '{}' is in {} but not in {}", in.metrics[j].first, in_path,
                         out_path);
    }
    if (!same_value(out.metrics[i].second, in.metrics[j].second)) {
      return fmt::format("metric '{}' is {} in {} but {} in {}", out.metrics[i].first,
                         json_number(out.metrics[i].second), out_path,
                         json_number(in.metrics[j].second), in_path);
    }
    ++i;
    ++j;
  }
  return "";
}

auto provenance(const RunInfo& r) {
  return std::tie(r.tool_version, r.git_commit, r.build_type, r.compiler, r.hosts, r.mpi_size,
                  r.started_at, r.finished_at, r.status, r.config_path, r.config_text,
                  r.command_line, r.environment);
}

// Copies the runs of `in` into `out` (a run with identical provenance already
// in `out` is reused, so merging the same file twice adds nothing). Returns
// the map from `in`'s run ids to `out`'s.
std::map<std::int64_t, std::int64_t> merge_runs(Database& out, const Database& in,
                                                MergeReport& report) {
  std::vector<RunInfo> existing = out.runs();
  std::map<std::int64_t, std::int64_t> id_map;
  for (const RunInfo& run : in.runs()) {
    std::optional<std::int64_t> found;
    for (const RunInfo& e : existing) {
      if (provenance(e) == provenance(run)) found = e.run_id;
    }
    if (!found) {
      found = out.add_run(run);  // with its inputs
      report.run_inputs_added += static_cast<std::int64_t>(run.inputs.size());
      RunInfo added = run;
      added.run_id = *found;
      existing.push_back(std::move(added));
      ++report.runs_added;
    }
    id_map[run.run_id] = *found;
  }
  return id_map;
}

MergeReport merge_into(const std::string& out_path,
                       const std::vector<std::unique_ptr<Database>>& sources);

}  // namespace

MergeReport merge_databases(const std::string& out_path, const std::vector<std::string>& inputs) {
  // Every input is checked (exists, is a shardbench database of a readable
  // version) before OUT is created or touched.
  std::vector<std::unique_ptr<Database>> sources;
  for (const std::string& in : inputs) {
    std::error_code ec;
    if (std::filesystem::exists(out_path, ec) && std::filesystem::equivalent(in, out_path, ec)) {
      throw DatabaseError("cannot merge {} into itself", in);
    }
    if (!std::filesystem::exists(in, ec)) throw InputError("merge: input {} does not exist", in);
    sources.push_back(std::make_unique<Database>(in, Database::Mode::kReadOnly));
  }

  // All inputs go into OUT in one transaction: an input that turns out to be
  // corrupt half-way leaves OUT as it was. An OUT created here is removed.
  std::error_code ec;
  const bool out_existed = std::filesystem::exists(out_path, ec);
  auto remove_new_out = [&] {
    if (out_existed) return;
    for (const char* suffix : kDatabaseFileSuffixes) {
      std::filesystem::remove(out_path + suffix, ec);
    }
  };
  try {
    return merge_into(out_path, sources);
  } catch (const DatabaseError& e) {
    remove_new_out();
    throw DatabaseError("merge into {} failed; nothing was merged ({}): {}", out_path,
                        out_existed ? "it is unchanged" : "it was not created", e.what());
  } catch (...) {
    remove_new_out();
    throw;
  }
}

namespace {

// Bit for bit (NaN equals NaN): encoded outputs compared.
bool same_output_bits(const CellOutput& a, const CellOutput& b) {
  CellOutput a0 = a, b0 = b;
  a0.method_seconds = b0.method_seconds = 0;  // a timing, not a result
  std::string ea, eb;
  encode_cell_output(a0, ea);
  encode_cell_output(b0, eb);
  return ea == eb;
}

// References merge like cells: same key and same output, one copy; an ok
// one replaces a failed one; two ok ones with different outputs are a
// conflict (OUT's is kept and the conflict reported).
void merge_references(Database& out, const Database& in, const std::map<std::int64_t, std::int64_t>& run_ids,
                      MergeReport& report) {
  std::vector<ReferenceRecord> take;
  for (auto& ref : in.read_references(/*with_outputs=*/true)) {
    const auto old = out.find_reference(ref.key);
    bool replace = false;
    if (!old) {
      ++report.references_added;
      replace = true;
    } else if (old->status == ref.status && same_output_bits(old->output, ref.output)) {
      ++report.references_identical;
    } else if (old->status != CellStatus::kOk && ref.status == CellStatus::kOk) {
      ++report.references_replaced;
      replace = true;
    } else if (old->status == CellStatus::kOk && ref.status == CellStatus::kOk) {
      report.conflicts.push_back(fmt::format("reference {} ({}, seed {}): different outputs in {} and {}; kept "
                                             "the one in {}",
                                             ref.key, ref.label, ref.seed, out.path(), in.path(), out.path()));
    }
    if (!replace) continue;
    const auto it = run_ids.find(ref.run_id);
    ref.run_id = it == run_ids.end() ? 0 : it->second;
    take.push_back(std::move(ref));
  }
  if (!take.empty()) out.write_references(take);
}

MergeReport merge_into(const std::string& out_path,
                       const std::vector<std::unique_ptr<Database>>& sources) {
  MergeReport report;
  Database out(out_path, Database::Mode::kReadWrite);
  Database::BulkWriteScope bulk_write(out);  // write_cells keeps the references
  Database::Transaction transaction(out);
  for (const auto& source : sources) {
    const Database& in = *source;
    const auto run_ids = merge_runs(out, in, report);
    std::vector<CellRecord> batch;
    in.for_each_cell("", /*with_artifacts=*/true, [&](const CellRecord& cell) {
      std::optional<CellRecord> old = out.find_cell(cell.key);
      bool take = false;
      if (!old) {
        take = true;
        ++report.cells_added;
      } else if (old->status == cell.status &&
                 first_metric_difference(*old, cell, out_path, in.path()).empty()) {
        ++report.cells_identical;
      } else if (old->status != CellStatus::kOk && cell.status == CellStatus::kOk) {
        take = true;
        ++report.cells_replaced;
      } else if (old->status == CellStatus::kOk && cell.status == CellStatus::kOk) {
        report.conflicts.push_back(fmt::format(
            "cell {} (suite {}, dataset {}, method {}, seed {}): {}; kept the result in {}",
            cell.key, cell.suite, cell.dataset_label, cell.method_label, cell.seed,
            first_metric_difference(*old, cell, out_path, in.path()), out_path));
      }
      // Otherwise the input's cell failed (or both failed differently): OUT's
      // cell is kept and the input's is not counted.
      if (!take) return;
      CellRecord copy = cell;
      auto it = run_ids.find(cell.run_id);
      copy.run_id = it == run_ids.end() ? 0 : it->second;
      batch.push_back(std::move(copy));
      if (batch.size() >= kMergeBatch) {
        out.write_cells(batch);
        batch.clear();
      }
    });
    out.write_cells(batch);
    merge_references(out, in, run_ids, report);
  }
  transaction.commit();
  return report;
}

}  // namespace
}  // namespace sb
