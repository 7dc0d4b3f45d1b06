"""An external estimator for the estimation suite's `location` task: the
sample mean of each coordinate, with the normal-theory standard error and
95% CI of the first one.

Inputs (cell dir): x.npy (n samples x d). Output: estimate.json with
"value" (d numbers), "std_error", "ci_low", "ci_high" (of value[0]).
"""
import numpy as np

from shardbench_external import load, main, save_json


def run(cell_dir, cell):
    if cell["task"] != "location":
        raise ValueError("this estimator solves the location task, not " + cell["task"])
    x = load(cell_dir, "x")
    value = x.mean(axis=0)
    se = x[:, 0].std(ddof=1) / np.sqrt(x.shape[0])
    save_json(cell_dir, "estimate", {"value": value.tolist(), "std_error": se,
                                     "ci_low": value[0] - 1.959963984540054 * se,
                                     "ci_high": value[0] + 1.959963984540054 * se})


if __name__ == "__main__":
    main(run)
