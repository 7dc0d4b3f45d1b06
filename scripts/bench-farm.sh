#!/usr/bin/env bash
# Farm benchmarks (figures in docs/PERFORMANCE.md):
#  1. 100,000 no-op cells on `mpirun -n 2`: cells/s including database writes.
#  2. 2,000 cells sleeping 20 ms on `mpirun -n 8 --oversubscribe`: efficiency
#     against the ideal of 8 ranks all computing (8 x 50 cells/s = 400 cells/s).
source "$(dirname "$0")/bench/lib.sh"
cd "$ROOT"
# SB_BIN=path runs another build (e.g. an older commit's, for before/after figures).
BIN=$(release_binary shardbench "${SB_BIN:-}")

echo "== 1. 100,000 no-op cells, mpirun -n 2, database writes included"
t0=$(now)
mpirun -n 2 --oversubscribe "$BIN" run benchmarks/configs/bench/farm-noop.toml --db "$WORK/noop.sqlite" 2>"$WORK/noop.log"
t1=$(now)
cells=$("$BIN" query --db "$WORK/noop.sqlite" --csv "SELECT COUNT(*) FROM cells WHERE status='ok'" | tail -n 1 | tr -d '\r')
awk -v c="$cells" -v a="$t0" -v b="$t1" 'BEGIN { printf "cells ok: %d  whole command (MPI start-up, planning, farm, writes): %.2f s = %.0f cells/s\n", c, b-a, c/(b-a) }'
# The farm phase: from the first dispatch to the last write (the run's own
# progress line, printed after the final flush).
grep -o '[0-9.]* cells/s, elapsed' "$WORK/noop.log" | tail -n 1 | awk '{ printf "farm phase incl. database writes: %.0f cells/s (target >= 50,000)\n", $1 }'

echo "== 2. 2,000 cells x 20 ms sleep, mpirun -n 8 --oversubscribe"
t0=$(now)
mpirun -n 8 --oversubscribe "$BIN" run benchmarks/configs/bench/farm-sleep.toml --db "$WORK/sleep.sqlite" 2>"$WORK/sleep.log"
t1=$(now)
cells=$("$BIN" query --db "$WORK/sleep.sqlite" --csv "SELECT COUNT(*) FROM cells WHERE status='ok'" | tail -n 1 | tr -d '\r')
awk -v c="$cells" -v a="$t0" -v b="$t1" 'BEGIN { ideal = c / 400.0; printf "cells ok: %d  whole command: %.2f s vs ideal %.2f s = %.1f%% (includes starting 8 MPI processes on 2 cores)\n", c, b-a, ideal, 100*ideal/(b-a) }'
grep -o '[0-9.]* cells/s, elapsed' "$WORK/sleep.log" | tail -n 1 | awk '{ printf "farm phase: %.1f cells/s of the ideal 400 = %.1f%% efficiency (target >= 90%%)\n", $1, $1 / 4 }'
"$BIN" query --db "$WORK/sleep.sqlite" "SELECT rank, COUNT(*) AS cells FROM cells GROUP BY rank"
