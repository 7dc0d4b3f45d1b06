#include "harness/cli/commands.h"

namespace sb {

const std::vector<Command>& commands() {
  static const std::vector<Command> all = {
      {run_spec(), cmd_run},
      {list_spec(), cmd_list},
      {status_spec(), cmd_status},
      {leaderboard_spec(), cmd_leaderboard},
      {compare_spec(), cmd_compare},
      {table_spec(), cmd_table},
      {reproduce_spec(), cmd_reproduce},
      {query_spec(), cmd_query},
      {merge_spec(), cmd_merge},
      {slurm_spec(), cmd_slurm},
      {report_spec(), cmd_report},
  };
  return all;
}

}  // namespace sb
