#!/usr/bin/env bash
# The unlearning suite's performance program (docs/PERFORMANCE.md, "Unlearning"):
# the retrain oracle for multinomial logistic regression on Fashion-MNIST
# against scikit-learn's LogisticRegression(solver="lbfgs") on the same rows
# and the same objective, and Newton removal of 1% of the rows.
#   scripts/bench-unlearning.sh [--full] [--n N]   (default N = 12000; --full: 48000)
# Needs build/release (the test_benchmarks_unlearning target) and
# /usr/bin/python3 with scikit-learn; the data from $SB_FASHION_MNIST_DIR or
# /usr/share/datasets/fashion-mnist.
set -euo pipefail
cd "$(dirname "$0")/.."
n=12000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --full) n=48000 ;;
    --n) n="$2"; shift ;;
    *) echo "usage: $0 [--full] [--n N]" >&2; exit 2 ;;
  esac
  shift
done
export SB_BENCH_N="$n" SB_BENCH_L2="${SB_BENCH_L2:-1e-4}" SB_BENCH_TOLERANCE="${SB_BENCH_TOLERANCE:-1e-8}"
echo "# load: $(cut -d' ' -f1-3 /proc/loadavg)  n=$n l2=$SB_BENCH_L2 tolerance=$SB_BENCH_TOLERANCE"
# SB_BENCH_ORACLE_ONLY=1: the C++ half times the oracle alone (no original, no Newton removal).
build/release/tests/test_benchmarks_unlearning --gtest_also_run_disabled_tests \
  --gtest_filter='BenchUnlearning.*' | grep '^cpp '
sklearn_line=$(/usr/bin/python3 - <<'PY'
# Peer: scikit-learn's LogisticRegression(solver="lbfgs", multinomial) on the
# same rows (the first n training images, pixels / 255, the rows i % 100 != 0)
# and the same objective: sum_i -log softmax(z_i W)_{y_i} + (lambda/2)||W||^2
# with z = [x, 1]. scikit-learn penalises coef_ only and leaves intercept_
# unpenalised, so the intercept is passed as a column of ones with
# fit_intercept=False (penalised, as here); C = 1 / lambda, lambda = l2 * n.
import gzip, os, time
import numpy as np
import sklearn
from scipy.special import logsumexp
from sklearn.linear_model import LogisticRegression
n = int(os.environ["SB_BENCH_N"]); l2 = float(os.environ["SB_BENCH_L2"])
tol = float(os.environ["SB_BENCH_TOLERANCE"])
d = os.environ.get("SB_FASHION_MNIST_DIR") or "/usr/share/datasets/fashion-mnist"
with gzip.open(os.path.join(d, "train-images-idx3-ubyte.gz")) as f:
    x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784)[:n] / 255.0
with gzip.open(os.path.join(d, "train-labels-idx1-ubyte.gz")) as f:
    y = np.frombuffer(f.read(), np.uint8, offset=8)[:n].astype(int)
keep = np.arange(n) % 100 != 0
z = np.hstack([x, np.ones((n, 1))])[keep]; yr = y[keep]
lam = l2 * n
def objective(w):  # w: 785 x 10
    out = z @ w
    return float(np.sum(logsumexp(out, axis=1) - out[np.arange(len(yr)), yr]) + 0.5 * lam * np.sum(w * w))
def max_grad_per_row(w):
    out = z @ w
    p = np.exp(out - logsumexp(out, axis=1, keepdims=True)); p[np.arange(len(yr)), yr] -= 1
    return float(np.max(np.abs(z.T @ p + lam * w)) / len(yr))
# scikit-learn (1.2 here) minimises the mean: (1/rows) sum loss + (1/(2 C rows))
# ||W||^2 = L_R / rows with C = 1 / lambda, and lbfgs stops at max |projected
# gradient| <= tol of that: our criterion max |grad L_R| / rows <= tolerance is
# tol = tolerance (both checked below by recomputing the gradient).
C = 1.0 / lam
clf = LogisticRegression(solver="lbfgs", C=C, fit_intercept=False, tol=tol, max_iter=100000)
t = time.perf_counter(); c = time.process_time(); clf.fit(z, yr)
secs = time.perf_counter() - t; cpu = time.process_time() - c
w = clf.coef_.T
print(f"sklearn {sklearn.__version__} lbfgs seconds={secs:.4f} cpu_seconds={cpu:.4f} iterations={int(clf.n_iter_[0])} "
      f"objective={objective(w):.12g} max_grad_per_row={max_grad_per_row(w):.3g}")
PY
)
echo "$sklearn_line"
# The fair comparison: the C++ oracle stopped at the gradient scikit-learn reached
# (its L-BFGS-B stops on relative decrease before reaching tol).
reached=$(sed -n 's/.*max_grad_per_row=\([^ ]*\).*/\1/p' <<<"$sklearn_line")
echo "# C++ oracle alone, stopped at scikit-learn's gradient $reached; load: $(cut -d' ' -f1-3 /proc/loadavg)"
SB_BENCH_ORACLE_ONLY=1 SB_BENCH_TOLERANCE="$reached" build/release/tests/test_benchmarks_unlearning \
  --gtest_also_run_disabled_tests --gtest_filter='BenchUnlearning.*' | grep '^cpp '
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
