#!/usr/bin/env bash
# `shardbench status` counts ok / failed / missing cells against a config;
# `shardbench query` answers SQL on a read-only connection and refuses writes.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cat > st.toml <<'TOML'
suite = "selftest"
seeds = 8
[[datasets]]
name = "empty"
[[methods]]
name = "noop"
[[methods]]
name = "throw"
every = 3
TOML

say "run half of the seeds (--seeds 4) under mpirun -n 2; throw[every=3] fails seeds 0 and 3"
run_cmd run "${MPIRUN[@]}" -n 2 "$SB" run st.toml --db st.sqlite --seeds 4
check_rc "run --seeds 4" 1 run
check_eq "cells" 8 "$(count_cells st.sqlite)"

# status_row FILE METHOD-LABEL: "ok error timeout crashed missing" of that row.
status_row() {
  awk -v m="$2" '$1 == "selftest" && $2 == m { print $3, $4, $5, $6, $7 }' "$1"
}

say "status against the config (8 seeds): 4 missing per method"
run_cmd status "$SB" status --db st.sqlite st.toml
check_rc "status with config" 0 status
cat status.out
check_eq "noop: ok error timeout crashed missing" "4 0 0 0 4" "$(status_row status.out noop)"
check_eq "throw[every=3]: ok error timeout crashed missing" "2 2 0 0 4" "$(status_row status.out 'throw[every=3]')"
check_file_contains "status total line" status.out "total: 6 ok, 2 failed, 8 missing"
check_file_contains "status lists a failure with its message" status.out "throw\[every=3\] seed (0|3).*selftest failure for seed (0|3)"

say "status --method / --dataset: only the matching rows, failures and missing cells"
run_cmd status_f "$SB" status --db st.sqlite st.toml --method 'thr*'
check_rc "status --method" 0 status_f
check_eq "only throw" "2 2 0 0 4" "$(status_row status_f.out 'throw[every=3]')"
check_eq "no noop row" "" "$(status_row status_f.out noop)"
check_file_contains "its total" status_f.out "total: 2 ok, 2 failed, 4 missing"
run_cmd status_n "$SB" status --db st.sqlite st.toml --method noop
check_file_contains "noop: no failures listed" status_n.out "total: 4 ok, 0 failed, 4 missing"

say "status without a config: counts of what is recorded"
run_cmd status2 "$SB" status --db st.sqlite
check_rc "status without config" 0 status2
check_file_contains "status total counts ok and failed" status2.out "total: 6 ok, 2 failed"

say "status is read-only"
before=$(sql st.sqlite "SELECT * FROM cells ORDER BY key; SELECT * FROM runs")
after=$(sql st.sqlite "SELECT * FROM cells ORDER BY key; SELECT * FROM runs")
check_true "status changed nothing" '[[ "$before" == "$after" ]]'

say "complete the run: status shows nothing missing, failures stay failed"
run_cmd run2 "$SB" run st.toml --db st.sqlite
check_rc "full run (throw seeds 0,3,6 fail)" 1 run2
run_cmd status3 "$SB" status --db st.sqlite st.toml
check_rc "status" 0 status3
check_eq "noop after full run" "8 0 0 0 0" "$(status_row status3.out noop)"
check_eq "throw[every=3] after full run" "5 3 0 0 0" "$(status_row status3.out 'throw[every=3]')"
check_file_contains "status total line" status3.out "total: 13 ok, 3 failed, 0 missing"

say "status on a missing database: error, file not created"
run_cmd status4 "$SB" status --db nothere.sqlite st.toml
check_ne "status on a missing db" 0 "$RC"
check_true "nothere.sqlite not created" '! compgen -G "nothere.sqlite*" >/dev/null'

say "query --csv (lines end in CRLF as RFC 4180 says; stripped here)"
run_cmd q1 "$SB" query --db st.sqlite --csv \
  "SELECT method, count(*) AS n, sum(status = 'ok') AS ok FROM cells GROUP BY method ORDER BY method"
