#!/usr/bin/env bash
# Content-hashed inputs (docs/EXTERNAL.md, "Content-hashed inputs"): cells of
# an `npy` feature folder and of an external method are keyed by the content
# of the files they read, not by their paths. Changing one byte of a folder's
# file reruns exactly that folder's cells; moving a folder (and pointing the
# config at the new place) reruns none; changing the method's script reruns
# exactly its cells. Each run records the inputs it hashed (run_inputs: path,
# content hash, size), shown by `status --inputs`.
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
# input RUN PATH: "hash|size_bytes" recorded for PATH by run RUN.
input() { sql db.sqlite "SELECT hash || '|' || size_bytes FROM run_inputs WHERE run_id = $1 AND path = '$2'"; }
bytes_of() { stat -c %s "$@" | awk '{ s += $1 } END { print s }'; }  # total size of files
mark() { MARK=$(sql db.sqlite "SELECT coalesce(max(run_id), 0) FROM runs" 2>/dev/null || echo 0); }
ran_last() { sql db.sqlite "SELECT count(*) FROM cells WHERE run_id > $MARK"; }
MARK=0

say "first run: 2 folders x 2 seeds x 2 methods"
config a b > exp.toml
run_cmd first "${MPIRUN[@]}" -n 2 "$SB" run exp.toml --db db.sqlite
check_rc "run" 0 first
check_eq "cells run" 8 "$(ran_last)"
check_eq "run 1 recorded its 3 inputs (2 folders, the script), by path" "$WORK/a
$WORK/b
$WORK/ood_msp.py" "$(sql db.sqlite "SELECT path FROM run_inputs WHERE run_id = 1 ORDER BY path")"
check_eq "folder a: its files' total size" "$(bytes_of a/*)" "$(input 1 "$WORK/a" | cut -d'|' -f2)"
check_eq "the script: its size" "$(bytes_of ood_msp.py)" "$(input 1 "$WORK/ood_msp.py" | cut -d'|' -f2)"
check_true "hashes are 32 hex digits" \
  '[[ $(sql db.sqlite "SELECT count(*) FROM run_inputs WHERE length(hash) = 32 AND hash NOT GLOB \"*[^0-9a-f]*\"") == 3 ]]'
A1=$(input 1 "$WORK/a"); B1=$(input 1 "$WORK/b"); S1=$(input 1 "$WORK/ood_msp.py")
check_ne "folders a and b: different hashes" "${A1%%|*}" "${B1%%|*}"
run_cmd inputs "$SB" status --db db.sqlite --inputs
check_rc "status --inputs" 0 inputs
check_file_contains "status --inputs lists folder a with its hash" inputs.out "^ *1 +$WORK/a +${A1%%|*} +${A1##*|}\$"
run_cmd status "$SB" status --db db.sqlite
check_file_contains "status counts the latest run's inputs" status.out '^inputs: run 1 read 3 content-hashed input files'

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
check_ne "run 2 recorded a's new hash" "${A1%%|*}" "$(input 2 "$WORK/a" | cut -d'|' -f1)"
check_eq "...and b's unchanged one" "$B1" "$(input 2 "$WORK/b")"

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
check_eq "the moved folder b: recorded under its new path with its old hash" "$B1" "$(input "$((MARK + 1))" "$WORK/moved/b-renamed")"
check_ne "the changed script: a new hash" "${S1%%|*}" "$(input "$((MARK + 1))" "$WORK/ood_msp.py" | cut -d'|' -f1)"

say "two folders of the same content are refused (exit 2)"
cp -r a a-copy
config a a-copy > dup.toml
run_cmd dup "$SB" run dup.toml --db db.sqlite
check_rc "run" 2 dup
check_file_contains "named" dup.err "read files of the same content"

finish
