#!/usr/bin/env bash
# Proves that a suite plugs in by adding files only (docs/ADDING-A-SUITE.md):
# copies the working tree into a scratch clone, adds the example suite of
# docs/examples/coin/ (benchmarks/coin/, estimators/coin/, tests/benchmarks/coin/),
# checks that nothing else changed, builds shardbench and the suite's test,
# runs the example config on `mpirun -n 2` and prints its leaderboard.
#   scripts/check-add-suite.sh [SOURCE_DIR] [WORK_DIR]
# WORK_DIR (default SOURCE_DIR/build/add-suite-check) keeps the scratch build
# between runs; with ccache the rebuild is mostly cache hits (the scratch
# tree sits at the same depth as build/release, so relative paths match).
set -euo pipefail
ROOT="$(cd "${1:-$(dirname "$0")/..}" && pwd)"
WORK="${2:-$ROOT/build/add-suite-check}"
SRC="$WORK/src"
EXAMPLE="$ROOT/docs/examples/coin"
say() { echo "== $*"; }

say "scratch clone of $ROOT in $SRC"
mkdir -p "$WORK"
if [[ ! -d "$SRC/.git" ]]; then
  rm -rf "$SRC"
  git clone -q "$ROOT" "$SRC"
fi
# The working tree as it is (uncommitted edits included), not only HEAD.
# A previous check left the example suite in the scratch clone: clear it first.
git -C "$SRC" reset -q --hard
git -C "$SRC" clean -q -fdx -e build/
git -C "$SRC" checkout -q --detach "$(git -C "$ROOT" rev-parse HEAD)" 2>/dev/null ||
  { git -C "$SRC" fetch -q "$ROOT" HEAD && git -C "$SRC" checkout -q --detach FETCH_HEAD; }
git -C "$SRC" reset -q --hard
git -C "$SRC" clean -q -fdx -e build/
(cd "$ROOT" && git ls-files -co --exclude-standard -z | xargs -0 tar -cf - 2>/dev/null) | tar -xf - -C "$SRC"
(cd "$ROOT" && git ls-files -d -z) | (cd "$SRC" && xargs -0 -r rm -f)
before=$(git -C "$SRC" status --porcelain --untracked-files=all | sort)

say "adding the example suite"
cp -r "$EXAMPLE/." "$SRC/"
after=$(git -C "$SRC" status --porcelain --untracked-files=all | sort)
changed=$(comm -13 <(echo "$before") <(echo "$after"))
outside=$(grep -vE '^\?\? (benchmarks|estimators|tests/benchmarks|tests/estimators)/coin/' <<<"$changed" || true)
if [[ -n "$outside" ]]; then
  echo "FAIL: adding the suite changed files outside its folders:" >&2
  echo "$outside" >&2
  exit 1
fi
echo "$changed"

say "configure and build (shardbench, test_benchmarks_coin)"
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
(cd "$SRC" && cmake --preset release "${launcher[@]}" >/dev/null)
cmake --build "$SRC/build/release" -j"${JOBS:-2}" --target shardbench test_benchmarks_coin
SB="$SRC/build/release/shardbench"

say "test_benchmarks_coin"
"$SRC/build/release/tests/test_benchmarks_coin"

say "mpirun -n 2 shardbench run coin.toml"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
DB="$WORK/coin.sqlite"
rm -f "$DB" "$DB-wal" "$DB-shm"
mpirun -n 2 --oversubscribe "$SB" run "$SRC/benchmarks/coin/coin.toml" --db "$DB"

say "shardbench leaderboard --suite coin"
board=$("$SB" leaderboard --suite coin --db "$DB")
echo "$board"
grep -q "Coin: error of the estimated probability of heads" <<<"$board" ||
  { echo "FAIL: the leaderboard is not the suite's own view" >&2; exit 1; }
grep -q "share-of-heads" <<<"$board" || { echo "FAIL: no method row" >&2; exit 1; }
say "ok: the coin suite was added by adding files only"
