"""Helpers for shardbench external methods (docs/EXTERNAL.md).

A method script defines `run(cell_dir, cell)` and ends with `main(run)`:
  - per-cell mode (the default): shardbench runs `command... CELL_DIR`;
  - mode = "persistent": shardbench runs `command...` once per executor and
    writes one cell directory per line on its stdin; the script answers
    "ok" (or "error <message>") on stdout after writing its outputs.
`cell` is the parsed cell.json (params, seed, shapes, the suite's fields).
Only numpy is needed. Print diagnostics to stderr: in persistent mode stdout
carries the protocol (other stdout lines are passed on as output).
"""
import json
import os
import sys
import traceback


def load(cell_dir, name):
    """The input array `name` (cell.json's "arrays" lists them)."""
    import numpy as np  # imported on first use: a method that needs no arrays starts faster
    return np.load(os.path.join(cell_dir, name + ".npy"))


def save(cell_dir, name, array):
    """Writes an output .npy (e.g. "scores")."""
    import numpy as np
    np.save(os.path.join(cell_dir, name + ".npy"), np.asarray(array))


def save_json(cell_dir, name, obj):
    """Writes an output .json (e.g. "estimate")."""
    with open(os.path.join(cell_dir, name + ".json"), "w") as f:
        json.dump(obj, f)


def _run_one(run, cell_dir):
    with open(os.path.join(cell_dir, "cell.json")) as f:
        cell = json.load(f)
    run(cell_dir, cell)


def main(run):
    if len(sys.argv) > 1:  # per-cell mode
        _run_one(run, sys.argv[1])
        return
    for line in sys.stdin:  # persistent mode
        cell_dir = line.rstrip("\n")
        try:
            _run_one(run, cell_dir)
            answer = "ok"
        except Exception as e:  # the cell fails, the process goes on
            traceback.print_exc(file=sys.stderr)
            answer = "error " + (" ".join(str(e).split()) or type(e).__name__)
        sys.stdout.write(answer + "\n")
        sys.stdout.flush()