check_rc "query --csv" 0 q1
check_eq "query --csv output" "method,n,ok
noop,8,8
throw,8,5" "$(tr -d '\r' < q1.out)"
run_cmd q2 "$SB" query --db st.sqlite --csv "SELECT count(*) FROM results WHERE metric = 'value' AND status = 'ok'"
check_rc "query of the results view" 0 q2
check_eq "ok cells with metric value (last csv line)" 13 "$(tr -d '\r' < q2.out | tail -1)"
# the query's values agree with the sqlite3 shell's
check_eq "query value == sqlite3 value" \
  "$(sql st.sqlite "SELECT printf('%!.17g', value) FROM results WHERE method = 'noop' AND seed = 5")" \
  "$("$SB" query --db st.sqlite --csv "SELECT printf('%!.17g', value) FROM results WHERE method = 'noop' AND seed = 5" | tr -d '\r' | tail -1)"

say "query is read-only: writes fail with exit 2 (a usage error) and a clear message; the db is unchanged"
before=$(sql st.sqlite "SELECT * FROM cells ORDER BY key; SELECT * FROM metrics ORDER BY 1, 2; SELECT * FROM runs; SELECT * FROM meta")
i=0
for stmt in "INSERT INTO meta(key, value) VALUES ('x', 'y')" \
            "DELETE FROM metrics" \
            "UPDATE cells SET status = 'ok'" \
            "DROP TABLE cells" \
            "CREATE TABLE t(x)"; do
  i=$((i + 1))
  run_cmd "w$i" "$SB" query --db st.sqlite "$stmt"
  check_rc "query \"$stmt\"" 2 "w$i"
  check_file_contains "query \"$stmt\": message says read-only" "w$i.err" "read-only|readonly|read only"
done
after=$(sql st.sqlite "SELECT * FROM cells ORDER BY key; SELECT * FROM metrics ORDER BY 1, 2; SELECT * FROM runs; SELECT * FROM meta")
check_true "database content unchanged by the refused writes" '[[ "$before" == "$after" ]]'
check_eq "PRAGMA integrity_check" ok "$(sql st.sqlite "PRAGMA integrity_check")"

say "query aligns text by terminal columns (X-bar: X and a combining macron, one column)"
check_eq "X-bar row as wide as the Med row" "$(printf 'a    b\n---  -\nX\xcc\x84    1\nMed  2')" \
  "$("$SB" query --db st.sqlite "SELECT 'X$(printf '\xcc\x84')' AS a, 1 AS b UNION ALL SELECT 'Med', 2")"

say "query errors: a statement that is not valid SQL for this database is the user's input (exit 2)"
run_cmd q3 "$SB" query --db st.sqlite "SELEKT 1"
check_rc "SQL syntax error" 2 q3
check_file_contains "syntax error message" q3.err "st\.sqlite: query \"SELEKT 1\": near \"SELEKT\": syntax error"
run_cmd q3b "$SB" query --db st.sqlite "SELECT * FROM cellz"
check_rc "no such table" 2 q3b
check_file_contains "names the table" q3b.err "no such table: cellz"
run_cmd q3c "$SB" query --db st.sqlite "SELECT 1; SELECT 2"
check_rc "two statements" 2 q3c
check_file_contains "one statement only" q3c.err "single SQL statement"
run_cmd q3d "$SB" leaderboard --db st.sqlite --suite selftest --where "colour = 1"
check_rc "leaderboard --where on a missing column" 2 q3d
check_file_contains "names the column" q3d.err "no such column: colour"
run_cmd q3e "$SB" query --db st.sqlite "ATTACH DATABASE 'no/such/dir/x.db' AS x"
check_rc "ATTACH of a file that cannot be opened" 2 q3e
run_cmd q3f "$SB" query --db st.sqlite "SELECT load_extension('x')"
check_rc "load_extension (not authorised)" 2 q3f
check_file_contains "says so" q3f.err "not authorized"
run_cmd q4 "$SB" query --db nothere.sqlite "SELECT 1"
check_ne "query on a missing db" 0 "$RC"
check_file_contains "missing db message names the file" q4.err "nothere\.sqlite"
check_true "nothere.sqlite not created by query" '! compgen -G "nothere.sqlite*" >/dev/null'

