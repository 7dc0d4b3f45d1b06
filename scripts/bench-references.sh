#!/usr/bin/env bash
# References benchmark (figures in docs/PERFORMANCE.md): the Fashion-MNIST
# OOD config (17 detectors x 3 seeds, MLP base model) on mpirun -n 2 and
# -n 4 --oversubscribe: base-model trainings per run and wall time.
# Trainings are counted from SB_REFERENCE_LOG (one line per reference
# computed). SB_BIN_BEFORE=path also runs an older build (one without
# references trains in each rank's cache: its count is the lower bound
# "distinct (rank, seed) pairs that ran cells"), interleaved with this one.
set -euo pipefail
cd "$(dirname "$0")/.."
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
[ -x build/release/shardbench ] || { cmake --preset release >/dev/null && cmake --build build/release -j2 >/dev/null; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }
builds=("after=$PWD/build/release/shardbench")
[ -n "${SB_BIN_BEFORE:-}" ] && builds=("before=$SB_BIN_BEFORE" "${builds[@]}")
for n in 2 4; do
  for entry in "${builds[@]}"; do
    name=${entry%%=*} bin=${entry#*=}
    rm -f "$work"/fm.sqlite* "$work/trained.log"
    t0=$(now)
    SB_REFERENCE_LOG=$work/trained.log mpirun -n "$n" --oversubscribe "$bin" run \
      benchmarks/configs/ood-fashion-mnist.toml --db "$work/fm.sqlite" 2>/dev/null
    t1=$(now)
    counted=$( (cat "$work/trained.log" 2>/dev/null || true) | wc -l)
    pairs=$(sqlite3 -readonly "$work/fm.sqlite" "SELECT count(*) FROM (SELECT DISTINCT rank, seed, dataset_params FROM cells)")
    awk -v n="$n" -v name="$name" -v w="$(echo "$t1 - $t0" | bc)" -v c="$counted" -v p="$pairs" 'BEGIN {
      printf "-n %d %-6s wall %6.1f s  trainings: %s\n", n, name, w, (c > 0 ? c " (counted)" : ">= " p " (rank x seed pairs)") }'
  done
done
