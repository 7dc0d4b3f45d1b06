#!/usr/bin/env bash
# scripts/reproduce-all.sh over a directory of two specs on one closed-form
# design (the sample mean of n = 100 draws of N(1, 1): bias 0, RMSE
# 1/sqrt(n)): one spec whose published RMSE is the closed form (within), one
# whose published RMSE is 10 Monte Carlo SEs off (outside). The script must
# print both verdicts and the totals, exit 1 for the miss, exit 0 with
# --only the good spec, and reject bad arguments, and a spec naming cells
# its config does not plan (before running anything), with exit 2.
source "$(dirname "$0")/lib.sh"
SCRIPT="$SRC/scripts/reproduce-all.sh"

R=400
n=100
mkdir papers configs
normal_mean_config "$R" "$n" > configs/exp.toml
closed() { awk "BEGIN { printf \"%.10f\", $1 }"; }
# spec NAME PUBLISHED_RMSE
spec() {
  cat > "papers/$1.toml" <<TOML
title = "Sample mean of N(1, 1): rmse"
config = "../configs/exp.toml"
suite = "estimation"
aggregate = "rmse"
digits = 4
tolerance = "mc"
[[rows]]
method = "sample-mean"
[[columns]]
dataset = "corrupted-mean"
[[published]]
method = "sample-mean"
dataset = "corrupted-mean"
value = $2
TOML
}
spec good "$(closed "1 / sqrt($n)")"
# SE(RMSE) = 1 / sqrt(2 n R) for normal errors.
spec off "$(closed "1 / sqrt($n) + 10 / sqrt(2 * $n * $R)")"
rm papers/exp.toml.bak 2>/dev/null || true
# exp.toml is a config, not a spec: keep the spec directory to specs only.
mkdir configs && mv papers/exp.toml configs/ && sed -i 's|config = "../configs/exp.toml"|config = "../configs/exp.toml"|' papers/*.toml

say "every spec: the good one within, the wrong one outside, exit 1"
run_cmd all timeout -k 5 300 bash "$SCRIPT" --papers papers --bin "$SB" --out out --ranks 2
cat all.out
check_rc "with a miss" 1 all
check_file_contains "good: 1 of 1" all.out "^good .*exit 0  1 of 1 published values within tolerance"
check_file_contains "off: 0 of 1, exit 1" all.out "^off .*exit 1  0 of 1 published values within tolerance \(1 outside"
check_file_contains "totals" all.out "^published values within tolerance: 1 of 2; specs with a miss or an error: 1 of 2$"
check_true "evidence kept as Markdown" "grep -q '^|' out/good.md && grep -q OUTSIDE out/off.md"
check_eq "cells run once for both specs" "$R" "$(sqlite3 out/results.sqlite "SELECT COUNT(*) FROM cells WHERE status='ok'")"

say "--only the good spec: exit 0"
run_cmd good bash "$SCRIPT" --papers papers --bin "$SB" --out out --only good
check_rc "--only good" 0 good
check_file_contains "one spec, 1 of 1" good.out "^published values within tolerance: 1 of 1; specs with a miss or an error: 0 of 1$"

say "bad arguments: exit 2 with the argument named"
for args in "--only nosuch" "--ranks 0" "--papers nodir" "--frobnicate"; do
  # shellcheck disable=SC2086
  run_cmd bad bash "$SCRIPT" --papers papers --bin "$SB" $args
  check_rc "$args" 2 bad
done
say "a spec naming a cell its config does not plan: exit 2 before anything runs"
mkdir -p stale && cp papers/good.toml stale/
sed -i 's|^method = "\(.*\)"$|method = "\1-typo"|' stale/good.toml
run_cmd stale bash "$SCRIPT" --papers stale --bin "$SB" --out stale-out
check_rc "stale spec" 2 stale
check_file_contains "the row is named" stale.err "\[\[rows\]\] method '.*-typo' is not planned"
check_true "nothing was run" '[[ ! -e stale-out/results.sqlite ]]'
check_true "--help lists the options" "bash '$SCRIPT' --help | grep -q -- '--only NAME'"

finish
