#!/usr/bin/env bash
# `reproduce` with Monte Carlo tolerances against closed forms: the sample
# mean of n = 100 draws of N(1, 1) (corrupted-mean with rate 0) has an error
# exactly N(0, 1/n), so over R replications
#   bias 0, RMSE 1/sqrt(n), mean |error| sqrt(2/pi)/sqrt(n),
#   median |error| Phi^-1(3/4)/sqrt(n), coverage of its t interval 0.95.
# Each is "published" exactly (no `replications`: se_pub = 0) and must come
# within 3 of our Monte Carlo SEs; a value 10 Monte Carlo SEs off (the SE by
# its closed form at R replications) must fail with exit 1 and be counted in
# the summary line.
source "$(dirname "$0")/lib.sh"

R=1000
n=100
normal_mean_config "$R" "$n" > exp.toml

# spec NAME AGGREGATE PUBLISHED [EXTRA-TOML]: one published entry on the one cell.
spec() {
  cat > "$1.toml" <<TOML
title = "Sample mean of N(1, 1), n = $n: $2"
config = "exp.toml"
suite = "estimation"
aggregate = "$2"
digits = 4
tolerance = "mc"
[[rows]]
method = "sample-mean"
display = "Sample mean"
[[columns]]
dataset = "corrupted-mean"
display = "n = $n"
[[published]]
method = "sample-mean"
dataset = "corrupted-mean"
value = $3
${4:-}
TOML
}
closed() { awk "BEGIN { printf \"%.10f\", $1 }"; }
inv_sqrt_n=$(closed "1 / sqrt($n)")
# Phi^-1(0.75) = 0.6744897501960817
spec bias bias 0
spec rmse rmse "$inv_sqrt_n"
spec mae mae "$(closed "sqrt(2 / 3.141592653589793) / sqrt($n)")"
spec median median_abs_error "$(closed "0.6744897501960817 / sqrt($n)")"
spec coverage coverage 0.95

say "reproduce runs the cells (mpirun -n 2) and every closed form is within 3 Monte Carlo SEs"
for s in bias rmse mae median coverage; do
  if [[ $s == bias ]]; then
    run_cmd $s "${MPIRUN[@]}" -n 2 "$SB" reproduce $s.toml --db rep.sqlite
  else
    run_cmd $s "$SB" reproduce $s.toml --db rep.sqlite
  fi
  check_rc "$s" 0 $s
  check_file_contains "$s: summary line" $s.out "^1 of 1 published values within tolerance \(0 outside, 0 missing\)$"
  check_file_contains "$s: rule shown" $s.out "3 SE, exact"
done
check_eq "cells run once" "$R" "$(sqlite3 rep.sqlite "SELECT COUNT(*) FROM cells WHERE status='ok'")"
# The interval [low, high] of the reproduced RMSE contains 1/sqrt(n) and is
# about 2 * 1.96 closed-form SEs wide: SE(RMSE) = 1 / sqrt(2 n R).
se_rmse=$(closed "1 / sqrt(2 * $n * $R)")
read -r low high < <(grep -o '\[[0-9.]*, [0-9.]*\]' rmse.out | tail -1 | tr -d '[],')
check_true "RMSE interval [$low, $high] contains $inv_sqrt_n" \
  "awk -v l=$low -v h=$high -v t=$inv_sqrt_n 'BEGIN { exit !(l <= t && t <= h) }'"
check_true "RMSE interval width $(closed "$high - $low") is 3.92 SE = $(closed "3.92 * $se_rmse") within 15%" \
  "awk -v l=$low -v h=$high -v s=$se_rmse 'BEGIN { r = (h - l) / (3.92 * s); exit !(r > 0.85 && r < 1.15) }'"

say "a published RMSE 10 Monte Carlo SEs off fails (exit 1), and the summary counts it"
wrong=$(closed "$inv_sqrt_n + 10 * $se_rmse")
spec wrong rmse "$inv_sqrt_n" "[[published]]
method = \"sample-mean\"
dataset = \"corrupted-mean\"
value = $wrong"
run_cmd wrong "$SB" reproduce wrong.toml --db rep.sqlite
cat wrong.out
check_rc "10 SEs off" 1 wrong
check_file_contains "summary: 1 of 2" wrong.out "^1 of 2 published values within tolerance \(1 outside, 0 missing\)$"
check_file_contains "the wrong value is OUTSIDE" wrong.out "$(printf '%.4f' "$wrong").*OUTSIDE"
z=$(grep OUTSIDE wrong.out | awk '{ for (i = 1; i <= NF; ++i) if ($i ~ /^-[0-9]+\.[0-9][0-9]$/) print $i }' | head -1)
check_true "difference about -10 SEs (got $z)" "awk -v z='$z' 'BEGIN { exit !(z != \"\" && z < -8 && z > -12) }'"
check_file_contains "nothing rerun" wrong.out "nothing to run"