say "query --timeout: a statement that never ends is stopped (exit 2, naming the option)"
FOREVER="WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
run_cmd q5 timeout -k 5 60 "$SB" query --db st.sqlite --timeout 0.5 "$FOREVER"
check_rc "endless query with --timeout 0.5" 2 q5
check_file_contains "message names --timeout" q5.err "stopped after 0\.5 s.*--timeout"
run_cmd q6 "$SB" query --db st.sqlite --timeout -1 "SELECT 1"
check_rc "query --timeout -1" 2 q6
check_file_contains "bad --timeout named" q6.err "--timeout"
check_file_contains "query --help shows --timeout and its default" <("$SB" query --help) "--timeout.*default: 60"

say "status and query on a read-only database file in a directory the reader cannot write"
mkdir ro
cp st.sqlite ro/st.sqlite
chmod 444 ro/st.sqlite
chmod 555 ro
READER=()
if [[ $(id -u) == 0 ]]; then
  # root writes anywhere: read as nobody (who needs to reach the binary and $WORK)
  READER=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  chmod o+rx "$WORK"
fi
if ! "${READER[@]}" "$SB" --version >/dev/null 2>&1; then
  echo "  note: cannot run shardbench as an unprivileged user here; read-only checks skipped"
else
  run_cmd ro1 "${READER[@]}" "$SB" query --db ro/st.sqlite --csv "SELECT count(*) FROM cells"
  check_rc "query on a read-only file" 0 ro1
  check_eq "query on a read-only file: cells" 16 "$(tr -d '\r' < ro1.out | tail -1)"
  run_cmd ro2 "${READER[@]}" "$SB" status --db ro/st.sqlite
  check_rc "status on a read-only file" 0 ro2
  check_file_contains "status on a read-only file: totals" ro2.out "total: 13 ok, 3 failed, 0 missing"
  run_cmd ro3 "${READER[@]}" "$SB" query --db ro/st.sqlite "DELETE FROM cells"
  check_rc "a write on a read-only file" 2 ro3
  check_true "nothing created next to the read-only file" '[[ $(ls ro) == st.sqlite ]]'
fi
chmod 755 ro

say "status when the latest run's config names a method this build lacks: missing unknown, exit 0"
cp st.sqlite unknown.sqlite
sqlite3 unknown.sqlite "UPDATE runs SET config_text = replace(config_text, '\"noop\"', '\"no-such-method\"')
                        WHERE run_id = (SELECT max(run_id) FROM runs)"
run_cmd unk "$SB" status --db unknown.sqlite
check_rc "status with an unplannable latest config" 0 unk
check_eq "noop row: missing unknown" "8 0 0 0 ?" "$(status_row unk.out noop)"
check_file_contains "total: missing ?" unk.out "total: 13 ok, 3 failed, \?"
check_file_contains "says why" unk.out "cannot plan the config of the latest run"
check_file_contains "names the method" unk.out "no-such-method"
run_cmd unk2 "$SB" status --db unknown.sqlite st.toml
check_rc "status with an explicit CONFIG plans that one" 0 unk2
check_file_contains "... and counts missing cells against it" unk2.out "total: 13 ok, 3 failed, 0 missing"

