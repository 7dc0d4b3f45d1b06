#!/usr/bin/env bash
# `shardbench compare` end to end: two runs of one database, and two databases
# (one of them edited to play a changed method), with the paired tests.
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

"$SB" run exp.toml --db a.sqlite >/dev/null 2>&1 || die "run failed"

say "two databases: B's noop values raised by 1 + seed/10 (a 'changed method')"
cp a.sqlite b.sqlite
sqlite3 b.sqlite "UPDATE metrics SET value = value + 1 + (SELECT seed FROM cells WHERE cells.cell_id = metrics.cell_id) / 10.0
                  WHERE cell_id IN (SELECT cell_id FROM cells WHERE method = 'noop')" \
  || die "cannot edit b.sqlite (schema changed?)"
"$SB" compare --db a.sqlite --against b.sqlite --format csv | tr -d '\r' >two.txt
check_eq "header" "dataset,method,A,B,B - A,change %,pairs,p Wilcoxon,p t-test,verdict" "$(head -1 two.txt)"
row=$(grep '^empty,noop,' two.txt || true)
# Differences 1.0 .. 1.5: mean 1.25; six positive differences: exact p = 2/64.
IFS=, read -r _ _ _ _ diff _ pairs pw pt verdict <<<"$row"
check_eq "noop B - A" "1.250" "$(printf '%.3f' "$diff")"
check_eq "noop pairs" "6" "$pairs"
check_eq "noop Wilcoxon p" "0.03125" "$pw"
check_eq "noop verdict (value: higher is better)" "better" "$verdict"
grep -q '^empty,sleep,.*,0,0,6,1,1,n.s.$' two.txt && pass "sleep unchanged: B - A = 0, p = 1, n.s." \
  || fail "sleep row: $(grep sleep two.txt)"

say "two runs of one database: run 2 plays a new version of sleep, 0.5 lower"
# What a rerun after bumping a method's version leaves: new cell keys, the
# same labels and seeds, another run id.
sqlite3 a.sqlite "CREATE TEMP TABLE r AS SELECT * FROM runs WHERE run_id = 1; UPDATE r SET run_id = 2;
  INSERT INTO runs SELECT * FROM r;
  CREATE TEMP TABLE c AS SELECT * FROM cells WHERE run_id = 1;
  UPDATE c SET cell_id = cell_id + 1000, key = key || 'v2', method_version = method_version || '.1', run_id = 2;
  INSERT INTO cells SELECT * FROM c;
  INSERT INTO metrics SELECT m.cell_id + 1000, m.name,
    CASE WHEN x.method = 'sleep' THEN m.value - 0.5 ELSE m.value END
    FROM metrics m JOIN cells x ON x.cell_id = m.cell_id WHERE x.run_id = 1" || die "cannot add run 2"
"$SB" compare 1 latest --db a.sqlite --format csv | tr -d '\r' >runs.txt
grep -q '^empty,sleep,.*,-0.5,.*,6,0.03125,0,worse$' runs.txt && pass "sleep: B - A = -0.5, p = 2/64, worse" \
  || fail "sleep row: $(grep sleep runs.txt)"
grep -q '^empty,noop,.*,0,0,6,1,1,n.s.$' runs.txt && pass "noop unchanged" || fail "noop row: $(grep noop runs.txt)"

say "terminal output, --metric, filters and errors"
"$SB" compare --db a.sqlite --against b.sqlite 1 1 --method noop >term.txt
grep -q "selftest: value, A = run 1 of a.sqlite, B = run 1 of b.sqlite" term.txt && pass "title names both sides" \
  || fail "title: $(head -1 term.txt)"
check_eq "--method keeps one arm" "1" "$(grep -c '^empty' term.txt)"
set +e
"$SB" compare 1 --db a.sqlite >/dev/null 2>err1.txt; c1=$?
"$SB" compare 1 9 --db a.sqlite >/dev/null 2>err2.txt; c2=$?
"$SB" compare 1 2 --db a.sqlite --metric nope >/dev/null 2>err3.txt; c3=$?
"$SB" compare 1 2 --db missing.sqlite >/dev/null 2>err4.txt; c4=$?
set -e
check_eq "one run id: exit" "2" "$c1"
check_eq "unknown run: exit" "2" "$c2"
grep -q "no run 9 in a.sqlite" err2.txt && pass "unknown run named" || fail "message: $(cat err2.txt)"
check_eq "unknown metric: exit" "2" "$c3"
grep -q "nope" err3.txt && pass "unknown metric named" || fail "message: $(cat err3.txt)"
check_eq "missing database: exit" "2" "$c4"
finish
