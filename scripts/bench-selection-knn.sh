#!/usr/bin/env bash
# KNN-Shapley on Fashion-MNIST (50,000 training x 1,000 test images, K = 10),
# on raw pixels and on the 32-dim PCA projection: ours (selection_bench knn,
# estimators/selection/knn_shapley.cpp) vs pyDVL's way in the same run
# (scripts/bench/knn_shapley_pydvl.py: scikit-learn NearestNeighbors(
# algorithm="brute") ordering of all training points per test point + the
# recursion vectorised in numpy). The peer checks that our values equal the
# recursion on its order (ties by index) to 1e-12. Figures: docs/PERFORMANCE.md.
#   scripts/bench-selection-knn.sh            # full size
#   N=5000 T=200 scripts/bench-selection-knn.sh   # a quick run
# SB_BENCH=path/to/selection_bench runs another build. Both sides run on one
# thread (one cell per core under MPI).
source "$(dirname "$0")/bench/lib.sh"
N=${N:-50000} T=${T:-1000} K=${K:-10}
BENCH=$(release_binary selection_bench "${SB_BENCH:-}")
machine_line
for mode in raw pca; do
  echo "== $mode: n = $N, t = $T, K = $K"
  ours=$("$BENCH" knn "$mode" "$N" "$T" "$K" "$WORK")
  echo "ours: $ours"
  peer=$("$PY" "$ROOT/scripts/bench/knn_shapley_pydvl.py" "$WORK" "$K") || { echo "$peer"; exit 1; }
  echo "peer: $peer"
  c=$(sed -E 's/.*cpp_seconds=([0-9.]+).*/\1/' <<<"$ours")
  p=$(sed -nE 's/.*peer_seconds=([0-9.]+).*/\1/p' <<<"$peer")
  awk -v c="$c" -v p="$p" -v m="$mode" 'BEGIN { printf "%s: ours %.2f s, pyDVL way %.2f s, speed-up %.1fx (target >= 5x)\n", m, c, p, p / c }'
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
