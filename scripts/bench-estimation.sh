#!/usr/bin/env bash
# Kang-Schafer (ATE) study: shardbench under mpirun vs numpy/statsmodels doing
# the same replications with the same estimators and SEs.
#   scripts/bench-estimation.sh [RANKS] [SEEDS]     (defaults: 2 ranks, 1000 seeds)
# Builds the release preset if build/release/shardbench is missing. Prints both
# wall times and their ratio; the result databases stay in a temporary folder
# that is removed on exit (set KEEP=1 to keep it and print its path). SB_BIN=path
# runs another build (e.g. an older commit's, for before/after figures).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
ranks="${1:-2}"
seeds="${2:-1000}"
cd "$root"

bin="${SB_BIN:-$root/build/release/shardbench}"
if [ -z "${SB_BIN:-}" ] && [ ! -x build/release/shardbench ]; then
  echo "bench-estimation: building the release preset" >&2
  cmake --preset release >/dev/null
  cmake --build build/release -j2
fi

work="$(mktemp -d)"
if [ "${KEEP:-0}" = 1 ]; then
  echo "bench-estimation: results kept in $work" >&2
else
  trap 'rm -rf "$work"' EXIT
fi

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
now() { date +%s.%N; }

t0="$(now)"
status=0
mpirun --oversubscribe -n "$ranks" "$bin" run \
  benchmarks/configs/kang-schafer.toml --seeds "$seeds" --db "$work/kang-schafer.sqlite" \
  || status=$?
t1="$(now)"
if [ "$status" -ne 0 ]; then
  echo "bench-estimation: shardbench exited with $status (1 = some cells failed)" >&2
  [ "$status" -gt 1 ] && exit "$status"
fi
"$bin" leaderboard --suite estimation --db "$work/kang-schafer.sqlite" \
  --format md || true

t2="$(now)"
/usr/bin/python3 scripts/bench/kang_schafer.py --reps "$seeds"
t3="$(now)"

/usr/bin/python3 - "$t0" "$t1" "$t2" "$t3" "$ranks" "$seeds" <<'PY'
import sys
t0, t1, t2, t3 = map(float, sys.argv[1:5])
ours, theirs = t1 - t0, t3 - t2
print(f"shardbench (mpirun -n {sys.argv[5]}, {sys.argv[6]} seeds, 8 scenarios x 5 methods): "
      f"{ours:.2f} s wall")
print(f"numpy/statsmodels (1 process, same replications): {theirs:.2f} s wall")
print(f"ratio python / shardbench: {theirs / ours:.2f}x")
PY