say "a run killed with -9 stays 'running' only until status (or the next run) finds its process gone"
cat > slow.toml <<'TOML'
suite = "selftest"
seeds = 200
[[datasets]]
name = "empty"
[[methods]]
name = "sleep"
ms = 100.0
TOML
# wait_for WHAT CONDITION: polls CONDITION (up to 30 s), fails with WHAT if it never holds.
wait_for() {
  local i
  for i in $(seq 300); do
    if eval "$2"; then return 0; fi
    sleep 0.1
  done
  fail "$1 (never happened)"
  return 1
}
killed_run() {
  "$SB" run slow.toml --db stale.sqlite >"$1.out" 2>"$1.err" &
  local pid=$!
  wait_for "run $1 recorded as running" \
    '[[ $(sql stale.sqlite "SELECT count(*) FROM runs WHERE status = '"'running'"'" 2>/dev/null || echo 0) -gt 0 ]]'
  check_eq "$1: run recorded as running" running "$(sql stale.sqlite "SELECT status FROM runs ORDER BY run_id DESC LIMIT 1")"
  kill -KILL "$pid"
  wait "$pid" 2>/dev/null || true
  wait_for "$1: cell processes gone" '[[ -z $(leftover_processes) ]]'
}
killed_run kill1
run_cmd stale1 "$SB" status --db stale.sqlite
check_rc "status after kill -9" 0 stale1
check_file_contains "status reports the dead run" stale1.out "run 1 .*recorded as running.*marked interrupted"
check_eq "run 1 now interrupted" interrupted "$(sql stale.sqlite "SELECT status FROM runs WHERE run_id = 1")"
check_eq "its finish time is its last cell's" \
  "$(sql stale.sqlite "SELECT max(finished_at) FROM cells WHERE run_id = 1")" \
  "$(sql stale.sqlite "SELECT finished_at FROM runs WHERE run_id = 1")"
run_cmd stale2 "$SB" status --db stale.sqlite
check_true "a second status says nothing about it" '! grep -q "recorded as running" stale2.out'
killed_run kill2
run_cmd stale3 "$SB" run slow.toml --db stale.sqlite --seeds 1 --force
check_rc "the next run" 0 stale3
check_file_contains "the next run reports the dead run" stale3.err "run 2 was still recorded as running.*marked interrupted"
check_eq "runs: interrupted, interrupted, ok" "interrupted,interrupted,ok" \
  "$(sql stale.sqlite "SELECT group_concat(status) FROM (SELECT status FROM runs ORDER BY run_id)")"

say "a live run is never marked stale"
"$SB" run slow.toml --db live.sqlite >live.out 2>live.err &
pid=$!
wait_for "live run recorded" '[[ $(sql live.sqlite "SELECT count(*) FROM runs" 2>/dev/null || echo 0) -gt 0 ]]'
run_cmd live1 "$SB" status --db live.sqlite
check_rc "status during a run" 0 live1
check_eq "the live run is still running" running "$(sql live.sqlite "SELECT status FROM runs WHERE run_id = 1")"
kill -TERM "$pid"
wait "$pid" 2>/dev/null || true
check_eq "stopped by SIGTERM: interrupted" interrupted "$(sql live.sqlite "SELECT status FROM runs WHERE run_id = 1")"


say "a database that does not exist is bad input (exit 2), named in the message"
for cmd in status leaderboard query; do
  case $cmd in
    leaderboard) args=(--suite selftest) ;;
    query) args=("SELECT 1") ;;
    *) args=() ;;
  esac
  run_cmd "absent_$cmd" "$SB" "$cmd" --db absent.sqlite "${args[@]}"
  check_rc "$cmd on a missing database" 2 "absent_$cmd"
  check_file_contains "$cmd names the missing file" "absent_$cmd.err" "no database at absent.sqlite"
  check_true "$cmd created no file" '[[ ! -e absent.sqlite ]]'
done

say "top-level --help: every command's first sentence whole"
"$SB" --help > help.out
check_file_contains "merge's summary is not cut at e.g." help.out "Merges databases written by separate jobs \(e.g. --shard job arrays\) into OUT\."
check_file_contains "report's summary ends its sentence" help.out "box plots over seeds, inline SVG\)\.$"


