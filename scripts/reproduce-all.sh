#!/usr/bin/env bash
# Reproduces every shipped paper spec (benchmarks/papers/*.toml) with
# `shardbench reproduce` on `mpirun -n 2`, keeps each spec's evidence as
# Markdown, and prints one summary: per spec its wall time, exit code and
# "k of n published values within tolerance" (or that it lists none), then
# the totals. Exit 0 when every spec reproduced, 1 when any spec missed a
# published value or failed to run, 2 on bad arguments or a spec naming
# cells its config does not plan (checked before anything runs).
#
#   bash scripts/reproduce-all.sh                       # all specs, ~12 min
#   bash scripts/reproduce-all.sh --only kang-schafer-mean-bias --only kang-schafer
#
# One database holds every spec's cells, so specs that share a config
# (selection-opendataval*, kang-schafer-mean-*) run it once, and a second
# invocation recomputes nothing (reproduce resumes).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)

usage() {
  cat <<'EOF'
usage: scripts/reproduce-all.sh [options]

Runs `shardbench reproduce` for every paper spec and prints a summary.

options:
  --papers DIR     directory of specs (default: benchmarks/papers)
  --only NAME      reproduce only this spec (file name without .toml); repeatable
  --db FILE        results database (default: reproduce/results.sqlite)
  --out DIR        where each spec's Markdown evidence goes (default: reproduce/)
  --ranks N        MPI ranks (default: 2)
  --bin PATH       shardbench binary (default: build/release/shardbench, built if missing)
  --help           show this help
EOF
}

PAPERS="$ROOT/benchmarks/papers"
OUT="reproduce"
DB=""
RANKS=2
BIN="$ROOT/build/release/shardbench"
ONLY=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --papers) PAPERS=${2:?--papers needs a directory}; shift 2 ;;
    --only) ONLY+=("${2:?--only needs a spec name}"); shift 2 ;;
    --db) DB=${2:?--db needs a file}; shift 2 ;;
    --out) OUT=${2:?--out needs a directory}; shift 2 ;;
    --ranks) RANKS=${2:?--ranks needs a number}; shift 2 ;;
    --bin) BIN=${2:?--bin needs a path}; shift 2 ;;
    --help|-h) usage; exit 0 ;;
    *) echo "reproduce-all.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[[ $RANKS =~ ^[1-9][0-9]*$ ]] || { echo "reproduce-all.sh: --ranks '$RANKS' is not a positive integer" >&2; exit 2; }
[[ -d $PAPERS ]] || { echo "reproduce-all.sh: --papers '$PAPERS' is not a directory" >&2; exit 2; }
DB=${DB:-$OUT/results.sqlite}

specs=()
if [[ ${#ONLY[@]} -gt 0 ]]; then
  for name in "${ONLY[@]}"; do
    [[ -f $PAPERS/$name.toml ]] || { echo "reproduce-all.sh: --only '$name': no $PAPERS/$name.toml" >&2; exit 2; }
    specs+=("$PAPERS/$name.toml")
  done
else
  while IFS= read -r f; do specs+=("$f"); done < <(find "$PAPERS" -maxdepth 1 -name '*.toml' | sort)
fi
[[ ${#specs[@]} -gt 0 ]] || { echo "reproduce-all.sh: no *.toml spec in $PAPERS" >&2; exit 2; }

if [[ ! -x $BIN ]]; then
  echo "== building shardbench (scripts/build.sh)"
  bash "$ROOT/scripts/build.sh"
fi
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

# Every spec against its config first (`reproduce --check`: seconds, nothing
# run), so a bad spec stops the script before the long runs, not after them.
n_bad=0
for spec in "${specs[@]}"; do
  "$BIN" reproduce "$spec" --check > /dev/null || n_bad=$((n_bad + 1))
done
[[ $n_bad -eq 0 ]] || { echo "reproduce-all.sh: $n_bad spec(s) do not match their config (above); nothing was run" >&2; exit 2; }
mkdir -p "$OUT" "$(dirname "$DB")"

rows=()
n_specs_failed=0 within_total=0 published_total=0
start_all=$SECONDS
for spec in "${specs[@]}"; do
  name=$(basename "$spec" .toml)
  echo "== [$name] shardbench reproduce $spec (mpirun -n $RANKS)"
  t0=$SECONDS
  rc=0
  mpirun -n "$RANKS" --oversubscribe "$BIN" reproduce "$spec" --db "$DB" --format md \
    > "$OUT/$name.md" 2> "$OUT/$name.log" || rc=$?
  secs=$((SECONDS - t0))
  # The verdict line of `reproduce` (paper_diff.cpp), or its "none listed" note.
  verdict=$(grep -m1 -oE '[0-9]+ of [0-9]+ published values within tolerance \([^)]*\)|the spec lists no published numbers' \
    "$OUT/$name.md" || true)
  [[ -n $verdict ]] || verdict="no verdict: see $OUT/$name.log"
  if [[ $verdict =~ ^([0-9]+)\ of\ ([0-9]+)\ published ]]; then
    within_total=$((within_total + BASH_REMATCH[1]))
    published_total=$((published_total + BASH_REMATCH[2]))
  fi
  if [[ $rc -ne 0 ]]; then
    n_specs_failed=$((n_specs_failed + 1))
    tail -n 3 "$OUT/$name.log" >&2 || true
  fi
  rows+=("$(printf '%-34s %6ss  exit %d  %s' "$name" "$secs" "$rc" "$verdict")")
done

echo
echo "== summary (${#specs[@]} specs, $((SECONDS - start_all)) s on mpirun -n $RANKS; evidence in $OUT/*.md)"
printf '%s\n' "${rows[@]}"
echo "published values within tolerance: $within_total of $published_total;" \
     "specs with a miss or an error: $n_specs_failed of ${#specs[@]}"
[[ $n_specs_failed -eq 0 ]]
