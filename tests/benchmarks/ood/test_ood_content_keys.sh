#!/usr/bin/env bash
# Content-hashed inputs (docs/EXTERNAL.md, "Content-hashed inputs"): cells of
# an `npy` feature folder and of an external method are keyed by the content
# of the files they read, not by their paths. Changing one byte of a folder's
# file reruns exactly that folder's cells; moving a folder (and pointing the
# config at the new place) reruns none; changing the method's script reruns
# exactly its cells.
source "$(dirname "${BASH_SOURCE[0]}")/../../integration/lib.sh"

PY=/usr/bin/python3
$PY -c "import numpy" 2>/dev/null || die "/usr/bin/python3 with numpy is needed (scripts/setup.sh --test)"
cp "$SRC"/docs/examples/external/*.py .
$PY - <<'PY'
import numpy as np, os
for folder, seed in (("a", 1), ("b", 2)):
    rng = np.random.default_rng(seed)
    os.makedirs(folder)
    for split, n in (("id_train", 60), ("id_test", 40)):
        labels = rng.integers(0, 3, n)
        np.save(f"{folder}/{split}_features.npy", rng.normal(size=(n, 4)) + labels[:, None])
        np.save(f"{folder}/{split}_labels.npy", labels)
    np.save(f"{folder}/ood_shifted_features.npy", rng.normal(size=(30, 4)) + 5)
PY
config() {  # config DIR_A DIR_B
  cat <<TOML
suite = "ood"
seeds = 2
[[datasets]]
name = "npy"
dir = "$1"
[[datasets]]
name = "npy"
dir = "$2"
[[methods]]
name = "msp"
[[methods]]
name = "py-msp"
command = ["$PY", "ood_msp.py"]
version = "1"
TOML
}
# Cells (re)computed since `mark` (a run that has nothing to do records no run).
mark() { MARK=$(sql db.sqlite "SELECT coalesce(max(run_id), 0) FROM runs" 2>/dev/null || echo 0); }
ran_last() { sql db.sqlite "SELECT count(*) FROM cells WHERE run_id > $MARK"; }
MARK=0

say "first run: 2 folders x 2 seeds x 2 methods"
config a b > exp.toml
run_cmd first "${MPIRUN[@]}" -n 2 "$SB" run exp.toml --db db.sqlite
check_rc "run" 0 first
check_eq "cells run" 8 "$(ran_last)"

say "same files: nothing reruns"
mark
run_cmd same "$SB" run exp.toml --db db.sqlite
check_rc "run" 0 same
check_eq "cells run" 0 "$(ran_last)"

say "one byte of a/id_test_features.npy changed: exactly a's 4 cells rerun"
$PY -c "
import numpy as np
x = np.load('a/id_test_features.npy'); x[0, 0] += 1.0; np.save('a/id_test_features.npy', x)"
mark
run_cmd changed "${MPIRUN[@]}" -n 2 "$SB" run exp.toml --db db.sqlite
check_rc "run" 0 changed
check_eq "cells run" 4 "$(ran_last)"
check_eq "...all of folder a" "a" "$(sql db.sqlite "SELECT DISTINCT dataset_params FROM cells WHERE run_id > $MARK" | sed 's/.*"dir":"\([^"]*\)".*/\1/')"

say "folder b moved elsewhere: nothing reruns"
mkdir -p moved && mv b moved/b-renamed
config a moved/b-renamed > exp.toml
mark
run_cmd moved "$SB" run exp.toml --db db.sqlite
check_rc "run" 0 moved
check_eq "cells run" 0 "$(ran_last)"

say "the method's script changed: exactly its 4 cells rerun"
echo "# a comment changes the script's content" >> ood_msp.py
mark
run_cmd script "$SB" run exp.toml --db db.sqlite
check_rc "run" 0 script
check_eq "cells run" 4 "$(ran_last)"
check_eq "...all of py-msp" "py-msp" "$(sql db.sqlite "SELECT DISTINCT method FROM cells WHERE run_id > $MARK")"

say "two folders of the same content are refused (exit 2)"
cp -r a a-copy
config a a-copy > dup.toml
run_cmd dup "$SB" run dup.toml --db db.sqlite
check_rc "run" 2 dup
check_file_contains "named" dup.err "read files of the same content"

finish
