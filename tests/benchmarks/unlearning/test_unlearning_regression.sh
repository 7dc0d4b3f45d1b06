#!/usr/bin/env bash
# Regression unlearning end to end: benchmarks/configs/unlearning-regression.toml
# (ridge) and unlearning-regression-mlp.toml (one-output MLP) on mpirun -n 2:
# every cell ok, each reference computed once per (dataset, seed), the exact
# methods on the ridge oracle, the leaderboard showing mean squared errors,
# and the metrics (speedup aside) bitwise those of a run without MPI.
source "$(dirname "${BASH_SOURCE[0]}")/../../integration/lib.sh"

export SB_REFERENCE_LOG=$WORK/computed.log

say "unlearning-regression on mpirun -n 2: 2 forget kinds x 5 seeds x 2 references, 2 x 5 x 8 cells"
run_cmd ridge "${MPIRUN[@]}" -n 2 "$SB" run "$SRC/benchmarks/configs/unlearning-regression.toml" --db ridge.sqlite
check_rc "run" 0 ridge
check_eq "reference computations (counter)" 20 "$(wc -l < computed.log)"
check_eq "cells ok" 80 "$(sql ridge.sqlite "SELECT count(*) FROM cells WHERE status = 'ok'")"
check_eq "exact removal (ridge-exact, newton-removal, retrain) on the oracle in every cell" 30 \
  "$(sql ridge.sqlite "SELECT count(*) FROM results WHERE metric = 'param_rel_l2' AND value < 1e-9
                        AND method IN ('ridge-exact', 'newton-removal', 'retrain')")"
check_eq "MSE, not accuracy" "0|80" \
  "$(sql ridge.sqlite "SELECT sum(metric = 'acc_test'), sum(metric = 'mse_test') FROM results")"

say "the leaderboard's tables show the mean squared errors"
run_cmd board "$SB" leaderboard --suite unlearning --db ridge.sqlite
check_rc "leaderboard" 0 board
check_eq "tables" 2 "$(grep -c '^Unlearning: diabetes' board.out)"
check_file_contains "MSE column" board.out "MSE forget"

say "the same metrics without MPI (speedup aside)"
run_cmd solo "$SB" run "$SRC/benchmarks/configs/unlearning-regression.toml" --db solo.sqlite
check_rc "run without MPI" 0 solo
dump() { metrics_dump "$1" | grep -v '|speedup|'; }
check_eq "metrics, bitwise" "$(dump ridge.sqlite)" "$(dump solo.sqlite)"

say "unlearning-regression-mlp on mpirun -n 2: Blindspot and Gaussian fine-tuning against the noise floor"
run_cmd mlp "${MPIRUN[@]}" -n 2 "$SB" run "$SRC/benchmarks/configs/unlearning-regression-mlp.toml" --db mlp.sqlite
check_rc "run" 0 mlp
check_eq "cells ok" 15 "$(sql mlp.sqlite "SELECT count(*) FROM cells WHERE status = 'ok'")"
check_eq "a positive noise floor in every cell" 15 \
  "$(sql mlp.sqlite "SELECT count(*) FROM results WHERE metric = 'noise_floor' AND value > 0")"
check_eq "the retrain from the oracle's seed is the oracle" 5 \
  "$(sql mlp.sqlite "SELECT count(*) FROM results WHERE metric = 'avg_gap' AND value = 0 AND method = 'retrain'")"

finish
