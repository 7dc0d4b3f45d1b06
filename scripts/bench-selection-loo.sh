#!/usr/bin/env bash
# Exact leave-one-out of the logistic utility on 5,000 Fashion-MNIST training
# rows (500 validation rows): ours (selection_bench loo: the fit on D, then
# every D \ {i} warm-started from it, benchmarks/selection/ground_truth.cpp)
# vs warm-started refits in scikit-learn (scripts/bench/loo_sklearn.py:
# LogisticRegression(warm_start=True) with the same optimum), in the same
# run. Figures: docs/PERFORMANCE.md.
#   scripts/bench-selection-loo.sh            # PCA-32: all 5,000 refits ours, 300 of scikit-learn's scaled
#   FULL=1 scripts/bench-selection-loo.sh     # also raw pixels (784): 50 refits each side, scaled
# N=..., PEER_REFITS=... change the sizes. SB_BENCH=path runs another build.
source "$(dirname "$0")/bench/lib.sh"
N=${N:-5000} PEER_REFITS=${PEER_REFITS:-300} RAW_REFITS=${RAW_REFITS:-50}
BENCH=$(release_binary selection_bench "${SB_BENCH:-}")
machine_line
compare() {  # $1 = mode, $2 = our refits, $3 = peer refits
  echo "== $1: n = $N"
  ours=$("$BENCH" loo "$1" "$N" "$2" "$WORK")
  echo "ours: $ours"
  l2=$(sed -E 's/.* l2=([0-9.e-]+).*/\1/' <<<"$ours")
  peer=$("$PY" "$ROOT/scripts/bench/loo_sklearn.py" "$WORK" "$l2" "$3")
  echo "peer: $peer"
  c=$(sed -E 's/.*cpp_seconds=([0-9.]+).*/\1/' <<<"$ours")
  p=$(sed -E 's/.*peer_seconds=([0-9.]+).*/\1/' <<<"$peer")
  awk -v c="$c" -v p="$p" -v m="$1" 'BEGIN { printf "%s: ours %.1f s, scikit-learn warm-started refits %.1f s: %.1fx\n", m, c, p, p / c }'
}
compare pca "$N" "$PEER_REFITS"
[[ -n ${FULL:-} ]] && compare raw "$RAW_REFITS" "$RAW_REFITS"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
