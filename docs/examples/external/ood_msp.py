"""An external OOD detector: maximum softmax probability (Hendrycks & Gimpel,
2017) in numpy, the same score as the built-in `msp`.

Inputs (cell dir): eval_logits.npy (rows to score x classes); params:
temperature (optional, default 1). Output: scores.npy, one score per row,
higher = more in-distribution.
"""
import numpy as np

from shardbench_external import load, main, save


def run(cell_dir, cell):
    logits = load(cell_dir, "eval_logits") / float(cell["params"].get("temperature", 1.0))
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    save(cell_dir, "scores", p.max(axis=1))


if __name__ == "__main__":
    main(run)
