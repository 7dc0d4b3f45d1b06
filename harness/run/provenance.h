// The machine a run ran on, recorded with its provenance (runs.environment,
// docs/DATABASE.md): hosts and ranks per host, CPU model and cores, memory,
// MPI library, launcher, scheduler and job id, OS, and the versions of the
// libraries linked in.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "harness/run/launch_checks.h"

namespace sb {

// This process's host facts, one line for Comm::gather:
// "host\tCPU model\tlogical cores\tmemory MiB".
std::string host_facts_line();

// The run's environment as (name, value) pairs in a fixed order, from every
// rank's host_facts_line (index = rank) and rank 0's environment. Where the
// hosts differ, a value lists each host's ("node1: X; node2: Y").
std::vector<std::pair<std::string, std::string>> run_environment(const std::vector<std::string>& host_lines,
                                                                 const EnvLookup& env);

}  // namespace sb
