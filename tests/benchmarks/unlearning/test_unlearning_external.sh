#!/usr/bin/env bash
# External unlearning methods end to end on mpirun -n 2 (docs/EXTERNAL.md,
# "unlearning"): a config mixing built-ins with Python methods: a no-op that
# returns original.npy gets the metrics of the built-in fisher at alpha = 0
# (which adds zero noise: the original model) to 1e-12; docs/examples/
# external/unlearning_retrain.py (Newton / closed form in numpy) gets the
# built-in retrain's to 1e-12 on logistic and ridge bases, and bit for bit on
# the kNN base; a no-op equals gaussian-finetune at 0 epochs on the MLP
# base; a faulty method's wrong shape, infinity, missing file and bad row
# indices are errors naming the file; label-free requests hide the forget
# labels; the persistent mode gives the per-cell mode's results; sequential
# requests run the command once each, in the same cell directory.
source "$(dirname "${BASH_SOURCE[0]}")/../../integration/lib.sh"
source "$SRC/tests/benchmarks/lib_external.sh"
cat > noop.py <<'PY'
import numpy as np
from shardbench_external import load, main, save

def run(cell_dir, cell):
    y, forget, retain = load(cell_dir, "train_y"), load(cell_dir, "forget"), load(cell_dir, "retain")
    assert np.array_equal(np.sort(np.concatenate([forget, retain])), np.arange(len(y)))
    hidden = (y[forget] == -1).all()
    assert hidden == cell["label_free"] and (y[retain] >= 0).all(), "labels"
    assert load(cell_dir, "original").shape == tuple(cell["arrays"]["original"]["shape"])
    save(cell_dir, "theta", load(cell_dir, "original"))

main(run)
PY
cat > faulty.py <<'PY'
import numpy as np
from shardbench_external import load, main, save

def run(cell_dir, cell):
    theta, seed = load(cell_dir, "original"), cell["seed"]
    if cell["base"]["model"] == "knn":
        rows = load(cell_dir, "retain").astype(np.float64)
        if seed == 0:
            rows[2] = rows[1]
        elif seed == 1:
            rows[0] = len(load(cell_dir, "train_y"))
        save(cell_dir, "theta", rows)
        return
    if seed == 0:
        theta = theta[:-1]
    elif seed == 1:
        theta[1, 2] = np.inf
    elif seed == 2:
        return  # no theta.npy
    save(cell_dir, "theta", theta)

main(run)
PY
config() {  # config MODE
  cat <<TOML
suite = "unlearning"
seeds = 3

[[datasets]]
name = "gaussian-classifier"
n = 400
d = 4
classes = 3
n_train = 200
n_test = 100
n_heldout = 100
forget = "random"
fraction = 0.1
model = ["logistic", "ridge"]
tolerance = 1e-12

[[datasets]]
name = "gaussian-classifier"
n = 400
d = 4
classes = 3
n_train = 200
n_test = 100
n_heldout = 100
forget = "random"
fraction = 0.1
tolerance = 1e-12
label_free = true

[[methods]]
name = "retrain"

[[methods]]
name = "fisher"
alpha = 0.0

[[methods]]
name = "py-retrain"
command = ["$PY", "unlearning_retrain.py"]
version = "1"
mode = "$1"

[[methods]]
name = "py-noop"
command = ["$PY", "noop.py"]
version = "1"
mode = "$1"

[[methods]]
name = "py-faulty"
command = ["$PY", "faulty.py"]
version = "1"
mode = "$1"
TOML
}
config per-cell > percell.toml
config persistent > persistent.toml

# check_unlearner_agrees WHAT DB A B MIN EXCEPT: check_agree on each dataset,
# but the metrics EXCEPT lists (speedup is a timing).
check_unlearner_agrees() {
  check_agree "$1" "$2" "$3" "$4" "$5" "a.dataset_params = b.dataset_params" "a.metric NOT IN ($6)"
}

say "per-cell mode on mpirun -n 2: 3 seeds x 3 datasets (logistic, ridge, label-free logistic) x (2 built-in + 3 external)"
run_cmd percell "${MPIRUN[@]}" -n 2 "$SB" run percell.toml --db percell.sqlite
check_rc "run (some cells fail)" 1 percell
check_eq "statuses" "error|py-faulty|9
ok|fisher|9
ok|py-noop|9
ok|py-retrain|9
ok|retrain|9" "$(sql percell.sqlite "SELECT status, method, count(*) FROM cells GROUP BY status, method ORDER BY status, method")"
check_eq "wrong shape named" 3 \
  "$(sql percell.sqlite "SELECT count(*) FROM cells WHERE seed = 0 AND error LIKE '%theta.npy has shape (4, 3) (expected (5, 3): the shape of original.npy)%'")"
check_eq "infinity named" 3 \
  "$(sql percell.sqlite "SELECT count(*) FROM cells WHERE seed = 1 AND error LIKE '%theta.npy entry (1, 2) is inf (entries must be finite)%'")"
check_eq "missing file named" 3 \
  "$(sql percell.sqlite "SELECT count(*) FROM cells WHERE seed = 2 AND error LIKE '%external unlearner ''py-faulty'' wrote no theta.npy%'")"
