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
first, e.g. 20,000). Our values and Monte Carlo errors are shardbench's own
(`table SPEC --evidence --format json`), so any aggregate with a Monte Carlo
error works. Needs NumPy (Debian's python3-numpy).
"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np

CHI2_1_MEDIAN = 0.454936423119572  # median of chi-square with 1 degree of freedom
Z95 = 1.959963984540054  # the evidence's interval is reproduced +- Z95 Monte Carlo SEs
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def evidence(shardbench, db, spec):
    """(published, ours, per-replication spread, n) per [[published]] entry,
    from `shardbench table SPEC --evidence --format json`: the spread is our
    Monte Carlo SE (half the 95% interval over Z95) times sqrt(n), so the
    aggregates' error formulas stay in one place (docs/PAPERS.md)."""
    out = subprocess.run([shardbench, "table", spec, "--db", db, "--evidence", "--format", "json"],
                         capture_output=True, text=True)
    if out.returncode not in (0, 1):  # 1: some value outside its tolerance, which is fine here
        sys.exit(f"{spec}: shardbench table --evidence failed:\n{out.stderr.strip()}")
    columns = [c["name"] for c in json.loads(out.stdout)["columns"]]
    published, reproduced, n = (columns.index(k) for k in ("published", "reproduced [95% CI]", "n"))
    rows = []
    for row in json.loads(out.stdout)["rows"]:
        ours = row[reproduced]
        if ours.get("low") is None or row[n]["value"] < 2:
            sys.exit(f"{spec}: no Monte Carlo error for {row[0]} on {row[1]} in {db} (run the spec's cells first)")
        se = (ours["high"] - ours["low"]) / (2 * Z95)
        rows.append((row[published]["value"], ours["value"], se * np.sqrt(row[n]["value"]), row[n]["value"]))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="database with the specs' cells (many seeds)")
    parser.add_argument("--shardbench", default=os.path.join(REPO, "build/release/shardbench"),
                        help="the shardbench binary (default: build/release/shardbench of this checkout)")
    parser.add_argument("specs", nargs="+", help="paper specs with [[published]] values")
    args = parser.parse_args()
    if not os.access(args.shardbench, os.X_OK):
        sys.exit(f"{args.shardbench}: no shardbench binary (build it, or pass --shardbench PATH)")
    z, n_ours = [], []
    for path in args.specs:
        for value, ours, spread, n in evidence(args.shardbench, args.db, path):
            z.append((value - ours) / spread)
            n_ours.append(n)
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
