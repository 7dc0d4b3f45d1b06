#!/usr/bin/env bash
# A cell whose output the database would refuse fails that cell, never the
# run (hardening issue, defect 2): an OOD `npy` folder with a set named `far`
# (a legal file name whose per-set metric "auroc/far" collides with the far
# group's mean) gives `error` cells with the reason, the run finishes (exit 1)
# and is recorded as finished, not left `running`.
source "$(dirname "$0")/lib.sh"

/usr/bin/python3 - <<'PY' || die "numpy is needed to write the .npy inputs"
import numpy as np
rng = np.random.default_rng(0)
def split(prefix, n, shift):
    np.save(f"feats/{prefix}_features.npy", rng.normal(shift, 1.0, (n, 4)))
    np.save(f"feats/{prefix}_labels.npy", rng.integers(0, 2, n).astype(np.int64))
import os
os.makedirs("feats")
split("id_train", 60, 0.0)
split("id_test", 30, 0.0)
np.save("feats/ood_far_features.npy", rng.normal(3.0, 1.0, (30, 4)))
np.save("feats/ood_other_features.npy", rng.normal(2.0, 1.0, (30, 4)))
PY

cat > exp.toml <<TOML
suite = "ood"
seeds = 2
[[datasets]]
name = "npy"
dir = "$WORK/feats"
[[methods]]
name = "msp"
TOML

say "the colliding set name fails its cells by name; the run completes"
set +e
"${MPIRUN[@]}" -n 2 "$SB" run exp.toml --db r.sqlite >run.out 2>run.err
code=$?
set -e
[[ $code -eq 1 ]] && pass "exit 1 (some cells failed), not 3" || fail "exit $code; $(tail -3 run.err)"
n=$(sqlite3 r.sqlite "SELECT COUNT(*) FROM cells WHERE status='error' AND error LIKE '%''far'' is reserved%'")
[[ $n -eq 2 ]] && pass "2 cells recorded as error naming the set" || fail "expected 2 error cells, got $n: $(sqlite3 r.sqlite 'SELECT status, error FROM cells')"
st=$(sqlite3 r.sqlite "SELECT status FROM runs")
[[ $st == "failed-cells" ]] && pass "run recorded as failed-cells" || fail "run status '$st'"
[[ $(sqlite3 r.sqlite "PRAGMA integrity_check") == ok ]] && pass "integrity_check ok" || fail "integrity_check"
finish
