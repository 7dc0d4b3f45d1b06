#!/usr/bin/env bash
# Farm benchmarks (figures in docs/PERFORMANCE.md):
#  1. 100,000 no-op cells on `mpirun -n 2`: cells/s including database writes.
#  2. 2,000 cells sleeping 20 ms on `mpirun -n 8 --oversubscribe`: efficiency
#     against the ideal of 8 ranks all computing (8 x 50 cells/s = 400 cells/s).
set -euo pipefail
cd "$(dirname "$0")/.."
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# SB_BIN=path runs another build (e.g. an older commit's, for before/after figures).
if [ -z "${SB_BIN:-}" ]; then
  [ -x build/release/shardbench ] || { cmake --preset release >/dev/null && cmake --build build/release -j2 >/dev/null; }
fi
BIN=${SB_BIN:-$PWD/build/release/shardbench}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }

echo "== 1. 100,000 no-op cells, mpirun -n 2, database writes included"
t0=$(now)
mpirun -n 2 --oversubscribe "$BIN" run benchmarks/configs/bench/farm-noop.toml --db "$work/noop.sqlite" 2>"$work/noop.log"
t1=$(now)
cells=$("$BIN" query --db "$work/noop.sqlite" --csv "SELECT COUNT(*) FROM cells WHERE status='ok'" | tail -n 1 | tr -d '\r')
awk -v c="$cells" -v a="$t0" -v b="$t1" 'BEGIN { printf "cells ok: %d  whole command (MPI start-up, planning, farm, writes): %.2f s = %.0f cells/s\n", c, b-a, c/(b-a) }'
# The farm phase: from the first dispatch to the last write (the run's own
# progress line, printed after the final flush).
grep -o '[0-9.]* cells/s, elapsed' "$work/noop.log" | tail -n 1 | awk '{ printf "farm phase incl. database writes: %.0f cells/s (target >= 50,000)\n", $1 }'

echo "== 2. 2,000 cells x 20 ms sleep, mpirun -n 8 --oversubscribe"
t0=$(now)
mpirun -n 8 --oversubscribe "$BIN" run benchmarks/configs/bench/farm-sleep.toml --db "$work/sleep.sqlite" 2>"$work/sleep.log"
t1=$(now)
cells=$("$BIN" query --db "$work/sleep.sqlite" --csv "SELECT COUNT(*) FROM cells WHERE status='ok'" | tail -n 1 | tr -d '\r')
awk -v c="$cells" -v a="$t0" -v b="$t1" 'BEGIN { ideal = c / 400.0; printf "cells ok: %d  whole command: %.2f s vs ideal %.2f s = %.1f%% (includes starting 8 MPI processes on 2 cores)\n", c, b-a, ideal, 100*ideal/(b-a) }'
grep -o '[0-9.]* cells/s, elapsed' "$work/sleep.log" | tail -n 1 | awk '{ printf "farm phase: %.1f cells/s of the ideal 400 = %.1f%% efficiency (target >= 90%%)\n", $1, $1 / 4 }'
"$BIN" query --db "$work/sleep.sqlite" "SELECT rank, COUNT(*) AS cells FROM cells GROUP BY rank"
