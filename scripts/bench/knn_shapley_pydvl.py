"""Peer of scripts/bench-selection-knn.sh: KNN-Shapley the way pyDVL computes
it (pydvl.value.shapley.knn.knn_shapley: a scikit-learn NearestNeighbors
ordering of all training points per test point, then Jia et al.'s recursion
from the farthest point), with the recursion vectorised in numpy.

  knn_shapley_pydvl.py DIR K

DIR holds x_train.f8, y_train.i4, x_test.f8, y_test.i4 (selection_bench knn)
and values.f8 (ours). Prints the timings, then checks our values against the
recursion on the same order with ties broken by the lower index (equal to
1e-12), and says how far the tie order scikit-learn happens to return moves
the values.
"""
import sys
import time

import numpy as np
from sklearn.metrics.pairwise import euclidean_distances
from sklearn.neighbors import NearestNeighbors


def load(directory):
    y_train = np.fromfile(f"{directory}/y_train.i4", dtype=np.int32)
    y_test = np.fromfile(f"{directory}/y_test.i4", dtype=np.int32)
    x_train = np.fromfile(f"{directory}/x_train.f8").reshape(len(y_train), -1)
    x_test = np.fromfile(f"{directory}/x_test.f8").reshape(len(y_test), -1)
    ours = np.fromfile(f"{directory}/values.f8")
    return x_train, y_train, x_test, y_test, ours


def recursion(indices, y_train, y_block, k, weight, values):
    """Theorem 1 of Jia et al. (2019) for a block of test points, vectorised:
    indices[b] orders the training rows nearest first; adds s to values."""
    n = indices.shape[1]
    match = (y_train[indices] == y_block[:, None]).astype(np.float64)
    terms = (match[:, :-1] - match[:, 1:]) * weight[1:]  # i = 1..n-1
    s = np.cumsum(np.concatenate([match[:, -1:] / n, terms[:, ::-1]], axis=1), axis=1)[:, ::-1]
    for b in range(indices.shape[0]):
        values[indices[b]] += s[b]


def main():
    directory, k = sys.argv[1], int(sys.argv[2])
    x_train, y_train, x_test, y_test, ours = load(directory)
    n, t = len(y_train), len(y_test)
    block = 50
    weight = np.zeros(n)
    i = np.arange(1, n)
    weight[1:] = 1.0 / k * np.minimum(k, i) / i

    start = time.perf_counter()
    nns = NearestNeighbors(n_neighbors=n, algorithm="brute").fit(x_train)
    values = np.zeros(n)
    ordering = rec = 0.0
    kept = []  # (distances, indices) per block, for the check below (untimed)
    for b0 in range(0, t, block):
        t0 = time.perf_counter()
        dist, idx = nns.kneighbors(x_test[b0:b0 + block])
        t1 = time.perf_counter()
        recursion(idx, y_train, y_test[b0:b0 + block], k, weight, values)
        t2 = time.perf_counter()
        ordering += t1 - t0
        rec += t2 - t1
        kept.append((dist, idx))
    values /= t
    total = time.perf_counter() - start
    # The distance share of kneighbors: scikit-learn's euclidean_distances
    # alone on the first 100 test points, scaled to all of them.
    sample = min(t, 100)
    t0 = time.perf_counter()
    euclidean_distances(x_test[:sample], x_train, squared=True)
    distances = (time.perf_counter() - t0) * t / sample
    print(f"peer_seconds={total:.3f} kneighbors={ordering:.3f} (of which distances ~{distances:.3f}) "
          f"recursion={rec:.3f} n={n} t={t} d={x_train.shape[1]}")

    # Check: the same recursion on scikit-learn's order with equal distances
    # put in index order (our tie rule) must give our values to 1e-12.
    fixed = np.zeros(n)
    reordered_rows = 0
    for b, (dist, idx) in enumerate(kept):
        tie_broken = np.take_along_axis(idx, np.lexsort((idx, dist), axis=1), axis=1)
        reordered_rows += int(np.any(tie_broken != idx, axis=1).sum())
        recursion(tie_broken, y_train, y_test[b * block:(b + 1) * block], k, weight, fixed)
    fixed /= t
    diff = float(np.max(np.abs(fixed - ours)))
    moved = float(np.max(np.abs(values - ours)))
    print(f"check: max |ours - peer (ties by index)| = {diff:.3g}; scikit-learn's own tie order differs on "
          f"{reordered_rows} of {t} test points and moves the values by at most {moved:.3g}")
    if not diff <= 1e-12:
        print("VALUES DIFFER")
        sys.exit(1)


if __name__ == "__main__":
    main()
