#!/usr/bin/env bash
# Split-cell benchmark (figures in docs/PERFORMANCE.md): one cell, the mean of
# 2 x 10^9 seeded uniform draws in 200 parts (benchmarks/configs/bench/split-mc.toml),
# on mpirun -n 1, -n 2 and -n 8 --oversubscribe. Efficiency on n ranks =
# wall(-n 1) / (n_cores_used x wall(-n n)); the machine has 2 cores, so -n 8
# shows the overhead of 8 ranks sharing them (shipping and reducing parts).
# Every run's value must be bitwise the same. SB_BIN=path runs another build.
set -euo pipefail
cd "$(dirname "$0")/.."
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
if [ -z "${SB_BIN:-}" ]; then
  [ -x build/release/shardbench ] || { cmake --preset release >/dev/null && cmake --build build/release -j2 >/dev/null; }
fi
BIN=${SB_BIN:-$PWD/build/release/shardbench}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }
declare -A wall value
for n in 1 2 8; do
  t0=$(now)
  mpirun -n "$n" --oversubscribe "$BIN" run benchmarks/configs/bench/split-mc.toml --db "$work/n$n.sqlite" 2>/dev/null
  t1=$(now)
  wall[$n]=$(echo "$t1 - $t0" | bc)
  value[$n]=$(sqlite3 -readonly "$work/n$n.sqlite" "SELECT printf('%!.17g', value) FROM results WHERE metric = 'value'")
  echo "mpirun -n $n: ${wall[$n]} s, value ${value[$n]}"
done
[[ ${value[1]} == "${value[2]}" && ${value[1]} == "${value[8]}" ]] && echo "values bitwise equal across rank counts" \
  || { echo "VALUES DIFFER"; exit 1; }
awk -v a="${wall[1]}" -v b="${wall[2]}" -v c="${wall[8]}" 'BEGIN {
  printf "efficiency -n 2: %.1f%% of the ideal (2 cores computing; target >= 90%%)\n", 100 * a / (2 * b)
  printf "-n 8 on 2 cores: %.1f%% of the 2-core ideal (overhead of 8 ranks sharing 2 cores)\n", 100 * a / (2 * c) }'
