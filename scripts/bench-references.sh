#!/usr/bin/env bash
# References benchmark (figures in docs/PERFORMANCE.md): the Fashion-MNIST
# OOD config (17 detectors x 3 seeds, MLP base model) on mpirun -n 2 and
# -n 4 --oversubscribe: base-model trainings per run and wall time.
# Trainings are counted from SB_REFERENCE_LOG (one line per reference
# computed). SB_BIN_BEFORE=path also runs an older build (one without
# references trains in each rank's cache: its count is the lower bound
# "distinct (rank, seed) pairs that ran cells"), interleaved with this one.
source "$(dirname "$0")/bench/lib.sh"
cd "$ROOT"
builds=("after=$(release_binary shardbench)")
[ -n "${SB_BIN_BEFORE:-}" ] && builds=("before=$SB_BIN_BEFORE" "${builds[@]}")
for n in 2 4; do
  for entry in "${builds[@]}"; do
    name=${entry%%=*} bin=${entry#*=}
    rm -f "$WORK"/fm.sqlite* "$WORK/trained.log"
    t0=$(now)
    SB_REFERENCE_LOG=$WORK/trained.log mpirun -n "$n" --oversubscribe "$bin" run \
      benchmarks/configs/ood-fashion-mnist.toml --db "$WORK/fm.sqlite" 2>/dev/null
    t1=$(now)
    counted=$( (cat "$WORK/trained.log" 2>/dev/null || true) | wc -l)
    pairs=$(sqlite3 -readonly "$WORK/fm.sqlite" "SELECT count(*) FROM (SELECT DISTINCT rank, seed, dataset_params FROM cells)")
    awk -v n="$n" -v name="$name" -v w="$(echo "$t1 - $t0" | bc)" -v c="$counted" -v p="$pairs" 'BEGIN {
      printf "-n %d %-6s wall %6.1f s  trainings: %s\n", n, name, w, (c > 0 ? c " (counted)" : ">= " p " (rank x seed pairs)") }'
  done
done
