#!/usr/bin/env bash
# Split-cell benchmark (figures in docs/PERFORMANCE.md): one cell, the mean of
# 2 x 10^9 seeded uniform draws in 200 parts (benchmarks/configs/bench/split-mc.toml),
# on mpirun -n 1, -n 2 and -n 8 --oversubscribe. Efficiency on n ranks =
# wall(-n 1) / (n_cores_used x wall(-n n)); the machine has 2 cores, so -n 8
# shows the overhead of 8 ranks sharing them (shipping and reducing parts).
# Every run's value must be bitwise the same. SB_BIN=path runs another build.
source "$(dirname "$0")/bench/lib.sh"
cd "$ROOT"
BIN=$(release_binary shardbench "${SB_BIN:-}")
declare -A wall value
for n in 1 2 8; do
  t0=$(now)
  mpirun -n "$n" --oversubscribe "$BIN" run benchmarks/configs/bench/split-mc.toml --db "$WORK/n$n.sqlite" 2>/dev/null
  t1=$(now)
  wall[$n]=$(echo "$t1 - $t0" | bc)
  value[$n]=$(sqlite3 -readonly "$WORK/n$n.sqlite" "SELECT printf('%!.17g', value) FROM results WHERE metric = 'value'")
  echo "mpirun -n $n: ${wall[$n]} s, value ${value[$n]}"
done
[[ ${value[1]} == "${value[2]}" && ${value[1]} == "${value[8]}" ]] && echo "values bitwise equal across rank counts" \
  || { echo "VALUES DIFFER"; exit 1; }
awk -v a="${wall[1]}" -v b="${wall[2]}" -v c="${wall[8]}" 'BEGIN {
  printf "efficiency -n 2: %.1f%% of the ideal (2 cores computing; target >= 90%%)\n", 100 * a / (2 * b)
  printf "-n 8 on 2 cores: %.1f%% of the 2-core ideal (overhead of 8 ranks sharing 2 cores)\n", 100 * a / (2 * c) }'
