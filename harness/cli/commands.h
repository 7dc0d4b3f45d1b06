// The subcommands of `shardbench`. Each lives in its own cmd_*.cpp file and
// returns the process exit code (0 ok, 1 some cells failed / outside
// tolerance); errors are thrown as typed exceptions and mapped by main().
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "harness/cli/args.h"
#include "harness/run/session.h"

namespace sb {

struct Table;

struct Command {
  CommandSpec spec;
  std::function<int(const Args&)> run;
};

// All commands, in the order `shardbench --help` lists them.
const std::vector<Command>& commands();

// Shared option texts.
inline const char* kDefaultDb = "results.sqlite";
inline OptionSpec db_option() { return {"--db", "FILE", "results database (default: results.sqlite)"}; }

// Runs (or plans) an experiment on every rank (MPI set up here, then
// run_session); returns the exit code.
int execute_run(const RunRequest& request);

// Renders tables in the --format of `args` (term by default, ANSI marks
// when stdout is a terminal): blank-line separated, or one JSON array.
std::string render_all(const std::vector<Table>& tables, const Args& args);

// Every rank but 0 must stay silent; main() uses this to decide who prints.
bool is_quiet_rank();

int cmd_run(const Args& args);
int cmd_list(const Args& args);
int cmd_status(const Args& args);
int cmd_leaderboard(const Args& args);
int cmd_table(const Args& args);
int cmd_reproduce(const Args& args);
int cmd_query(const Args& args);
int cmd_merge(const Args& args);
int cmd_report(const Args& args);
int cmd_slurm(const Args& args);
int cmd_compare(const Args& args);

CommandSpec run_spec();
CommandSpec list_spec();
CommandSpec status_spec();
CommandSpec leaderboard_spec();
CommandSpec table_spec();
CommandSpec reproduce_spec();
CommandSpec query_spec();
CommandSpec merge_spec();
CommandSpec report_spec();
CommandSpec slurm_spec();
CommandSpec compare_spec();

}  // namespace sb
