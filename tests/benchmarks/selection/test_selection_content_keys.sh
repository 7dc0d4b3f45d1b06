#!/usr/bin/env bash
# Content-hashed data files of the selection suite (docs/EXTERNAL.md,
# "Content-hashed inputs"): a scikit-learn table read from `data_dir` (or
# $SB_SKLEARN_DATA_DIR) keys its cells and its ground-truth reference by the
# file's content: a moved folder reruns nothing, one changed byte reruns the
# cell and recomputes its reference. An external method run as a program
# given by path ("./value.sh") is keyed by that file's content, whatever the
# path is spelled.
source "$(dirname "${BASH_SOURCE[0]}")/../../integration/lib.sh"

PY=/usr/bin/python3
$PY -c "import numpy" 2>/dev/null || die "/usr/bin/python3 with numpy is needed (scripts/setup.sh --test)"
DATA=/usr/lib/python3/dist-packages/sklearn/datasets/data
[[ -f $DATA/iris.csv ]] || die "scikit-learn's iris.csv is needed (python3-sklearn, scripts/setup.sh)"
mkdir skl
cp "$DATA/iris.csv" skl/
cp "$SRC"/docs/examples/external/{selection_knn_shapley.py,shardbench_external.py} .
printf '#!/bin/sh\nexec %s selection_knn_shapley.py "$1"\n' "$PY" >value.sh
chmod +x value.sh
config() {  # config DATA_DIR PROGRAM
  cat <<TOML
suite = "selection"
seeds = 1
[[datasets]]
name = "iris"
data_dir = "$1"
n_train = 40
n_valid = 40
n_test = 40
[[methods]]
name = "knn-shapley"
[[methods]]
name = "py-knn"
command = ["$2"]
version = "1"
TOML
}
# plan CONFIG [ENV...]: "cells to run|references to compute" of a dry run.
plan() {
  local cfg=$1
  shift
  env "$@" "$SB" run "$cfg" --db db.sqlite --dry-run >plan.out 2>&1 || { cat plan.out; die "dry run of $cfg failed"; }
  echo "$(sed -n 's/^plan for .* \([0-9]*\) to run$/\1/p' plan.out)|$(sed -n 's/^references: .*: \([0-9]*\) to compute.*/\1/p' plan.out)"
}

say "first run"
config skl ./value.sh >a.toml
"$SB" run a.toml --db db.sqlite >run.out 2>&1 || { cat run.out; die "run failed"; }
check_eq "iris.csv and value.sh recorded as inputs" "$WORK/skl/iris.csv
$WORK/value.sh" "$(sql db.sqlite "SELECT path FROM run_inputs ORDER BY path")"
check_eq "the external values agree with exact KNN-Shapley as the built-in's do" "2" \
  "$(sql db.sqlite "SELECT count(*) FROM results WHERE metric = 'knn_shapley_rel_l2' AND value < 1e-12")"

say "the folder moved, the program spelled another way: nothing to run"
mv skl moved
config moved "$WORK/value.sh" >b.toml
check_eq "moved folder, absolute program path" "0|0" "$(plan b.toml)"
config "" ./value.sh >c.toml
check_eq "the folder given by SB_SKLEARN_DATA_DIR" "0|0" "$(plan c.toml SB_SKLEARN_DATA_DIR="$WORK/moved")"

say "one byte of iris.csv changed: both cells and their reference rerun"
sed -i '2s/^5\.1,/5.2,/' moved/iris.csv
check_eq "cells|references" "2|1" "$(plan b.toml)"
sed -i '2s/^5\.2,/5.1,/' moved/iris.csv

say "the program's file changed: its cell alone reruns"
echo "# edited" >>value.sh
check_eq "cells|references" "1|0" "$(plan b.toml)"
finish
