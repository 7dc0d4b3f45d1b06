#!/usr/bin/env bash
# `reproduce` end to end on a small spec whose published numbers one method is
# made to miss; `table`; and the HTML report rendered in headless Chromium.
source "$(dirname "$0")/lib.sh"

cat > exp.toml <<'TOML'
suite = "selftest"
seeds = 6
[[datasets]]
name = "empty"
[[methods]]
name = "noop"
[[methods]]
name = "sleep"
ms = 0.0
TOML

# The published value of noop is what it really gives (computed here from a
# plain run); sleep's is off by 1, far outside the tolerance.
"$SB" run exp.toml --db truth.sqlite >/dev/null 2>&1 || die "reference run failed"
mean=$(sqlite3 truth.sqlite "SELECT printf('%.6f', AVG(value)) FROM results WHERE method='noop' AND metric='value'")
cat > spec.toml <<TOML
title = "Toy reproduction"
config = "exp.toml"
suite = "selftest"
aggregate = "mean"
metric = "value"
digits = 4
tolerance = 0.001
[[rows]]
method = "noop"
display = "No-op"
[[rows]]
method = "sleep[ms=0]"
display = "Sleep"
[[columns]]
dataset = "empty[size=0]"
display = "empty"
[[published]]
method = "noop"
dataset = "empty[size=0]"
value = $mean
[[published]]
method = "sleep[ms=0]"
dataset = "empty[size=0]"
value = $(awk -v m="$mean" 'BEGIN { printf "%.6f", m + 1 }')
TOML

say "reproduce runs the missing cells under mpirun -n 2 and flags the one miss"
set +e
"${MPIRUN[@]}" -n 2 "$SB" reproduce spec.toml --db rep.sqlite >rep.out 2>rep.err
code=$?
set -e
cat rep.out
[[ $code -eq 1 ]] && pass "exit code 1" || fail "reproduce exit code $code, expected 1"
n=$(sqlite3 rep.sqlite "SELECT COUNT(*) FROM cells WHERE status='ok'")
[[ $n -eq 12 ]] && pass "12 cells run" || fail "expected 12 cells, got $n"
grep -q "1 of 2 published values within tolerance (1 outside, 0 missing)" rep.out && pass "one value outside tolerance" || fail "no outside-tolerance summary"
grep -q "Sleep" rep.out && grep -q "No-op" rep.out && pass "both rows rendered" || fail "rows missing"

say "a second reproduce runs nothing and gives the same verdict"
set +e
"$SB" reproduce spec.toml --db rep.sqlite >rep2.out 2>rep2.err
code=$?
set -e
[[ $code -eq 1 ]] && pass "exit 1 again" || fail "second reproduce exit $code"
grep -q "nothing to run" rep2.out && pass "nothing rerun" || fail "cells were rerun"

say "table renders from the database alone"
"$SB" table spec.toml --db rep.sqlite --format latex >table.tex
grep -q 'toprule' table.tex && pass "LaTeX booktabs table" || fail "no booktabs table"
"$SB" table spec.toml --db rep.sqlite --format csv --run latest >latest.csv
"$SB" table spec.toml --db rep.sqlite --format csv --run 1 >run1.csv
check_eq "table --run 1: the one run that computed the cells" "$(cat latest.csv)" "$(cat run1.csv)"
set +e
"$SB" table spec.toml --db rep.sqlite --run 99 >/dev/null 2>run99.err
code=$?
set -e
check_eq "table --run 99: exit" "2" "$code"
grep -q -- "--run 99: no such run" run99.err && pass "names the run" || fail "message: $(cat run99.err)"

say "leaderboard --compare: paired Wilcoxon tests (identical methods: no non-zero pair, p = 1)"
"$SB" leaderboard --suite selftest --db rep.sqlite --metric value --compare --format csv >cmp.csv
# Short labels: sleep's one parameter does not vary in the study, so it is not shown.
grep -qx 'noop,sleep,0,0,0,1,1' <(tr -d '\r' <cmp.csv) && pass "noop vs sleep: 0 pairs, p = 1" || fail "unexpected comparison: $(cat cmp.csv)"
"$SB" leaderboard --suite selftest --db rep.sqlite --metric value --compare --format csv --full-labels >cmpfull.csv
grep -qx 'noop,sleep\[ms=0\],0,0,0,1,1' <(tr -d '\r' <cmpfull.csv) && pass "--full-labels: sleep[ms=0]" || fail "unexpected comparison with --full-labels: $(cat cmpfull.csv)"

say "report: one self-contained HTML file that Chromium renders"
"$SB" report -o report.html --db rep.sqlite >/dev/null
grep -qi "http" report.html && fail "report references http(s)" || pass "no network references"
say "report -o never overwrites the database it reads (the path, ./path, a symlink, a hard link)"
before=$(sqlite3 rep.sqlite "SELECT COUNT(*) FROM cells")
ln -s rep.sqlite link.sqlite
ln rep.sqlite hard.sqlite
for target in rep.sqlite ./rep.sqlite link.sqlite hard.sqlite rep.sqlite-wal; do
  set +e
  "$SB" report -o "$target" --db rep.sqlite >refuse.out 2>refuse.err
  code=$?
  set -e
  [[ $code -eq 2 ]] && grep -q "which this command reads" refuse.err && pass "-o $target refused (exit 2)" \
    || fail "-o $target: exit $code, $(cat refuse.err)"
done
rm -f hard.sqlite
after=$(sqlite3 rep.sqlite "PRAGMA integrity_check; SELECT COUNT(*) FROM cells" | tr '\n' ' ')
[[ $after == "ok $before " ]] && pass "database intact ($before cells)" || fail "database changed: $after"
"$SB" report -o report.html --db rep.sqlite >/dev/null
ls -a | grep -q '\.report\.html\.tmp' && fail "temporary file left behind" || pass "no temporary file left"

if command -v chromium >/dev/null; then
  flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
         --disable-component-update --disable-sync --user-data-dir="$WORK/chrome")
  timeout 60 chromium "${flags[@]}" --enable-logging=stderr --v=0 --dump-dom "file://$WORK/report.html" >dom.html 2>chrome.err || true
  grep -q "<table" dom.html && pass "Chromium loaded the page and it has tables" || fail "no table in the rendered DOM"
  grep -q "noop" dom.html && grep -q "sleep" dom.html && pass "leaderboard rows present" || fail "methods missing from the page"
  grep -qi "CONSOLE\|Uncaught\|ERR_FILE" chrome.err && fail "page errors: $(grep -i 'CONSOLE\|Uncaught\|ERR_FILE' chrome.err | head -2)" || pass "no page errors"
  grep -q 'data-clip-check="ok"' dom.html && pass "no clipped text" || fail "clipped text: $(grep -o '<body[^>]*>' dom.html)"
  timeout 60 chromium "${flags[@]}" --window-size=1200,1600 --screenshot="$WORK/report.png" "file://$WORK/report.html" >/dev/null 2>&1 || true
  [[ -s report.png ]] && pass "screenshot taken ($(stat -c %s report.png) bytes)" || fail "no screenshot"
  [[ -n ${SB_KEEP_SCREENSHOT:-} ]] && cp report.png "$SB_KEEP_SCREENSHOT"
  if [[ -n ${SB_ARTIFACT_DIR:-} ]]; then mkdir -p "$SB_ARTIFACT_DIR" && cp report.png "$SB_ARTIFACT_DIR/report-reproduce.png"; fi
else
  fail "chromium is not installed (scripts/setup.sh --test installs it)"
fi
finish
