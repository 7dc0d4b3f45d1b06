"""An external data valuer for the selection suite: exact KNN-Shapley values
(Jia et al., 2019, Theorem 1) in numpy, the same values as the built-in
`knn-shapley` (bit for bit whenever the neighbour orders agree).

Inputs (cell dir): train_x.npy (n x d), train_y.npy (n,), valid_x.npy
(m x d), valid_y.npy (m,); params: k (optional, default 10). Output:
values.npy, one value per training row (higher = more valuable): the mean
over the validation rows of each training row's Shapley value for the
K-nearest-neighbour utility (the share of the K nearest training rows that
have the validation row's label).
"""
import numpy as np

from shardbench_external import load, main, save


def run(cell_dir, cell):
    if cell["task"] != "classification":
        raise ValueError("KNN-Shapley needs class labels; this cell's task is " + cell["task"])
    k = int(cell["params"].get("k", 10))
    x, y = load(cell_dir, "train_x"), load(cell_dir, "train_y")
    xv, yv = load(cell_dir, "valid_x"), load(cell_dir, "valid_y")
    n = x.shape[0]
    # Theorem 1's weights min(K, i) / (K i) of the differences, ranks i = 1..n-1.
    i = np.arange(1, n, dtype=np.float64)
    weight = 1.0 / k * np.minimum(float(k), i) / i
    dist = (x * x).sum(axis=1)[:, None] + (xv * xv).sum(axis=1)[None, :] - 2.0 * (x @ xv.T)
    total = np.zeros(n)
    for b in range(xv.shape[0]):
        order = np.argsort(dist[:, b], kind="stable")  # nearest first, ties by the lower index
        match = (y[order] == yv[b]).astype(np.float64)
        # s_n = match_n / max(n, K) (with n < K the farthest row is always among the K nearest);
        # s_i = s_{i+1} + (match_i - match_{i+1}) min(K, i) / (K i), ranks 1-based.
        steps = np.concatenate(([match[-1] / max(n, k)], ((match[:-1] - match[1:]) * weight)[::-1]))
        total[order] += np.cumsum(steps)[::-1]
    save(cell_dir, "values", total / xv.shape[0])


if __name__ == "__main__":
    main(run)
