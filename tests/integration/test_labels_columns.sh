#!/usr/bin/env bash
# Config labels and terminal tables that fit: `label` on config entries,
# $COLUMNS, --columns, and n/a-only columns dropped.
source "$(dirname "$0")/lib.sh"

cat > exp.toml <<'TOML'
suite = "selftest"
seeds = 2
[[datasets]]
name = "empty"
label = "Nothing at all"
[[methods]]
name = "noop"
label = "No-op baseline"
[[methods]]
name = "sleep"
label = "Nap"
ms = [0.0, 0.5]
TOML
"$SB" run exp.toml --db l.sqlite >/dev/null 2>&1 || die "run failed"

say "labels replace names; the parameters that vary follow"
"$SB" leaderboard --suite selftest --db l.sqlite --metric value --format csv | tr -d '\r' >lb.csv
expected=$(printf '%s\n' "Nothing at all,Nap[ms=0]" "Nothing at all,Nap[ms=0.5]" "Nothing at all,No-op baseline" | LC_ALL=C sort)
check_eq "rows" "$expected" "$(cut -d, -f1,2 lb.csv | tail -n +2 | LC_ALL=C sort)"
check_eq "the name column keeps the registry name" "noop
sleep" "$(sqlite3 l.sqlite 'SELECT DISTINCT method FROM cells ORDER BY 1')"
"$SB" leaderboard --suite selftest --db l.sqlite --metric value --method 'sleep' --format csv | tr -d '\r' >only.csv
check_eq "--method matches the name" "2" "$(tail -n +2 only.csv | wc -l)"

say "COLUMNS=50: columns dropped from the right, a note names them"
COLUMNS=50 "$SB" leaderboard --suite selftest --db l.sqlite --metric value >narrow.txt
cat narrow.txt
widest=$(sed -n '2,6p' narrow.txt | awk '{ n = length($0); if (n > w) w = n } END { print w }')
[[ $widest -le 50 ]] && pass "table lines fit in 50 columns ($widest)" || fail "table is $widest wide"
grep -q "not shown in 50 terminal columns" narrow.txt && pass "note names the dropped columns" || fail "no note"
COLUMNS=400 "$SB" leaderboard --suite selftest --db l.sqlite --metric value >wide.txt
grep -q "not shown" wide.txt && fail "wide terminal dropped columns" || pass "400 columns: nothing dropped"

say "--columns chooses metric columns; a name that matches nothing is exit 2"
"$SB" leaderboard --suite selftest --db l.sqlite --metric value --columns 'rank' --format csv | tr -d '\r' >cols.csv
check_eq "header" "dataset,method,rank" "$(head -1 cols.csv)"
set +e
"$SB" leaderboard --suite selftest --db l.sqlite --metric value --columns nope >/dev/null 2>err.txt
code=$?
set -e
check_eq "exit" "2" "$code"
grep -q "'nope' matches no column" err.txt && pass "message names the pattern" || fail "message: $(cat err.txt)"

say "a label given to another method in a later run is not pooled with it"
cat > other.toml <<'TOML'
suite = "selftest"
seeds = 2
[[datasets]]
name = "empty"
label = "Nothing at all"
[[methods]]
name = "nan"
label = "No-op baseline"
TOML
"$SB" run other.toml --db l.sqlite >/dev/null 2>&1 || true  # its cells may fail: a NaN value
"$SB" leaderboard --suite selftest --db l.sqlite --metric value --format csv | tr -d '\r' >pooled.csv
check_eq "two rows, told apart by the method name" "No-op baseline (nan)
No-op baseline (noop)" "$(grep 'No-op' pooled.csv | cut -d, -f2 | LC_ALL=C sort)"
"$SB" leaderboard --suite selftest --db l.sqlite --metric value --run 1 --format csv | tr -d '\r' >run1.csv
check_eq "one run alone keeps the label" "No-op baseline" "$(grep 'No-op' run1.csv | cut -d, -f2)"

say "under mpirun (a pseudo-terminal per rank) output sent to a file carries no escape codes"
"${MPIRUN[@]}" -n 1 "$SB" leaderboard --suite selftest --db l.sqlite --metric value >mpi.txt 2>&1
grep -q "No-op baseline" mpi.txt || die "no leaderboard under mpirun: $(head -5 mpi.txt)"
grep -q $'\e' mpi.txt && fail "escape codes in the file: $(grep -c $'\e' mpi.txt) lines" || pass "no escape codes"

say "--control shows the rank tests in every view (the default one and --by method)"
cat > ranks.toml <<'TOML'
suite = "selftest"
seeds = 2
[[datasets]]
name = "empty"
size = [0, 1, 2]
[[methods]]
name = "noop"
[[methods]]
name = "sleep"
ms = [0.0, 0.5]
TOML
"$SB" run ranks.toml --db r.sqlite >/dev/null 2>&1 || die "ranks run failed"
for by in dataset method; do
  "$SB" leaderboard --suite selftest --db r.sqlite --by "$by" --control noop >ranks_$by.txt
  grep -q "Nemenyi CD" ranks_$by.txt && grep -q "Bonferroni-Dunn CD against noop" ranks_$by.txt &&
    pass "--by $by: Friedman/Nemenyi and Bonferroni-Dunn notes" || fail "--by $by: $(tail -3 ranks_$by.txt)"
done

say "a bad label is a config error (exit 2, nothing run)"
sed 's/label = "Nap"/label = "Nap[1]"/' exp.toml >bad.toml
set +e
"$SB" run bad.toml --db bad.sqlite >/dev/null 2>err2.txt
code=$?
set -e
check_eq "exit" "2" "$code"
grep -q "bad.toml:11: methods\[1\]: 'label' must be" err2.txt && pass "file:line named" || fail "message: $(cat err2.txt)"
finish
