#!/usr/bin/env bash
# The unlearning suite end to end: benchmarks/configs/unlearning-ridge.toml
# on mpirun -n 2 computes each reference (original model, retrain oracle)
# exactly once per (dataset, seed), every cell is ok, the leaderboard shows
# the view, and the metrics (speedup, a timing, aside) are bitwise those of
# a run without MPI.
source "$(dirname "${BASH_SOURCE[0]}")/../../integration/lib.sh"

CONFIG=$SRC/benchmarks/configs/unlearning-ridge.toml
export SB_REFERENCE_LOG=$WORK/computed.log

say "unlearning-ridge on mpirun -n 2: 2 datasets x 5 seeds x 2 references, 2 x 5 x 13 cells"
run_cmd mpi "${MPIRUN[@]}" -n 2 "$SB" run "$CONFIG" --db mpi.sqlite
check_rc "run" 0 mpi
check_eq "reference computations (counter)" 20 "$(wc -l < computed.log)"
check_eq "distinct references" 20 "$(sort -u computed.log | wc -l)"
check_eq "cells ok" 130 "$(sql mpi.sqlite "SELECT count(*) FROM cells WHERE status = 'ok'")"

say "the leaderboard prints one table per dataset"
run_cmd board "$SB" leaderboard --suite unlearning --db mpi.sqlite
check_rc "leaderboard" 0 board
check_eq "tables" 2 "$(grep -c '^Unlearning: ' board.out)"
check_file_contains "ridge-exact row" board.out "ridge-exact"

say "the same metrics without MPI (speedup aside)"
rm -f computed.log
run_cmd solo "$SB" run "$CONFIG" --db solo.sqlite
check_rc "run without MPI" 0 solo
dump() { metrics_dump "$1" | grep -v '|speedup|'; }
check_eq "metrics, bitwise" "$(dump mpi.sqlite)" "$(dump solo.sqlite)"
check_eq "ridge-exact's param_rel_l2 below 1e-9 in every cell" 10 \
  "$(sql mpi.sqlite "SELECT count(*) FROM results WHERE metric = 'param_rel_l2' AND value < 1e-9 AND method = 'ridge-exact'")"

finish
