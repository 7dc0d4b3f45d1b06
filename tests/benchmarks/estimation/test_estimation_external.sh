#!/usr/bin/env bash
# External estimators end to end on mpirun -n 2 (docs/EXTERNAL.md): a
# config mixing built-in estimators with two Python ones (docs/examples/
# external/estimation_mean.py, whose estimates equal the built-in
# sample-mean's to 1e-12, and a faulty one that crashes on seed 1, returns
# the wrong number of values on seed 2 and invalid JSON on seed 3); the
# persistent mode gives the per-cell mode's results.
source "$(dirname "${BASH_SOURCE[0]}")/../../integration/lib.sh"
source "$SRC/tests/benchmarks/lib_external.sh"
cat > faulty.py <<'PY'
import os, sys
from shardbench_external import load, main, save_json

def run(cell_dir, cell):
    seed = cell["seed"]
    x = load(cell_dir, "x")
    if seed == 1:
        print("about to crash", file=sys.stderr, flush=True)
        os.kill(os.getpid(), 9)
    if seed == 2:
        save_json(cell_dir, "estimate", {"value": [1.0]})
    elif seed == 3:
        with open(cell_dir + "/estimate.json", "w") as f:
            f.write("{'value': oops}")
    else:
        save_json(cell_dir, "estimate", {"value": x.mean(axis=0).tolist(), "std_error": None})

main(run)
PY
config() {  # config MODE
  cat <<TOML
suite = "estimation"
seeds = 4

[[datasets]]
name = "corrupted-mean"
n = 200
d = 3
rate = 0.0

[[methods]]
name = "sample-mean"

[[methods]]
name = "trimmed-mean"
trim = 0.1

[[methods]]
name = "py-mean"
command = ["$PY", "estimation_mean.py"]
version = "1"
mode = "$1"

[[methods]]
name = "py-faulty"
command = ["$PY", "faulty.py"]
version = "1"
mode = "$1"
params = { unused = ["a", "b"] }
TOML
}
config per-cell > percell.toml
config persistent > persistent.toml

say "per-cell mode on mpirun -n 2: 4 seeds x (2 built-in + 1 external + 1 external x 2 params)"
run_cmd percell "${MPIRUN[@]}" -n 2 "$SB" run percell.toml --db percell.sqlite
check_rc "run (some cells fail)" 1 percell
check_eq "statuses" "crashed|py-faulty|2
error|py-faulty|4
ok|py-faulty|2
ok|py-mean|4
ok|sample-mean|4
ok|trimmed-mean|4" "$(sql percell.sqlite "SELECT status, method, count(*) FROM cells GROUP BY status, method ORDER BY status, method")"
check_eq "crash message (signal and stderr tail)" 2 \
  "$(sql percell.sqlite "SELECT count(*) FROM cells WHERE seed = 1 AND error LIKE '%signal 9%' AND error LIKE '%about to crash%'")"
check_eq "wrong size named" 2 \
  "$(sql percell.sqlite "SELECT count(*) FROM cells WHERE seed = 2 AND error LIKE '%''value'' has 1 values, expected 3%'")"
check_eq "invalid JSON named" 2 \
  "$(sql percell.sqlite "SELECT count(*) FROM cells WHERE seed = 3 AND error LIKE '%estimate.json'': invalid JSON at byte 1%'")"
check_eq "method params recorded" '{"unused":"a"}|{"unused":"b"}' \
  "$(sql percell.sqlite "SELECT DISTINCT method_params FROM cells WHERE method = 'py-faulty' ORDER BY 1" | paste -sd'|')"
check_agree "py-mean equals sample-mean" percell.sqlite sample-mean py-mean 28 "" \
  "a.metric IN ('estimate', 'truth', 'error', 'abs_error', 'sq_error', 'l2_error', 'std_error')"

# A crash's message differs by mode: the persistent process dies "while running the cell".
check_persistent_mode 1 method_label "" status
check_eq "cells" 20 "$(count_cells persistent.sqlite)"

