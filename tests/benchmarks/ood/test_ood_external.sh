#!/usr/bin/env bash
# External OOD detectors end to end on mpirun -n 2 (docs/EXTERNAL.md): a
# config mixing built-in detectors with two Python ones (docs/examples/
# external/ood_msp.py, whose metrics equal the built-in msp's to 1e-12, and
# a faulty one that crashes on seed 1, writes NaN on seed 2 and the wrong
# shape on seed 3); the persistent mode gives the per-cell mode's results;
# a hanging command is recorded as a timeout.
source "$(dirname "${BASH_SOURCE[0]}")/../../integration/lib.sh"
source "$SRC/tests/benchmarks/lib_external.sh"
cat > faulty.py <<'PY'
import os, sys
import numpy as np
from shardbench_external import load, main, save

def run(cell_dir, cell):
    seed = cell["seed"]
    n = load(cell_dir, "eval_logits").shape[0]
    if seed == 1:
        print("about to abort", file=sys.stderr, flush=True)
        os.abort()
    if seed == 2:
        save(cell_dir, "scores", np.full(n, np.nan))
    elif seed == 3:
        save(cell_dir, "scores", np.zeros(n + 1))
    else:
        save(cell_dir, "scores", np.zeros(n))

main(run)
PY
config() {  # config MODE
  cat <<TOML
suite = "ood"
seeds = 4

[[datasets]]
name = "gaussian-mixture"
k = 3
d = 6
n_train = 300
n_test = 200
n_ood = 150
shift = 3.0

[[methods]]
name = "msp"

[[methods]]
name = "energy"

[[methods]]
name = "py-msp"
command = ["$PY", "ood_msp.py"]
version = "1"
mode = "$1"
params = { temperature = 1.0 }

[[methods]]
name = "py-faulty"
command = ["$PY", "faulty.py"]
version = "1"
mode = "$1"
TOML
}
config per-cell > percell.toml
config persistent > persistent.toml

say "per-cell mode on mpirun -n 2: 4 seeds x (2 built-in + 2 external)"
run_cmd percell "${MPIRUN[@]}" -n 2 "$SB" run percell.toml --db percell.sqlite
check_rc "run (some cells fail)" 1 percell
check_eq "statuses" "crashed|py-faulty|1
error|py-faulty|2
ok|energy|4
ok|msp|4
ok|py-faulty|1
ok|py-msp|4" "$(sql percell.sqlite "SELECT status, method, count(*) FROM cells GROUP BY status, method ORDER BY status, method")"
check_eq "crash message (signal and stderr tail)" 1 \
  "$(sql percell.sqlite "SELECT count(*) FROM cells WHERE seed = 1 AND method = 'py-faulty' AND error LIKE '%signal 6%' AND error LIKE '%about to abort%'")"
check_eq "NaN scores named" 1 \
  "$(sql percell.sqlite "SELECT count(*) FROM cells WHERE seed = 2 AND error LIKE '%scores.npy entry 0 is nan (entries must be finite)%'")"
check_eq "wrong shape named" 1 \
  "$(sql percell.sqlite "SELECT count(*) FROM cells WHERE seed = 3 AND error LIKE '%scores.npy has shape (%) (expected (%,)%'")"
check_agree "py-msp equals msp" percell.sqlite msp py-msp 60 "a.dataset = b.dataset"

# A crash's message differs by mode: the persistent process dies "while running the cell".
check_persistent_mode 1 method "" status

say "resume: the ok cells are not rerun, the failed ones are"
run_cmd again "$SB" run percell.toml --db percell.sqlite
check_rc "rerun" 1 again
check_eq "cells" 16 "$(count_cells percell.sqlite)"

say "a hanging command is a timeout, and leaves no process behind"
cat > hang.toml <<TOML
suite = "ood"
seeds = 1
[[datasets]]
name = "gaussian-mixture"
k = 3
d = 6
n_train = 100
n_test = 50
n_ood = 50
[[methods]]
name = "py-hang"
command = ["$PY", "-c", "import time; time.sleep(600)"]
version = "1"
TOML
run_cmd hang "$SB" run hang.toml --db hang.sqlite --timeout 1
check_rc "run" 1 hang
check_eq "status" "timeout" "$(sql hang.sqlite "SELECT status FROM cells")"
sleep 0.2
check_eq "sleeping python processes left" "" "$(pgrep -f 'time.sleep\(600\)' || true)"

say "config errors: bad command, missing version, bad mode (exit 2)"
cat > bad.toml <<TOML
suite = "ood"
seeds = 1
[[datasets]]
name = "gaussian-mixture"
[[methods]]
name = "x"
command = []
mode = "sometimes"
colour = 3
TOML
run_cmd bad "$SB" run bad.toml --db bad.sqlite
check_rc "run" 2 bad
check_file_contains "command named" bad.err "bad.toml:7: .*'command' must be a non-empty list"
check_file_contains "version named" bad.err "needs a 'version'"
check_file_contains "mode named" bad.err "bad.toml:8: .*'mode' must be"
check_file_contains "unknown key named" bad.err "bad.toml:9: .*unknown key 'colour'"
check_true "nothing written" "[[ ! -e bad.sqlite ]]"

finish
