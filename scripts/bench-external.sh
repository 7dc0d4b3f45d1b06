#!/usr/bin/env bash
# External-method overhead (figures in docs/PERFORMANCE.md, "External
# methods"): a no-op Python method (docs/examples/external/
# shardbench_external.py with an empty run()) on the selftest suite, whose
# external cells write only cell.json and read nothing back, so the figure is
# the protocol's own cost per cell: directory, cell.json, the command (or the
# line exchange), cleanup, plus the farm and the database.
#   1. per-cell mode:   200 cells on `mpirun -n 2` (one Python start per cell)
#   2. persistent mode: 20,000 cells on `mpirun -n 2` (one Python per rank)
# Besides wall-clock rates it prints the CPU seconds per cell of all the
# processes (ranks, executors, Python), and the rate 2 idle cores would give:
# on a shared, loaded machine the wall-clock figure says more about the load.
set -euo pipefail
cd "$(dirname "$0")/.."
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
BIN=${SB_BIN:-$PWD/build/release/shardbench}
[ -x "$BIN" ] || { echo "build first: cmake --build build/release -j2 --target shardbench" >&2; exit 2; }
/usr/bin/python3 -c "import numpy" || { echo "needs /usr/bin/python3 with numpy" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp docs/examples/external/shardbench_external.py "$work/"
cat > "$work/noop.py" <<'PY'
from shardbench_external import main

def run(cell_dir, cell):
    pass

main(run)
PY
config() {  # config MODE SEEDS SIZES
  cat <<TOML
suite = "selftest"
seeds = $2
[[datasets]]
name = "empty"
size = [$3]
[[methods]]
name = "py-noop"
command = ["/usr/bin/python3", "noop.py"]
version = "1"
mode = "$1"
TOML
}
sizes=$(seq -s, 0 99)
config per-cell 2 "$sizes" > "$work/percell.toml"
config persistent 200 "$sizes" > "$work/persistent.toml"

now() { date +%s.%N; }
measure() {  # measure NAME CONFIG
  local t0 t1 cells
  local TIMEFORMAT="%U %S"
  t0=$(now)
  { time mpirun -n 2 --oversubscribe "$BIN" run "$2" --db "$work/$1.sqlite" 2>"$work/$1.log"; } 2>"$work/$1.cpu"
  t1=$(now)
  cells=$("$BIN" query --db "$work/$1.sqlite" --csv "SELECT COUNT(*) FROM cells WHERE status='ok'" | tail -n 1 | tr -d '\r')
  awk -v c="$cells" -v a="$t0" -v b="$t1" 'BEGIN { printf "cells ok: %d  whole command: %.2f s = %.0f cells/s\n", c, b-a, c/(b-a) }'
  grep -o '[0-9.]* cells/s, elapsed' "$work/$1.log" | tail -n 1 | awk '{ printf "farm phase: %.0f cells/s\n", $1 }'
  awk -v c="$cells" '{ cpu = $1 + $2; printf "CPU (user+sys, all processes): %.1f s = %.0f us/cell -> %.0f cells/s on 2 idle cores\n", cpu, 1e6*cpu/c, 2*c/cpu }' "$work/$1.cpu"
  uptime
}
echo "== 1. per-cell mode: 200 no-op Python cells, mpirun -n 2"
measure percell "$work/percell.toml"
echo "== 2. persistent mode: 20,000 no-op Python cells, mpirun -n 2 (target >= 2,000 cells/s)"
measure persistent "$work/persistent.toml"