say "published study's R widens the tolerance: se_pub = se_ours * sqrt(n / R)"
spec withr rmse "$wrong" "replications = 250
tolerance_z = 3"
run_cmd withr "$SB" reproduce withr.toml --db rep.sqlite
# combined SE = se * sqrt(1 + 1000/250) = 2.236 se: 10 se off is 4.5 combined SEs, still outside z = 3.
check_rc "R = 250" 1 withr
check_file_contains "rule names R" withr.out "3 SE, R=250"
spec withr2 rmse "$wrong" "replications = 10
tolerance_z = 3"
run_cmd withr2 "$SB" reproduce withr2.toml --db rep.sqlite
check_rc "R = 10: combined SE sqrt(1 + 100) se, 10 se off is within" 0 withr2

say "--format md and --format html render the evidence table and the verdict"
set +e
"$SB" reproduce wrong.toml --db rep.sqlite --format md >wrong.md 2>/dev/null
"$SB" reproduce wrong.toml --db rep.sqlite --format html >wrong.html 2>/dev/null
set -e
check_file_contains "md: evidence header" wrong.md "^\| method \| dataset \| published \| reproduced \[95% CI\] \| difference \| diff / SE \| tolerance \| rule \| n \| status \|$"
check_file_contains "md: OUTSIDE row" wrong.md "^\| Sample mean \|.*\| OUTSIDE \|$"
check_file_contains "md: verdict" wrong.md "^\*\*1 of 2 published values within tolerance \(1 outside, 0 missing\)\*\*$"
check_file_contains "html: evidence table" wrong.html "<th>diff / SE</th>"
check_file_contains "html: verdict" wrong.html "^<p><strong>1 of 2 published values within tolerance \(1 outside, 0 missing\)</strong></p>$"

say "table --evidence: the same evidence from the database alone (no run, no config needed)"
grep -v '^config = ' wrong.toml > noconfig.toml
run_cmd ev "$SB" table noconfig.toml --db rep.sqlite --evidence
check_rc "a miss exits 1" 1 ev
check_file_contains "ev: summary line" ev.out "^1 of 2 published values within tolerance \(1 outside, 0 missing\)$"
check_file_contains "ev: the wrong value is OUTSIDE" ev.out "$(printf '%.4f' "$wrong").*OUTSIDE"
check_true "ev: only the evidence, not the table, is printed" "! grep -qx 'Sample mean of N(1, 1), n = $n: rmse' ev.out"
check_file_contains "ev: the evidence title" ev.out "^Sample mean of N\(1, 1\), n = $n: rmse: published vs reproduced$"
run_cmd evj "$SB" table rmse.toml --db rep.sqlite --evidence --format json
check_rc "within exits 0" 0 evj
check_true "json: one document whose reproduced interval is ours +- 1.96 SE(RMSE) = 1/sqrt(2 n R) within 15%" \
  "/usr/bin/python3 -c \"import json, sys; d = json.load(open('evj.out')); c = d['rows'][0][3]; r = (c['high'] - c['low']) / (3.92 * $se_rmse); sys.exit(not (0.85 < r < 1.15))\""
sed '/^\[\[published\]\]$/,$d' rmse.toml > nopub2.toml  # the spec without its [[published]] entry
run_cmd nopub "$SB" table nopub2.toml --db rep.sqlite --evidence
check_rc "no published values: exit 2" 2 nopub
check_file_contains "nopub: message" nopub.err "nopub2.toml: table --evidence: the spec lists no \[\[published\]\] values"

say "a bad tolerance is an error naming file, line, key and value (exit 2)"
spec bad rmse 0.1 'tolerance = "roughly"'
run_cmd bad "$SB" reproduce bad.toml --db rep.sqlite
check_rc "bad tolerance" 2 bad
check_file_contains "message" bad.err "bad.toml:[0-9]+: key 'tolerance' in \[\[published\]\] must be a number >= 0 or \"mc\", got 'roughly'"
finish