say "under mpirun from a terminal: the live line is drawn on the terminal (/dev/tty), the final line is logged"
cat > tty.toml <<'TOML'
suite = "selftest"
seeds = 8
[[datasets]]
name = "empty"
[[methods]]
name = "sleep"
ms = 250
TOML
# `script` gives the job a terminal, as an interactive shell would; stderr
# (rank 0's pipe through mpirun) goes to a log file.
script -qec "cd '$PWD' && ${MPIRUN[*]} -n 2 '$SB' run tty.toml --db tty.sqlite 2>tty.log" tty.typescript </dev/null >/dev/null
check_true "the terminal got the live line (carriage return, erase, progress)" \
  "grep -q \$'\\r\\033\\[K\\[shardbench\\] [0-9]*/8 cells' tty.typescript"
check_file_contains "the log has the final progress line" tty.log "^\\[shardbench\\] 8/8 cells \\(100.0%\\)"
check_true "the log has no live-line control codes" "! grep -q \$'\\033\\[K' tty.log"


say "results filters: --run, --config, --dataset, --method, --where select the study"
cat > flt.toml <<'TOML'
suite = "selftest"
seeds = 4
[[datasets]]
name = "empty"
size = [1, 2]
[[methods]]
name = "noop"
[[methods]]
name = "sleep"
ms = [0, 1]
TOML
"$SB" run flt.toml --db flt.sqlite --seeds 2 >/dev/null 2>&1
"$SB" run flt.toml --db flt.sqlite >/dev/null 2>&1
rows() { "$SB" leaderboard --suite selftest --db flt.sqlite --format csv "$@" | tail -n +2; }
check_eq "no filter: 2 datasets x 3 methods" 6 "$(rows | wc -l)"
check_eq "--method 'sleep*': 4 rows" 4 "$(rows --method 'sleep*' | wc -l)"
check_eq "--dataset '*size=2*' --method noop: one row, labels shortened over the filtered study" \
  "empty,noop" "$(rows --dataset '*size=2*' --method noop | cut -d, -f1,2)"
check_eq "--run 1: seeds 0 and 1 only (2 seeds per row)" 2 "$(rows --run 1 --method noop --dataset '*size=1*' | awk -F, '{print $(NF-2)}')"
check_eq "--run latest --where 'seed >= 3': one seed" 1 "$(rows --run latest --where 'seed >= 3' --method noop --dataset '*size=1*' | awk -F, '{print $(NF-2)}')"
cat > flt-noop.toml <<'TOML'
suite = "selftest"
seeds = 4
[[datasets]]
name = "empty"
size = 1
[[methods]]
name = "noop"
TOML
check_eq "--config: the cells of that grid only" "empty,noop" "$(rows --config flt-noop.toml | cut -d, -f1,2)"
run_cmd badrun "$SB" leaderboard --suite selftest --db flt.sqlite --run 99
check_rc "--run 99 (no such run)" 2 badrun
run_cmd badwhere "$SB" leaderboard --suite selftest --db flt.sqlite --where "nonsense((("
check_rc "--where with bad SQL (the user's input)" 2 badwhere
check_file_contains "names the option and the condition" badwhere.err "--where 'nonsense\(\(\(': .*incomplete input"
run_cmd badmethod "$SB" leaderboard --suite selftest --db flt.sqlite --method 'nop'
check_rc "--method matching nothing" 2 badmethod
check_file_contains "names the glob, suggests, lists the recorded methods" badmethod.err \
  "--method 'nop' matches no recorded name or label, did you mean 'noop'\? \(recorded: noop, sleep\)"
run_cmd baddataset "$SB" leaderboard --suite selftest --db flt.sqlite --dataset '*size=9*'
check_rc "--dataset matching nothing" 2 baddataset
check_file_contains "names the glob and the recorded datasets" baddataset.err \
  "--dataset '\*size=9\*' matches no recorded name or label \(recorded: empty\)"

finish
