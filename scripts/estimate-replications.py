#!/usr/bin/python3
"""Estimates the number of replications R behind a published simulation
table that does not print it (docs/PAPERS.md, "Replications estimated from
a table").

Each published value p_i is the study's estimate of an aggregate whose true
value we estimate with many seeds (ours_i, per-replication spread s_i, the
Monte Carlo error of one replication as docs/PAPERS.md defines it for the
aggregate). Under the hypothesis that we reproduce the design,
z_i = (p_i - ours_i) / s_i has variance 1/R + 1/n_ours, so R follows from
the spread of the z_i: the method of moments, 1 / (mean z^2 - 1/n_ours),
and a robust version from the median, chi2_1 median / median z^2, which
heavy-tailed aggregates (an RMSE under extreme weights) cannot drag.

    /usr/bin/python3 scripts/estimate-replications.py --db big.sqlite SPEC.toml...

The database must hold the specs' cells (run their config with many seeds
first, e.g. 20,000). Needs NumPy (Debian's python3-numpy).
"""
import argparse
import sqlite3
import sys
import tomllib

import numpy as np

CHI2_1_MEDIAN = 0.454936423119572  # median of chi-square with 1 degree of freedom


def aggregate(name, errors):
    """(value, per-replication spread) of an estimation aggregate over the errors."""
    e = np.asarray(errors, dtype=float)
    n = len(e)
    if name == "bias":
        return e.mean(), e.std(ddof=1)
    if name == "rmse":
        sq = e * e
        rmse = np.sqrt(sq.mean())
        return rmse, sq.std(ddof=1) / (2 * rmse)
    if name == "median_abs_error":
        a = np.abs(e)
        h = n ** (-1 / 3) / 2
        lo, hi = np.quantile(a, [0.5 - h, 0.5 + h])
        return np.median(a), (hi - lo) / (4 * h)
    raise SystemExit(f"aggregate '{name}' is not supported (bias, rmse, median_abs_error)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="database with the specs' cells (many seeds)")
    parser.add_argument("specs", nargs="+", help="paper specs with [[published]] values")
    args = parser.parse_args()
    con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    z, n_ours = [], []
    for path in args.specs:
        with open(path, "rb") as f:
            spec = tomllib.load(f)
        for entry in spec.get("published", []):
            errors = [v for (v,) in con.execute(
                "SELECT value FROM results WHERE status = 'ok' AND metric = 'error' "
                "AND method_label = ? AND dataset_label = ?", (entry["method"], entry["dataset"]))]
            if len(errors) < 2:
                sys.exit(f"{path}: no cells for {entry['method']} on {entry['dataset']} in {args.db}")
            value, spread = aggregate(spec["aggregate"], errors)
            z.append((entry["value"] - value) / spread)
            n_ours.append(len(errors))
    z2 = np.square(z)
    inv_n = np.mean(1 / np.asarray(n_ours))
    print(f"published values: {len(z2)}; our replications per value: {min(n_ours)}-{max(n_ours)}")
    k = len(z2)
    r_mom = 1 / (z2.mean() - inv_n)
    # k * mean z^2 * R ~ chi2_k (Wilson-Hilferty quantiles), so R's 95% interval:
    q = [k * (1 - 2 / (9 * k) + zp * np.sqrt(2 / (9 * k))) ** 3 for zp in (-1.959964, 1.959964)]
    lo, hi = (1 / (k * z2.mean() / qi - inv_n) for qi in q)
    print(f"method of moments: R = {r_mom:.0f} (95% interval {lo:.0f}-{hi:.0f})")
    print(f"robust (median):   R = {1 / (np.median(z2) / CHI2_1_MEDIAN - inv_n):.0f}")
    print(f"largest |z| at that R: {np.sqrt(r_mom) * np.max(np.abs(z)):.2f}")


if __name__ == "__main__":
    main()
