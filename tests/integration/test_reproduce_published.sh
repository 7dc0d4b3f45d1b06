#!/usr/bin/env bash
# A shipped spec with published numbers (benchmarks/papers/
# rotnitzky2012-table1-a1-bias.toml: Rotnitzky et al. 2012, Table 1, the
# Kang-Schafer design) reproduced at reduced replications: its config run
# with 200 seeds instead of 1000. The "mc" tolerances are then computed from
# our Monte Carlo error at 200 replications (checked here against the SE
# recomputed from the database), so the spec must still pass, 16 of 16.
# Then a deliberately broken estimator with a known bias: an external
# Python method (persistent mode) returning the OLS regression estimate + 3
# takes the OLS rows' place, and those 8 entries must fail (exit 1, "8 of 16").
source "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
$PY -c "import numpy" 2>/dev/null || die "/usr/bin/python3 with numpy is needed (scripts/setup.sh --test)"
SEEDS=200
SPEC="$SRC/benchmarks/papers/rotnitzky2012-table1-a1-bias.toml"
CONFIG="$SRC/benchmarks/configs/kang-schafer-mean.toml"

sed -e "s/^seeds = .*/seeds = $SEEDS/" -e "s/^observed_if_a = .*/observed_if_a = [1]/" "$CONFIG" > reduced.toml
grep -q "^seeds = $SEEDS$" reduced.toml || die "could not set seeds in $CONFIG"
sed 's|^config = .*|config = "reduced.toml"|' "$SPEC" > spec.toml

say "the shipped spec at $SEEDS replications passes (mpirun -n 2)"
run_cmd good "${MPIRUN[@]}" -n 2 "$SB" reproduce spec.toml --db rep.sqlite
cat good.out
check_rc "reduced replications" 0 good
check_file_contains "summary" good.out "^16 of 16 published values within tolerance \(0 outside, 0 missing\)$"
check_file_contains "source listed" good.out "published: Rotnitzky, Lei, Sued & Robins \(2012\), Biometrika 99\(2\), Table 1"
check_eq "replications of a cell" "$SEEDS" "$(sqlite3 rep.sqlite "SELECT COUNT(*) FROM cells WHERE status = 'ok'
  AND method_label = 'ks-ols' AND dataset_label LIKE '%n=200,observed_if_a=1,outcome_model=correct,propensity_model=correct%'")"
# The tolerance of (OLS, n = 200, both correct) is 3 combined SEs of the bias:
# ours at 200 replications, sd(error) / sqrt(200) with sd recomputed from the
# database, and the published study's at its R = 1000, ours * sqrt(200 / 1000).
sd=$(sqlite3 rep.sqlite "SELECT value FROM results WHERE metric='error' AND method_label='ks-ols'
  AND dataset_label LIKE '%n=200,observed_if_a=1,outcome_model=correct,propensity_model=correct%'" |
  awk '{ s += $1; ss += $1 * $1; n++ } END { m = s / n; printf "%.6f", sqrt((ss - n * m * m) / (n - 1)) }')
expected=$(awk -v sd="$sd" -v r="$SEEDS" 'BEGIN { printf "%.2f", 3 * sd / sqrt(r) * sqrt(1 + r / 1000) }')
shown=$(grep -m1 "n=200, Miss-C, OR-C.*3 SE, R=1000" good.out | awk '{ for (i = 1; i <= NF; ++i) if ($i == "SE,") print $(i - 2) }')
check_eq "tolerance = 3 combined SEs at $SEEDS and 1000 replications (sd $sd)" "$expected" "$shown"

say "an estimator with a known bias of +3 fails the OLS entries"
cp "$SRC"/docs/examples/external/shardbench_external.py .
cat > ols_plus_3.py <<'PY'
# The OLS regression estimator of E[Y] (fit on respondents, averaged over
# all units) plus 3: a deliberately broken method for the test.
import numpy as np
from shardbench_external import load, main, save_json

def run(cell_dir, cell):
    x, y, t = load(cell_dir, "x"), load(cell_dir, "y"), load(cell_dir, "treatment")
    design = np.column_stack([np.ones(len(x)), x])
    seen = t == 1
    beta = np.linalg.lstsq(design[seen], y[seen], rcond=None)[0]
    save_json(cell_dir, "estimate", {"value": [float((design @ beta).mean()) + 3.0]})

if __name__ == "__main__":
    main(run)
PY
cat >> reduced.toml <<TOML

[[methods]]
name = "ols-plus-3"
command = ["$PY", "ols_plus_3.py"]
version = "1"
mode = "persistent"
TOML
sed 's/"ks-ols"/"ols-plus-3"/' spec.toml > broken.toml
run_cmd broken "${MPIRUN[@]}" -n 2 "$SB" reproduce broken.toml --db rep.sqlite
cat broken.out
check_rc "biased estimator" 1 broken
check_file_contains "summary" broken.out "^8 of 16 published values within tolerance \(8 outside, 0 missing\)$"
check_eq "every OLS entry OUTSIDE" 8 "$(grep -c '^OLS regression.*OUTSIDE' broken.out)"
# Its bias is the built-in ks-ols's + 3 on the same replications (to 1e-6).
pairs="FROM results a JOIN results b ON a.dataset_label = b.dataset_label AND a.seed = b.seed
  WHERE a.metric = 'error' AND b.metric = 'error' AND a.method_label = 'ols-plus-3' AND b.method_label = 'ks-ols'"
check_eq "paired cells" $((8 * SEEDS)) "$(sqlite3 rep.sqlite "SELECT COUNT(*) $pairs")"
check_eq "error shift = 3 on every pair" 0 "$(sqlite3 rep.sqlite "SELECT COUNT(*) $pairs AND ABS(a.value - b.value - 3) > 1e-6")"

finish
