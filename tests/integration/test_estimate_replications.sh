#!/usr/bin/env bash
# scripts/estimate-replications.py recovers a known number of replications:
# a "published" table of bias, RMSE and median absolute error of the sample
# mean of N(1, 1) at ten sample sizes, computed from R = 100 replications
# (seeds 100000-100099), is compared with our 4,000-seed run of the same
# design (seeds 0-3999, disjoint). The method-of-moments estimate must be
# near 100 and its 95% interval must contain 100.
source "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
$PY -c "import numpy" 2>/dev/null || die "/usr/bin/python3 with numpy is needed (scripts/setup.sh --test)"
R=100
SIZES="[20, 30, 40, 50, 60, 70, 80, 90, 100, 110]"
normal_mean_config "[$(seq -s, 100000 $((100000 + R - 1)))]" "$SIZES" > published.toml
normal_mean_config 4000 "$SIZES" > ours.toml
"${MPIRUN[@]}" -n 2 "$SB" run published.toml --db published.sqlite >/dev/null 2>&1 || die "published run failed"
"${MPIRUN[@]}" -n 2 "$SB" run ours.toml --db ours.sqlite >/dev/null 2>&1 || die "our run failed"

say "the published study's aggregates from its $R replications, as [[published]] entries"
sqlite3 published.sqlite "SELECT DISTINCT dataset_label FROM cells ORDER BY 1" > labels.txt
check_eq "ten datasets" 10 "$(wc -l < labels.txt)"
for agg in bias rmse median_abs_error; do
  printf 'title = "t"\nsuite = "estimation"\naggregate = "%s"\ntolerance = "mc"\n[[rows]]\nmethod = "sample-mean"\n' \
    "$agg" > "$agg.toml"
  while read -r label; do printf '[[columns]]\ndataset = "%s"\n' "$label" >> "$agg.toml"; done < labels.txt
  while read -r label; do
    value=$($PY - "$label" "$agg" <<'PY'
import sqlite3, sys
import numpy as np
label, agg = sys.argv[1], sys.argv[2]
e = np.array([v for (v,) in sqlite3.connect("published.sqlite").execute(
    "SELECT value FROM results WHERE metric = 'error' AND dataset_label = ?", (label,))])
print({"bias": e.mean(), "rmse": np.sqrt((e * e).mean()), "median_abs_error": np.median(np.abs(e))}[agg])
PY
)
    printf '[[published]]\nmethod = "sample-mean"\ndataset = "%s"\nvalue = %s\n' "$label" "$value" >> "$agg.toml"
  done < labels.txt
done
check_eq "published entries" 30 "$(cat bias.toml rmse.toml median_abs_error.toml | grep -c '^\[\[published\]\]')"

say "the estimate from 30 published values recovers R = $R"
$PY "$SRC/scripts/estimate-replications.py" --shardbench "$SB" --db ours.sqlite bias.toml rmse.toml median_abs_error.toml | tee est.out
read -r r_hat lo hi < <(sed -n 's/^method of moments: R = \([0-9]*\) (95% interval \([0-9]*\)-\([0-9]*\))$/\1 \2 \3/p' est.out)
check_true "an estimate was printed" "[[ -n '$r_hat' ]]"
check_true "R = $r_hat is within [60, 160]" "(( r_hat >= 60 && r_hat <= 160 ))"
check_true "its 95% interval [$lo, $hi] contains $R" "(( lo <= R && R <= hi ))"
check_file_contains "30 values" est.out "^published values: 30; our replications per value: 4000-4000$"
run_cmd bad $PY "$SRC/scripts/estimate-replications.py" --shardbench "$SB" --db published.sqlite nosuch.toml
check_true "a missing spec fails" "(( RC != 0 ))"

finish
