#!/usr/bin/env bash
# Hardening issue, defect 2: an OOD `npy` folder with a set named `far` (a
# legal file name whose per-set metric "auroc/far" collides with the far
# group's mean) made SQLite refuse a cell mid-run and the run exit 3, left
# `running`. The name is now refused when the run is planned (exit 2, nothing
# written); the executor's own output checks (tests/harness/run/output_checks_test)
# would turn any such collision into that cell's `error`.
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

say "the reserved set name is refused at planning, naming it; nothing is written"
set +e
"${MPIRUN[@]}" -n 2 "$SB" run exp.toml --db r.sqlite >run.out 2>run.err
code=$?
set -e
[[ $code -eq 2 ]] && pass "exit 2 (input error), not 3" || fail "exit $code; $(tail -3 run.err)"
grep -q "'far'.*reserved\|reserved.*'far'" run.err && pass "message names the reserved set" || fail "message: $(cat run.err)"
[[ ! -e r.sqlite ]] && pass "no database written" || fail "r.sqlite was created"

say "renamed, the same folder runs"
mv feats/ood_far_features.npy feats/ood_distant_features.npy
"${MPIRUN[@]}" -n 2 "$SB" run exp.toml --db r.sqlite >run2.out 2>run2.err || fail "run failed: $(tail -3 run2.err)"
n=$(sqlite3 r.sqlite "SELECT COUNT(*) FROM cells WHERE status='ok'")
[[ $n -eq 2 ]] && pass "2 ok cells" || fail "expected 2 ok cells, got $n"
[[ $(sqlite3 r.sqlite "SELECT status FROM runs") == ok ]] && pass "run recorded ok" || fail "run status"
finish