check_unlearner_agrees "py-noop equals fisher[alpha=0]" percell.sqlite fisher py-noop 150 "'speedup'"
# forget_quality is a KS p-value of the forget losses against the oracle's: the
# built-in retrain is the oracle bit for bit (p = 1), a retrain equal to 1e-15
# may order a pair of equal losses otherwise.
check_unlearner_agrees "py-retrain equals retrain" percell.sqlite retrain py-retrain 140 "'speedup', 'forget_quality'"
check_eq "retrain's param_rel_l2 <= 1e-12 on every cell" 9 \
  "$(sql percell.sqlite "SELECT count(*) FROM results WHERE method = 'py-retrain' AND metric = 'param_rel_l2' AND value <= 1e-12")"

check_persistent_mode 1 "dataset_label, method_label" "metric != 'speedup'"

say "kNN base: the stored rows in and out; the retrain is the built-in's bit for bit"
cat > knn.toml <<TOML
suite = "unlearning"
seeds = 2
[[datasets]]
name = "gaussian-classifier"
n = 400
d = 4
classes = 3
n_train = 200
n_test = 100
n_heldout = 100
forget = "random"
fraction = 0.1
model = "knn"
[[methods]]
name = "knn-deletion"
[[methods]]
name = "py-retrain"
command = ["$PY", "unlearning_retrain.py"]
version = "1"
[[methods]]
name = "py-faulty"
command = ["$PY", "faulty.py"]
version = "1"
TOML
run_cmd knn "${MPIRUN[@]}" -n 2 "$SB" run knn.toml --db knn.sqlite
check_rc "run (some cells fail)" 1 knn
check_unlearner_agrees "kNN: py-retrain equals knn-deletion" knn.sqlite knn-deletion py-retrain 20 "'speedup'"
check_eq "a repeated row named" 1 \
  "$(sql knn.sqlite "SELECT count(*) FROM cells WHERE seed = 0 AND error LIKE '%theta.npy row 2 is % (knn: distinct row indices of train_x, 0 <= i < 200)%'")"
check_eq "a row out of range named" 1 \
  "$(sql knn.sqlite "SELECT count(*) FROM cells WHERE seed = 1 AND error LIKE '%theta.npy row 0 is 200 (knn: distinct row indices%'")"

say "MLP base: the flat parameter vector in and out; a no-op equals gaussian-finetune at 0 epochs"
cat > mlp.toml <<TOML
suite = "unlearning"
seeds = 1
[[datasets]]
name = "gaussian-classifier"
n = 300
d = 4
classes = 3
n_train = 100
n_test = 100
n_heldout = 100
forget = "random"
fraction = 0.1
model = "mlp"
mlp_epochs = 3
noise_seeds = 1
[[methods]]
name = "gaussian-finetune"
epochs = 0
[[methods]]
name = "py-noop"
command = ["$PY", "noop.py"]
version = "1"
TOML
run_cmd mlp "$SB" run mlp.toml --db mlp.sqlite
check_rc "run" 0 mlp
check_unlearner_agrees "MLP: py-noop equals gaussian-finetune[epochs=0]" mlp.sqlite gaussian-finetune py-noop 20 "'speedup'"

say "sequential requests: one run per request in the same cell directory, graded as a built-in's"
cat > stateful.py <<'PY'
import os, numpy as np
from shardbench_external import load, main, save

def run(cell_dir, cell):
    # The cell directory keeps the method's files between requests: count them.
    state = os.path.join(cell_dir, "state.npy")
    done = int(np.load(state)) if os.path.exists(state) else 0
    assert cell["request"] == done and cell["requests"] == 3, (cell["request"], done)
    assert not os.path.exists(os.path.join(cell_dir, "theta.npy")), "the previous answer is removed"
    forget, retain = load(cell_dir, "forget"), load(cell_dir, "retain")
    assert len(forget) + len(retain) < cell["arrays"]["train_x"]["shape"][0] or done == 0  # earlier requests gone
    np.save(state, np.int64(done + 1))
    save(cell_dir, "theta", load(cell_dir, "original"))

main(run)
PY
sed -n '1,/^model = /p' knn.toml | sed -e 's/forget = "random"/forget = "sequential"/' -e 's/model = "knn"/model = "ridge"/' \
  > sequential.toml
cat >> sequential.toml <<TOML
tolerance = 1e-12
[[methods]]
name = "retrain"
[[methods]]
name = "py-retrain"
command = ["$PY", "unlearning_retrain.py"]
version = "1"
[[methods]]
name = "py-stateful"
command = ["$PY", "stateful.py"]
version = "1"
mode = "persistent"
TOML
run_cmd sequential "${MPIRUN[@]}" -n 2 "$SB" run sequential.toml --db sequential.sqlite
check_rc "run" 0 sequential
check_unlearner_agrees "sequential: py-retrain equals retrain, every request" sequential.sqlite retrain py-retrain 60 \
  "'speedup', 'forget_quality'"
check_eq "per-request metrics of 3 requests" "acc_test|acc_test/request_1|acc_test/request_2|acc_test/request_3" \
  "$(sql sequential.sqlite "SELECT DISTINCT metric FROM results WHERE method = 'py-stateful' AND metric LIKE 'acc_test%' ORDER BY 1" | paste -sd'|')"

finish
