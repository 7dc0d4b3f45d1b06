"""Peer of scripts/bench-selection-loo.sh: exact leave-one-out of a
logistic-regression utility by warm-started refits in scikit-learn:
LogisticRegression(multi_class="multinomial", C = 1 / (n_fit * l2),
warm_start=True) fitted on all n training rows, then refitted on each D \\ {i}
(each refit starts from the previous fit's coefficients, which is what
warm_start does) and scored by validation accuracy. C makes scikit-learn's
objective C * sum(loss) + ||W||^2 / 2 the same optimum as ours, mean loss +
(l2 / 2) ||W||^2; scikit-learn's own stopping rule (lbfgs, tol 1e-4) is kept.

  loo_sklearn.py DIR L2 REFITS

REFITS < n: the first REFITS refits are timed and the time is scaled to n.
Prints "peer_seconds=... full_fit=... refits=... refit_seconds=...".
"""
import sys
import time

import numpy as np
from sklearn.linear_model import LogisticRegression


def main():
    directory, l2, refits = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    y_train = np.fromfile(f"{directory}/y_train.i4", dtype=np.int32)
    y_valid = np.fromfile(f"{directory}/y_valid.i4", dtype=np.int32)
    x_train = np.fromfile(f"{directory}/x_train.f8").reshape(len(y_train), -1)
    x_valid = np.fromfile(f"{directory}/x_valid.f8").reshape(len(y_valid), -1)
    n = len(y_train)
    refits = min(refits, n)
    start = time.perf_counter()
    model = LogisticRegression(multi_class="multinomial", C=1.0 / (n * l2), warm_start=True, max_iter=1000)
    model.fit(x_train, y_train)
    full = float(np.mean(model.predict(x_valid) == y_valid))
    full_seconds = time.perf_counter() - start
    model.C = 1.0 / ((n - 1) * l2)
    keep = np.ones(n, dtype=bool)
    values = np.zeros(refits)
    for i in range(refits):
        keep[i] = False
        model.fit(x_train[keep], y_train[keep])
        values[i] = full - float(np.mean(model.predict(x_valid) == y_valid))
        keep[i] = True
    refit_seconds = time.perf_counter() - start - full_seconds
    total = full_seconds + refit_seconds * n / refits
    print(f"peer_seconds={total:.3f} full_fit={full_seconds:.3f} refits={refits} refit_seconds={refit_seconds:.3f} "
          f"n={n} d={x_train.shape[1]}" + ("" if refits == n else f" (scaled from {refits} refits)"))


if __name__ == "__main__":
    main()
