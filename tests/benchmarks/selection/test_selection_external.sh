#!/usr/bin/env bash
# External valuers end to end on mpirun -n 2 (docs/EXTERNAL.md, "selection"):
# a config mixing built-in valuers with two Python ones (docs/examples/
# external/selection_knn_shapley.py, whose values, hence every metric, equal
# the built-in knn-shapley's to 1e-12, and a faulty one that writes values of
# the wrong length on seed 0, a NaN on seed 1, an int64 array on seed 2 and
# an attribution of the wrong shape on seed 3); the persistent mode gives the
# per-cell mode's results; a regression table reaches the method as such.
source "$(dirname "${BASH_SOURCE[0]}")/../../integration/lib.sh"
source "$SRC/tests/benchmarks/lib_external.sh"
cat > faulty.py <<'PY'
import json, numpy as np
from shardbench_external import load, main, save

def run(cell_dir, cell):
    seed, n = cell["seed"], cell["arrays"]["train_x"]["shape"][0]
    m = cell["arrays"]["valid_x"]["shape"][0]
    values = load(cell_dir, "train_x")[:, 0].copy()
    assert cell["task"] == "classification" and cell["want_attribution"] and cell["utility"]["model"] == "logistic"
    assert load(cell_dir, "train_y").dtype == np.int64 and cell["method_seed"] != cell["seed"]
    if seed == 0:
        values = values[:-1]
    elif seed == 1:
        values[3] = np.nan
    elif seed == 2:
        values = np.arange(n)
    elif seed == 3:
        save(cell_dir, "attribution", np.zeros((n, m + 1)))
    else:
        save(cell_dir, "attribution", np.outer(values, np.ones(m)))
    save(cell_dir, "values", values)

main(run)
PY
config() {  # config MODE
  cat <<TOML
suite = "selection"
seeds = 5

[[datasets]]
name = "gaussian-classifier"
n = 200
d = 4
classes = 3
separation = 1.5
n_train = 40
n_valid = 30
n_test = 60
rate = 0.2
lds_subsets = 20

[[methods]]
name = "knn-shapley"
k = [3, 5]

[[methods]]
name = "random"

[[methods]]
name = "py-knn"
command = ["$PY", "selection_knn_shapley.py"]
version = "1"
mode = "$1"
params = { k = [3, 5] }

[[methods]]
name = "py-faulty"
command = ["$PY", "faulty.py"]
version = "1"
mode = "$1"
TOML
}
config per-cell > percell.toml
config persistent > persistent.toml

say "per-cell mode on mpirun -n 2: 5 seeds x (2 + 1 built-in, 2 + 1 external)"
run_cmd percell "${MPIRUN[@]}" -n 2 "$SB" run percell.toml --db percell.sqlite
check_rc "run (some cells fail)" 1 percell
check_eq "statuses" "error|py-faulty|4
ok|knn-shapley|10
ok|py-faulty|1
ok|py-knn|10
ok|random|5" "$(sql percell.sqlite "SELECT status, method, count(*) FROM cells GROUP BY status, method ORDER BY status, method")"
check_eq "wrong length named" 1 \
  "$(sql percell.sqlite "SELECT count(*) FROM cells WHERE seed = 0 AND error LIKE '%values.npy has shape (39,) (expected (40,): one value per row of train_x)%'")"
check_eq "NaN named" 1 \
  "$(sql percell.sqlite "SELECT count(*) FROM cells WHERE seed = 1 AND error LIKE '%values.npy entry 3 is nan (entries must be finite)%'")"
check_eq "dtype named" 1 \
  "$(sql percell.sqlite "SELECT count(*) FROM cells WHERE seed = 2 AND error LIKE '%values.npy has dtype ''<i8'' (expected float64%'")"
check_eq "attribution shape named" 1 \
  "$(sql percell.sqlite "SELECT count(*) FROM cells WHERE seed = 3 AND error LIKE '%attribution.npy has shape (40, 31) (expected (40, 30): n_train x n_valid)%'")"
check_eq "the attribution is graded (lds) when given" 1 \
  "$(sql percell.sqlite "SELECT count(*) FROM results WHERE method = 'py-faulty' AND metric = 'lds'")"
check_eq "the valuer's cost is not known: no model_fits" 0 \
  "$(sql percell.sqlite "SELECT count(*) FROM results WHERE method LIKE 'py-%' AND metric = 'model_fits'")"
built_in=$(sql percell.sqlite "SELECT count(*) FROM results WHERE method = 'knn-shapley' AND metric != 'model_fits'")
check_agree "py-knn equals knn-shapley" percell.sqlite knn-shapley py-knn "$built_in" "a.method_params = b.method_params"
check_true "every metric of knn-shapley but model_fits compared ($built_in)" "[[ $built_in -ge 100 ]]"
check_eq "k reached the method (k = 3 and 5 differ)" 1 \
  "$(sql percell.sqlite "SELECT count(DISTINCT value) > 1 FROM results WHERE method = 'py-knn' AND seed = 0 AND metric = 'loo_spearman'")"

check_persistent_mode 1 method_label

say "a regression table: float64 targets, task and utility say so"
cat > regression.py <<'PY'
import numpy as np
from shardbench_external import load, main, save

def run(cell_dir, cell):
    y = load(cell_dir, "train_y")
    assert cell["task"] == "regression" and cell["num_classes"] == 0 and cell["utility"]["model"] == "ridge"
    assert y.dtype == np.float64 and load(cell_dir, "valid_y").dtype == np.float64
    save(cell_dir, "values", -np.abs(y))  # large |target| residuals first out

main(run)
PY
cat > regression.toml <<TOML
suite = "selection"
seeds = 1
[[datasets]]
name = "diabetes"
n_train = 50
n_valid = 50
n_test = 100
corruption = "target_noise"
rate = 0.2
[[methods]]
name = "py-regression"
command = ["$PY", "regression.py"]
version = "1"
TOML
run_cmd regression "$SB" run regression.toml --db regression.sqlite
check_rc "run" 0 regression
check_eq "graded" 1 "$(sql regression.sqlite "SELECT count(*) FROM results WHERE metric = 'noisy_auroc'")"

finish
