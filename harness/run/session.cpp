#include "harness/run/session.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <thread>

#include "harness/core/bytes.h"
#include "harness/core/errors.h"
#include "harness/run/build_info.h"
#include "harness/run/comm.h"
#include "harness/run/config.h"
#include "harness/run/farm.h"
#include "harness/run/launch_checks.h"
#include "harness/run/progress.h"
#include "harness/run/provenance.h"
#include "harness/run/recorder.h"
#include "results/store/database.h"

namespace sb {

CellSelection select_cells(const Plan& plan, const std::unordered_set<std::string>& done, int shard_index,
                           int shard_count, bool force) {
  CellSelection s;
  for (std::uint32_t i = 0; i < plan.cells.size(); ++i) {
    if (shard_count > 1 && shard_of_cell(plan, i, shard_count) != shard_index) continue;
    ++s.in_shard;
    if (force || !done.count(plan.cells[i].key)) s.to_run.push_back(i);
  }
  return s;
}

// --- the messages between ranks ----------------------------------------------

std::string encode_run_start(const RunStart& start) {
  std::string out;
  bytes::put(out, static_cast<std::uint8_t>(start.verdict));
  bytes::put(out, static_cast<std::int32_t>(start.exit_code));
  bytes::put(out, start.cells_to_run);
  out += start.config_text;
  return out;
}

RunStart decode_run_start(std::string_view data) {
  bytes::Reader r(data, "run start message");
  RunStart s;
  const auto verdict = r.get<std::uint8_t>();
  if (verdict > static_cast<std::uint8_t>(RunStart::Verdict::kFailed)) {
    throw InternalError("malformed run start message (verdict {})", verdict);
  }
  s.verdict = static_cast<RunStart::Verdict>(verdict);
  s.exit_code = r.get<std::int32_t>();
  s.cells_to_run = r.get<std::uint64_t>();
  s.config_text = std::string(r.rest());
  return s;
}

std::string encode_run_end(int exit_code) {
  std::string out;
  bytes::put(out, static_cast<std::int32_t>(exit_code));
  return out;
}

int decode_run_end(std::string_view data) {
  bytes::Reader r(data, "run end message");
  const auto code = r.get<std::int32_t>();
  if (!r.done()) throw InternalError("malformed run end message ({} trailing bytes)", r.remaining());
  return code;
}

// --- the session ---------------------------------------------------------------

namespace {

// The whole command line as typed (for provenance), from /proc.
std::string own_command_line() {
  std::ifstream f("/proc/self/cmdline", std::ios::binary);
  std::string raw((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  for (char& c : raw)
    if (c == '\0') c = ' ';
  while (!raw.empty() && raw.back() == ' ') raw.pop_back();
  return raw;
}

std::string hostname() {
  char buf[256] = {};
  gethostname(buf, sizeof buf - 1);
  return buf;
}

void print_dry_run(const Plan& plan, const CellSelection& picked) {
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> per_method;  // label -> (total, to run)
  std::vector<char> runs(plan.cells.size(), 0);
  for (auto i : picked.to_run) runs[i] = 1;
  for (std::size_t i = 0; i < plan.cells.size(); ++i) {
    auto& e = per_method[plan.arm_of(plan.cells[i]).method_label];
    ++e.first;
    e.second += runs[i];
  }
  fmt::print("plan for suite '{}': {} cells total, {} in this shard, {} already done, {} to run\n", plan.suite,
             plan.cells.size(), picked.in_shard, picked.in_shard - picked.to_run.size(),
             picked.to_run.size());
  for (const auto& [label, counts] : per_method) {
    fmt::print("  {:<50} {:>8} cells {:>8} to run\n", label, counts.first, counts.second);
  }
}

// Per-cell bounds, and what executor children rebuild the plan from. The
// timeout: --timeout, else the config's `timeout`, else the default (so a
// hanging method can never hold an allocation forever).
ExecutorOptions executor_options(const RunRequest& request, const ExperimentConfig& config,
                                 const PlanOptions& plan_options) {
  ExecutorOptions o;
  o.timeout_seconds = request.timeout_seconds > 0   ? request.timeout_seconds
                      : config.timeout_seconds > 0 ? config.timeout_seconds
                                                   : kDefaultCellTimeoutSeconds;
  o.memory_limit_bytes = static_cast<std::uint64_t>(request.memory_limit_mb * 1024 * 1024);
  o.config_path = config.path;
  o.config_text = config.text;
  o.only_methods = plan_options.only_methods;
  o.only_datasets = plan_options.only_datasets;
  o.overrides = plan_options.overrides;
  o.seeds_override = plan_options.seeds_override;
  return o;
}

RunInfo make_run_info(const RunRequest& request, const Comm& comm, const std::string& config_text,
                      std::vector<std::string> hosts, const std::vector<std::string>& host_facts) {
  RunInfo info;
  const auto& build = build_info();
  info.tool_version = build.version;
  info.git_commit = build.git_commit;
  info.build_type = build.build_type;
  info.compiler = build.compiler;
  std::sort(hosts.begin(), hosts.end());
  hosts.erase(std::unique(hosts.begin(), hosts.end()), hosts.end());
  for (const auto& h : hosts) info.hosts += (info.hosts.empty() ? "" : ",") + h;
  info.mpi_size = comm.size();
  info.started_at = utc_now();
  info.status = "running";
  info.config_path = request.config_path;
  info.config_text = config_text;
  info.command_line = request.command_line.empty() ? own_command_line() : request.command_line;
  info.environment = run_environment(host_facts, process_env());
  return info;
}

JobSelection select_jobs(const Plan& plan, const CellSelection& cells, const Database* db, bool force_references,
                         ReferenceOutputs& recorded) {
  JobSelection out;
  std::vector<char> needed(plan.references.size(), 0);
  for (auto cell : cells.to_run)
    for (auto job : plan.reference_jobs_of(cell)) needed[job - plan.cells.size()] = 1;
  const auto ok = db && !force_references ? db->ok_reference_keys() : std::unordered_set<std::string>{};
  for (std::size_t r = 0; r < plan.references.size(); ++r) {
    if (!needed[r]) continue;
    const std::uint32_t job = plan.reference_job(r);
    if (ok.count(plan.references[r].key)) {
      auto record = db->find_reference(plan.references[r].key);
      if (record && record->status == CellStatus::kOk) {
        recorded[job] = std::make_shared<const CellOutput>(std::move(record->output));
        ++out.references_reused;
        continue;
      }
    }
    out.jobs.push_back(job);
  }
  out.jobs.insert(out.jobs.end(), cells.to_run.begin(), cells.to_run.end());
  out.cells = cells.to_run.size();
  return out;
}

// Rank 0's planning: everything is validated and the database opened before
// any other rank starts computing.
struct Prepared {
  ExperimentConfig config;
  Plan plan;
  CellSelection picked;
  JobSelection jobs;
  ReferenceOutputs reference_outputs;  // recorded earlier, needed now
  std::unique_ptr<Database> db;  // null on a dry run
  std::unique_ptr<Executor> executor;
};

void prepare(const RunRequest& request, PlanOptions& plan_options, Prepared& p) {
  p.config = load_config(request.config_path);
  if (!request.dry_run) {
    // The executor's child starts before the plan is built: both plan at
    // once, and the child's start-up (exec) overlaps.
    p.executor = std::make_unique<Executor>(p.plan, executor_options(request, p.config, plan_options), 0);
    p.executor->prestart();
  }
  plan_options.validate_datasets = true;  // rank 0 only: user data files checked once per run
  p.plan = make_plan(p.config, plan_options);
  std::unordered_set<std::string> done;
  std::optional<Database> read_only;  // a dry run reads what is recorded, writes nothing
  if (request.dry_run) {
    if (access(request.db_path.c_str(), F_OK) == 0) {
      read_only.emplace(request.db_path, Database::Mode::kReadOnly);
      done = read_only->ok_keys();
    }
  } else {
    check_database_storage(request.db_path, process_env());
    p.db = std::make_unique<Database>(request.db_path, Database::Mode::kReadWrite);
    p.db->claim_writer();
    for (std::int64_t id : p.db->mark_stale_runs()) {
      fmt::print(stderr,
                 "[shardbench] run {} was still recorded as running, but its process is gone "
                 "(killed, out of disk space, or the machine restarted): marked interrupted\n",
                 id);
    }
    done = p.db->ok_keys();
  }
  p.picked = select_cells(p.plan, done, request.shard_index, request.shard_count, request.force);
  p.jobs = select_jobs(p.plan, p.picked, read_only ? &*read_only : p.db.get(), request.force_references,
                       p.reference_outputs);
}

// Rank 0 once planning succeeded: farm, record, report; returns the exit code.
int coordinate(const RunRequest& request, const Comm& comm, Prepared& p, const std::vector<std::string>& hosts,
               const std::vector<std::string>& host_facts) {
  Database& db = *p.db;
  const auto& to_run = p.jobs.jobs;
  RunInfo run = make_run_info(request, comm, p.config.text, hosts, host_facts);
  for (const PlannedInput& in : p.plan.inputs) run.inputs.push_back({0, in.path, in.hash, in.size_bytes});
  const std::int64_t run_id = db.begin_run(run);  // with its inputs (docs/EXTERNAL.md)
  fmt::print(stderr, "[shardbench] run {}: {} cells to run ({} done before) on {} rank{}, database {}\n", run_id,
             p.jobs.cells, p.picked.in_shard - p.jobs.cells, comm.size(), comm.size() > 1 ? "s" : "",
             request.db_path);
  const std::size_t references_to_compute = to_run.size() - p.jobs.cells;
  if (references_to_compute > 0 || p.jobs.references_reused > 0) {
    fmt::print(stderr, "[shardbench] references: {} to compute first, {} recorded before and reused{}\n",
               references_to_compute, p.jobs.references_reused,
               references_to_compute > 0 ? " (the progress counts cells and references as jobs)" : "");
  }
  Recorder recorder(db, p.plan, run_id, hosts);
  std::int64_t references_finished = 0, references_failed = 0;
  const bool stderr_is_tty = isatty(STDERR_FILENO) != 0;
  std::FILE* terminal = stderr_is_tty || !launched_by_mpi() ? nullptr : Progress::launching_terminal();
  Progress progress(static_cast<std::int64_t>(to_run.size()), stderr_is_tty || terminal != nullptr, 10.0,
                    terminal != nullptr ? terminal : stderr, references_to_compute > 0 ? "jobs" : "cells");
  progress.also_log_final_line_to(stderr);
  FarmOptions farm_options;
  farm_options.max_retries = request.max_retries >= 0 ? request.max_retries : std::max(0, p.config.max_retries);
  FarmSummary summary = run_coordinator(p.plan, to_run, farm_options, comm, *p.executor, p.reference_outputs,
                                        [&](std::vector<CellOutcome>& outcomes, const FarmSummary& so_far) {
                                          for (const auto& o : outcomes) {
                                            if (!p.plan.is_reference_job(o.index)) continue;
                                            ++references_finished;
                                            references_failed += o.status != CellStatus::kOk;
                                          }
                                          recorder.add(outcomes);
                                          progress.update(so_far.finished, so_far.failed);
                                        });
  recorder.flush(true);
  progress.finish(summary.finished, summary.failed);

  int code = 0;
  std::string status = "ok";
  if (summary.stop_signal) {
    code = 128 + summary.stop_signal;
    status = "interrupted";
  } else if (summary.failed > 0) {
    code = request.exit_zero_on_failed_cells ? 0 : 1;
    status = "failed-cells";
  }
  db.finish_run(run_id, status, utc_now());
  std::string end = encode_run_end(code);
  comm.broadcast(end);

  if (summary.stop_signal) {
    fmt::print(stderr,
               "[shardbench] stopped by signal {} ({}): {} cells recorded, {} not run; run the same command "
               "to resume\n",
               summary.stop_signal, strsignal(summary.stop_signal), summary.finished,
               static_cast<std::int64_t>(to_run.size()) - summary.finished);
  } else {
    const std::int64_t cells = summary.finished - references_finished;
    const std::int64_t failed = summary.failed - references_failed;
    fmt::print(stderr, "[shardbench] run {} finished: {} cells, {} ok, {} failed{}{}; results in {}\n", run_id,
               cells, cells - failed, failed,
               summary.retried ? fmt::format("; {} retried, {} succeeded on retry", summary.retried,
                                             summary.recovered)
                               : "",
               references_finished ? fmt::format("; {} references computed, {} failed", references_finished,
                                                 references_failed)
                                   : "",
               request.db_path);
  }
  for (const auto& f : recorder.failure_samples()) fmt::print(stderr, "  failed: {}\n", f);
  if (summary.failed > static_cast<std::int64_t>(recorder.failure_samples().size())) {
    fmt::print(stderr, "  ... see `shardbench status --db {}`\n", request.db_path);
  }
  // Open MPI's mpirun calls any job with a non-zero exit "aborted" (unless
  // --mca orte_abort_on_non_zero_status 0, which also makes it exit 0):
  // say what the exit code means before it does (docs/ARCHITECTURE.md).
  if (code == 1 && comm.using_mpi()) {
    fmt::print(stderr,
               "[shardbench] exit code 1 = some cells failed; the run itself completed and recorded every cell "
               "(a launcher's \"job aborted\" notice below reports only this exit code; "
               "--exit-zero-on-failed-cells exits 0)\n");
  }
  return code;
}

int run_rank0(const RunRequest& request, Comm& comm, PlanOptions plan_options) {
  Prepared p;
  RunStart start;
  try {
    prepare(request, plan_options, p);
  } catch (const std::exception& e) {
    // The other ranks stop quietly with the same exit code; main reports.
    start.verdict = RunStart::Verdict::kFailed;
    start.exit_code = dynamic_cast<const InputError*>(&e) ? 2 : 3;
    std::string bytes = encode_run_start(start);
    comm.broadcast(bytes);
    throw;
  }
  const bool compute = !request.dry_run && !p.picked.to_run.empty();
  start.verdict = compute ? RunStart::Verdict::kCompute : RunStart::Verdict::kNothing;
  start.cells_to_run = compute ? p.jobs.jobs.size() : 0;
  start.config_text = p.config.text;
  std::string bytes = encode_run_start(start);
  comm.broadcast(bytes);

  if (request.dry_run) {
    print_dry_run(p.plan, p.picked);
    if (!p.plan.references.empty()) {
      fmt::print("references: {} needed by the cells to run: {} to compute, {} recorded\n",
                 p.jobs.jobs.size() - p.jobs.cells + p.jobs.references_reused, p.jobs.jobs.size() - p.jobs.cells,
                 p.jobs.references_reused);
    }
    return 0;
  }
  if (!compute) {
    fmt::print("nothing to run: all {} cells of {} are already in {} with status ok\n", p.picked.in_shard,
               request.config_path, request.db_path);
    return 0;
  }
  auto hosts = comm.gather(hostname());
  const auto host_facts = comm.gather(host_facts_line());  // for provenance
  try {
    const int code = coordinate(request, comm, p, hosts, host_facts);
    p.executor.reset();
    // Closing the database checkpoints its WAL into the file (~35 ms for the
    // Kang-Schafer study): done on another thread while MPI finalises, as
    // the other ranks wait for rank 0 in MPI_Finalize.
    std::thread closer([&p] { p.db.reset(); });
    comm.finalize();
    closer.join();
    return code;
  } catch (const std::exception& e) {
    // The workers are mid-protocol: they cannot be finalised cleanly.
    if (comm.using_mpi()) {
      p.executor.reset();  // its process group dies with it
      fmt::print(stderr, "shardbench: error: {}\n", e.what());
      comm.abort(3);
    }
    throw;
  }
}

int run_other_rank(const RunRequest& request, Comm& comm, PlanOptions plan_options) {
  std::string bytes;
  comm.broadcast(bytes);
  const RunStart start = decode_run_start(bytes);
  // Rank 0 reports the error and exits with its code; this rank exits 0, or
  // mpirun could kill rank 0 (a rank failed) before it has printed why.
  if (start.verdict == RunStart::Verdict::kFailed) return 0;
  if (start.verdict == RunStart::Verdict::kNothing) return 0;
  plan_options.compute_keys = false;  // only rank 0 reads and writes keys
  ExperimentConfig config = parse_config(request.config_path, start.config_text);
  Plan plan;
  auto executor = std::make_unique<Executor>(plan, executor_options(request, config, plan_options), comm.rank());
  executor->prestart();
  plan = make_plan(config, plan_options);
  comm.gather(hostname());
  comm.gather(host_facts_line());
  run_worker(plan, FarmOptions{}, comm, *executor);
  executor.reset();  // the idle child exits; grandchildren are killed
  std::string end;
  comm.broadcast(end);
  // Failed cells are rank 0's verdict to report (its exit code 1); a worker
  // exiting 1 as well would only add a second "non-zero exit" to mpirun's notice.
  const int code = decode_run_end(end);
  return code == 1 ? 0 : code;
}

}  // namespace

int run_session(const RunRequest& request, Comm& comm) {
  PlanOptions plan_options;
  plan_options.only_methods = request.only;
  plan_options.only_methods_option = request.only_option;
  plan_options.only_datasets = request.datasets;
  plan_options.overrides = request.overrides;
  plan_options.seeds_override = request.seeds;
  plan_options.max_cells = request.max_cells;
  return comm.rank() == 0 ? run_rank0(request, comm, plan_options) : run_other_rank(request, comm, plan_options);
}

}  // namespace sb