say "name = \"*\": every estimator that runs on the scenario; -s and --method on the command line"
cat > star.toml <<'TOML'
suite = "estimation"
seeds = 1
[[datasets]]
name = "corrupted-mean"
n = 100
d = 2
[[methods]]
name = "*"
exclude = ["rate-aware"]
TOML
run_cmd star "$SB" run star.toml --db star.sqlite
check_rc "run" 0 star
check_eq "the location estimators but rate-aware" "coordinate-median hodges-lehmann huber-mean median-of-means sample-mean trimmed-mean" \
  "$(sql star.sqlite "SELECT DISTINCT method FROM cells ORDER BY 1" | paste -sd' ')"
run_cmd override "$SB" run star.toml --db override.sqlite --method 'trim*' -s method.trim=0.05,0.2 -s dataset.n=50
check_rc "run with -s" 0 override
check_eq "overridden grid" 'corrupted-mean[d=2,n=50,noise=normal,outlier_distance=10,rate=0.1,rates=constant]|trimmed-mean[bootstrap_samples=100,se=winsorized,trim=0.05]
corrupted-mean[d=2,n=50,noise=normal,outlier_distance=10,rate=0.1,rates=constant]|trimmed-mean[bootstrap_samples=100,se=winsorized,trim=0.2]' \
  "$(sql override.sqlite "SELECT dataset_label, method_label FROM cells ORDER BY 2")"
run_cmd badopt "$SB" run star.toml --db bad.sqlite -s method.trim=0.7
check_rc "out-of-range override" 2 badopt
check_file_contains "names the option" badopt.err "option -s 'method.trim=0.7': method 'trimmed-mean'"
run_cmd badsyntax "$SB" run star.toml --db bad.sqlite -s trim
check_rc "bad override syntax" 2 badsyntax
check_file_contains "names the option" badsyntax.err "option -s 'trim': expected"
sed -i 's/exclude = \["rate-aware"\]/tags = ["task:nothing"]/' star.toml
run_cmd badtag "$SB" run star.toml --db bad.sqlite
check_rc "unknown tag" 2 badtag
check_file_contains "names the tag" badtag.err "star.toml:7: methods '\*': unknown tag 'task:nothing'"
check_true "nothing written" "[[ ! -e bad.sqlite ]]"
cat > mixed.toml <<'TOML'
suite = "estimation"
seeds = 1
[[datasets]]
name = "corrupted-mean"
[[datasets]]
name = "contaminated-regression"
[[methods]]
name = "*"
TOML
run_cmd mixed "$SB" run mixed.toml --db bad.sqlite
check_rc "a wildcard that keeps no method (no estimator suits both tasks)" 2 mixed
check_file_contains "names its line" mixed.err "mixed.toml:7: methods '\*': none of the matching methods runs on every dataset"
check_true "nothing written" "[[ ! -e bad.sqlite ]]"

say "a negative or out-of-range std_error fails the cell, naming it"
cat > badse.py <<'PY'
from shardbench_external import load, main

def run(cell_dir, cell):
    value = ", ".join(str(v) for v in load(cell_dir, "x").mean(axis=0))
    se = "-5" if cell["seed"] == 0 else "1e999"
    with open(cell_dir + "/estimate.json", "w") as f:
        f.write('{"value": [%s], "std_error": %s}' % (value, se))

main(run)
PY
cat > badse.toml <<TOML
suite = "estimation"
seeds = 2
[[datasets]]
name = "corrupted-mean"
n = 50
[[methods]]
name = "py-badse"
command = ["$PY", "badse.py"]
version = "1"
TOML
run_cmd badse "$SB" run badse.toml --db badse.sqlite
check_rc "its cells fail" 1 badse
check_eq "negative" "error|external estimator 'py-badse': estimate.json 'std_error' = -5 is negative" \
  "$(sql badse.sqlite "SELECT status, error FROM cells WHERE seed = 0")"
check_eq "out of range (1e999)" "error|1" "$(sql badse.sqlite "SELECT status, error LIKE 'external method ''py-badse'': \
''estimate.json'': invalid JSON at byte % number out of the range of a double%' FROM cells WHERE seed = 1")"

finish
