#!/usr/bin/env bash
# TMC Data Shapley with logistic regression on breast-cancer (400 training
# rows): utility evaluations per second, ours (one split cell of
# benchmarks/configs/bench/selection-tmc.toml: 1,000 full permutations =
# 400,000 fits, parts of 25) vs a scikit-learn LogisticRegression TMC loop written as
# OpenDataVal's TMCSampler runs it (scripts/bench/tmc_opendataval.py), in the
# same run; then the split cell's throughput on mpirun -n 2 vs -n 1 (values
# must be bitwise equal). Figures: docs/PERFORMANCE.md.
#   scripts/bench-selection-tmc.sh [PEER_PERMUTATIONS]   (default 2 = 790 fits)
# SB_BIN=path runs another build.
source "$(dirname "$0")/bench/lib.sh"
PEER_PERMUTATIONS=${1:-2}
BIN=$(release_binary shardbench "${SB_BIN:-}")
CONFIG=$ROOT/benchmarks/configs/bench/selection-tmc.toml
q() { sqlite3 -readonly "$1" "$2"; }
machine_line
declare -A wall
run_ours() {  # $1 = rank count
  local t0 t1
  t0=$(now)
  mpirun -n "$1" --oversubscribe "$BIN" run "$CONFIG" --db "$WORK/n$1.sqlite" >/dev/null 2>&1
  t1=$(now)
  wall[$1]=$(echo "$t1 - $t0" | bc)
}
run_ours 1
peer=$("$PY" "$ROOT/scripts/bench/tmc_opendataval.py" "$PEER_PERMUTATIONS")
run_ours 2
fits=$(q "$WORK/n1.sqlite" "SELECT value FROM results WHERE metric = 'model_fits'")
method_s=$(q "$WORK/n1.sqlite" "SELECT method_seconds FROM cells")
echo "ours (-n 1): $fits utility evaluations in $method_s s of method time (the parts' sum); run wall ${wall[1]} s"
echo "peer: $peer"
echo "ours (-n 2): run wall ${wall[2]} s"
[[ $(q "$WORK/n1.sqlite" "SELECT hex(data) FROM artifacts WHERE name = 'values'") == \
   $(q "$WORK/n2.sqlite" "SELECT hex(data) FROM artifacts WHERE name = 'values'") ]] \
  && echo "values bitwise equal on -n 1 and -n 2" || { echo "VALUES DIFFER"; exit 1; }
p=$(sed -E 's/.*peer_evaluations_per_second=([0-9.]+).*/\1/' <<<"$peer")
awk -v f="$fits" -v s="$method_s" -v p="$p" -v w1="${wall[1]}" -v w2="${wall[2]}" 'BEGIN {
  printf "evaluations/s: ours %.0f, OpenDataVal-style peer %.1f: %.1fx (target >= 50x)\n", f / s, p, f / s / p
  printf "split cell throughput (whole run, fits / wall): -n 1 %.0f/s, -n 2 %.0f/s: %.2fx (target >= 1.8x)\n", f / w1, f / w2, w1 / w2 }'
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
