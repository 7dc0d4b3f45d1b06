#!/usr/bin/env bash
# KNN detector search vs faiss IndexFlatL2 on the same data, in one run:
# 10,000 queries against 60,000 x 128 L2-normalised reference rows, k = 50.
#   scripts/bench-knn.sh [BUILD_DIR]
# Uses BUILD_DIR/knn_bench if that target was built, else compiles
# benchmarks/ood/bench/knn_bench.cpp with the Release flags (-O3 -DNDEBUG).
# Both sides run single-threaded (one cell per core under MPI); faiss is
# also timed with its default OpenMP threads, for information.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${1:-$ROOT/build/release}"
PY=/usr/bin/python3
N=${N:-60000} Q=${Q:-10000} D=${D:-128} K=${K:-50}
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

BENCH="$BUILD/knn_bench"
if [[ ! -x "$BENCH" ]]; then
  BENCH="$WORK/knn_bench"
  g++ -std=c++20 -O3 -DNDEBUG -I"$ROOT" -I/usr/include/eigen3 \
    "$ROOT/benchmarks/ood/bench/knn_bench.cpp" "$ROOT/estimators/ood/common.cpp" \
    "$ROOT"/harness/core/*.cpp -lfmt -o "$BENCH"
fi

"$PY" "$ROOT/scripts/bench/knn_faiss.py" gen "$WORK" "$N" "$Q" "$D" 12345
cpp_line=$(OMP_NUM_THREADS=1 "$BENCH" "$WORK/reference.npy" "$WORK/queries.npy" "$K" "$WORK/cpp.bin")
faiss1_line=$(OMP_NUM_THREADS=1 "$PY" "$ROOT/scripts/bench/knn_faiss.py" run "$WORK" "$K" 1)
faissN_line=$("$PY" "$ROOT/scripts/bench/knn_faiss.py" run "$WORK" "$K" 0)
echo "$cpp_line"
echo "$faiss1_line"
echo "$faissN_line"
cpp=$(sed -E 's/.*cpp_seconds=([0-9.]+).*/\1/' <<<"$cpp_line")
f1=$(sed -E 's/.*faiss_seconds=([0-9.]+).*/\1/' <<<"$faiss1_line")
fN=$(sed -E 's/.*faiss_seconds=([0-9.]+).*/\1/' <<<"$faissN_line")
"$PY" -c "print(f'ratio cpp/faiss (1 thread) = {$cpp/$f1:.2f}; ratio cpp/faiss (default threads) = {$cpp/$fN:.2f}')"
