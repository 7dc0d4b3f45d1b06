"""Peer of scripts/bench-selection-tmc.sh: TMC Data Shapley with scikit-learn
LogisticRegression written as OpenDataVal's TMCSampler runs it
(opendataval.dataval.margcontrib.sampler.TMCSampler._calculate_marginal_contributions
with ClassifierSkLearnWrapper(LogisticRegression) as the model and accuracy
as the metric): for each permutation, a coalition grown one point at a
time, each utility = a fresh LogisticRegression() fitted on the coalition
(a constant prediction when it holds one class, as the wrapper does), then
accuracy on the validation split.

  tmc_opendataval.py PERMUTATIONS [MIN_CARDINALITY]

The data: scikit-learn's breast cancer table, a seeded permutation split
400 / 100 / 69 (train / valid / test), standardised by the training split,
10% of the training labels flipped; the sizes of our benchmark cell. Full
permutations (OpenDataVal's truncation, which stops a permutation after 10
utilities within 1e-8 of the full score, is off on both sides so that every
permutation evaluates the same coalition sizes). Prints
"peer_evaluations=... peer_seconds=... peer_evaluations_per_second=...".
"""
import sys
import time

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression


def replication(seed=0):
    x, y = load_breast_cancer(return_X_y=True)
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(y))
    tr, va = order[:400], order[400:500]
    mean, sd = x[tr].mean(axis=0), x[tr].std(axis=0)
    sd[sd == 0] = 1
    x = (x - mean) / sd
    y_train = y[tr].copy()
    flip = rng.choice(400, size=40, replace=False)
    y_train[flip] = 1 - y_train[flip]
    return x[tr], y_train, x[va], y[va]


def main():
    permutations = int(sys.argv[1])
    min_cardinality = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    x_train, y_train, x_valid, y_valid = replication()
    n = len(y_train)
    rng = np.random.default_rng(1)

    evaluations = 0

    def utility(coalition):
        nonlocal evaluations
        evaluations += 1
        labels = y_train[coalition]
        if np.unique(labels).size < 2:  # the wrapper's constant model
            predictions = np.full(len(y_valid), labels[0])
        else:
            model = LogisticRegression()
            model.fit(x_train[coalition], labels)
            predictions = model.predict(x_valid)
        return float(np.mean(predictions == y_valid))

    marginal_sum = np.zeros(n)
    start = time.perf_counter()
    for _ in range(permutations):
        subset = rng.permutation(n)
        marginal_increment = np.zeros(n) + 1e-12
        coalition = list(subset[:min_cardinality])
        prev_perf = utility(coalition)
        for idx in subset[min_cardinality:]:
            coalition.append(idx)
            curr_perf = utility(coalition)
            marginal_increment[idx] = curr_perf - prev_perf
            prev_perf = curr_perf
        marginal_sum += marginal_increment
    seconds = time.perf_counter() - start
    print(f"peer_evaluations={evaluations} peer_seconds={seconds:.3f} "
          f"peer_evaluations_per_second={evaluations / seconds:.1f}")


if __name__ == "__main__":
    main()
