#!/usr/bin/env bash
# The searched forget sets end to end: benchmarks/configs/unlearning-scenarios.toml
# (worst-case and high-memorization sets) on mpirun -n 2 computes each
# reference once, every cell is ok, and the metrics (speedup aside) are
# bitwise those of a run without MPI: the searches are deterministic whatever
# rank runs them. Then a label-free request: the seven methods that do not
# need the forget labels run; pairing one that does is a config error.
source "$(dirname "${BASH_SOURCE[0]}")/../../integration/lib.sh"

CONFIG=$SRC/benchmarks/configs/unlearning-scenarios.toml
export SB_REFERENCE_LOG=$WORK/computed.log

say "unlearning-scenarios on mpirun -n 2: 2 forget sets x 3 seeds x 2 references, 2 x 3 x 12 cells"
run_cmd mpi "${MPIRUN[@]}" -n 2 "$SB" run "$CONFIG" --db mpi.sqlite
check_rc "run" 0 mpi
check_eq "reference computations (counter)" 12 "$(wc -l < computed.log)"
check_eq "distinct references" 12 "$(sort -u computed.log | wc -l)"
check_eq "cells ok" 72 "$(sql mpi.sqlite "SELECT count(*) FROM cells WHERE status = 'ok'")"

say "the same metrics without MPI (speedup aside)"
rm -f computed.log
run_cmd solo "$SB" run "$CONFIG" --db solo.sqlite
check_rc "run without MPI" 0 solo
dump() { metrics_dump "$1" | grep -v '|speedup|'; }
check_eq "metrics, bitwise" "$(dump mpi.sqlite)" "$(dump solo.sqlite)"

say "label-free: the methods that need no forget labels run, the others are refused"
cat > free.toml <<TOML
suite = "unlearning"
seeds = 2
[[datasets]]
name = "breast-cancer"
n_train = 300
n_test = 134
n_heldout = 134
forget = "worst-case"
fraction = 0.05
label_free = true
TOML
for m in retrain finetune sisa newton-removal amnesiac scrub fisher; do printf '[[methods]]\nname = "%s"\n' "$m"; done >> free.toml
run_cmd free "${MPIRUN[@]}" -n 2 "$SB" run free.toml --db free.sqlite
check_rc "label-free run" 0 free
check_eq "label-free cells ok" 14 "$(sql free.sqlite "SELECT count(*) FROM cells WHERE status = 'ok'")"
{ cat free.toml; printf '[[methods]]\nname = "salun"\n'; } > refused.toml
run_cmd refused "$SB" run refused.toml --db refused.sqlite
check_rc "a label-needing method in a label-free config" 2 refused
check_file_contains "the reason" refused.err "needs the forget rows' labels"

finish
