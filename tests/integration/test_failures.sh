#!/usr/bin/env bash
# Failing cells under mpirun -n 2: a method that throws (status error with its
# message), one that kills its process with SIGSEGV (crashed), one that hangs
# past --timeout (timeout). The run completes, exits 1, and a rerun retries
# only the failed cells.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

selftest_config() {  # selftest_config FILE METHOD EVERY
  cat > "$1" <<TOML
suite = "selftest"
seeds = 12
[[datasets]]
name = "empty"
[[methods]]
name = "$2"
every = $3
TOML
}

# check_failed DB METHOD STATUS EXPECTED-SEEDS ERROR-REGEX
check_failed() {
  local db=$1 method=$2 status=$3 seeds=$4 regex=$5
  check_eq "$method: cells" 12 "$(sql "$db" "SELECT count(*) FROM cells WHERE method = '$method'")"
  check_eq "$method: seeds with status $status" "$seeds" \
    "$(sql "$db" "SELECT group_concat(seed) FROM (SELECT seed FROM cells WHERE method = '$method' AND status = '$status' ORDER BY seed)")"
  check_eq "$method: all other seeds ok" $((12 - $(tr ',' '\n' <<<"$seeds" | wc -l))) \
    "$(sql "$db" "SELECT count(*) FROM cells WHERE method = '$method' AND status = 'ok'")"
  check_eq "$method: ok cells have metric 'value'" \
    "$(sql "$db" "SELECT count(*) FROM cells WHERE method = '$method' AND status = 'ok'")" \
    "$(sql "$db" "SELECT count(*) FROM results WHERE method = '$method' AND status = 'ok' AND metric = 'value' AND value IS NOT NULL")"
  check_eq "$method: failed cells have no metrics" 0 \
    "$(sql "$db" "SELECT count(*) FROM results WHERE method = '$method' AND status != 'ok' AND metric IS NOT NULL")"
  local bad
  # The first line of each error: a failed cell's captured output may follow.
  bad=$(sql "$db" "SELECT seed || ': ' || coalesce(substr(error, 1, instr(error || char(10), char(10)) - 1), '(NULL)')
                   FROM cells WHERE method = '$method' AND status = '$status'" |
        grep -Ev -- "$regex" || true)
  if [[ -z $bad ]]; then pass "$method: error messages match /$regex/"; else fail "$method: error messages not matching /$regex/: $bad"; fi
  check_eq "$method: ok cells have a NULL error" 0 \
    "$(sql "$db" "SELECT count(*) FROM cells WHERE method = '$method' AND status = 'ok' AND error IS NOT NULL")"
}

say "throw every=3 over 12 seeds, mpirun -n 2"
selftest_config throw.toml throw 3
run_cmd throw "${MPIRUN[@]}" -n 2 "$SB" run throw.toml --db throw.sqlite
check_rc "run with throwing cells" 1 throw
check_failed throw.sqlite throw error "0,3,6,9" '^[0-9]+: selftest failure for seed [0-9]+$'
check_eq "throw: message names its own seed" 0 \
  "$(sql throw.sqlite "SELECT count(*) FROM cells WHERE status = 'error' AND error != 'selftest failure for seed ' || seed")"
check_eq "throw: run status" failed-cells "$(sql throw.sqlite "SELECT status FROM runs")"
check_true "throw: run has finished_at" '[[ -n $(sql throw.sqlite "SELECT finished_at FROM runs") ]]'

say "crash every=4 (SIGSEGV) over 12 seeds, mpirun -n 2: the run survives its cells' crashes"
selftest_config crash.toml crash 4
run_cmd crash "${MPIRUN[@]}" -n 2 "$SB" run crash.toml --db crash.sqlite
check_rc "run with crashing cells" 1 crash
check_failed crash.sqlite crash crashed "0,4,8" 'signal 11|Segmentation'
check_eq "crash: run status" failed-cells "$(sql crash.sqlite "SELECT status FROM runs")"

say "hang every=5 with --timeout 1 over 12 seeds, mpirun -n 2"
selftest_config hang.toml hang 5
start=$SECONDS
run_cmd hang "${MPIRUN[@]}" -n 2 "$SB" run hang.toml --db hang.sqlite --timeout 1
elapsed=$((SECONDS - start))
check_rc "run with hanging cells and --timeout 1" 1 hang
check_failed hang.sqlite hang timeout "0,5,10" 'timeout'
sleep 0.5
left=$(leftover_processes)
check_eq "no shardbench process left running in the test dir after the timeouts" "" "$left"
check_true "hang: run ended in reasonable time (${elapsed}s < 30s; 3 cells x 1 s on 2 ranks)" '[[ $elapsed -lt 30 ]]'

say "rerun of the failed config retries only the failed cells"
ok_before=$(sql throw.sqlite "SELECT key, run_id, finished_at FROM cells WHERE status = 'ok' ORDER BY key")
run_cmd throw2 "${MPIRUN[@]}" -n 2 "$SB" run throw.toml --db throw.sqlite
check_rc "rerun (the same seeds throw again)" 1 throw2
RUN2=$(sql throw.sqlite "SELECT max(run_id) FROM runs")
check_eq "rerun got a new run id" 2 "$RUN2"
check_file_contains "rerun plans 4 cells" throw2.err "4 cells to run \(8 done before\)"
check_eq "cells written by the rerun" "0,3,6,9" \
  "$(sql throw.sqlite "SELECT group_concat(seed) FROM (SELECT seed FROM cells WHERE run_id = $RUN2 ORDER BY seed)")"
check_eq "cells after rerun" 12 "$(count_cells throw.sqlite)"
ok_after=$(sql throw.sqlite "SELECT key, run_id, finished_at FROM cells WHERE status = 'ok' ORDER BY key")
check_true "ok cells untouched by the rerun" '[[ "$ok_before" == "$ok_after" ]]'

say "crashed cells count as to-run for the next run"
run_cmd crash2 "$SB" run crash.toml --db crash.sqlite --dry-run
check_rc "dry run of the crash config" 0 crash2
check_file_contains "dry run: 12 total, 9 done, 3 to run" crash2.out "12 cells total.* 9 already done, 3 to run"

say "a timed-out cell that can succeed is retried by the next run and replaced by ok"
cat > slow.toml <<'TOML'
suite = "selftest"
seeds = 2
[[datasets]]
name = "empty"
[[methods]]
name = "sleep"
ms = 1500.0
TOML
run_cmd slow1 "${MPIRUN[@]}" -n 2 "$SB" run slow.toml --db slow.sqlite --timeout 1
check_rc "1.5 s cells with --timeout 1" 1 slow1
check_eq "statuses" "timeout,timeout" "$(sql slow.sqlite "SELECT group_concat(status) FROM cells")"
run_cmd slow2 "${MPIRUN[@]}" -n 2 "$SB" run slow.toml --db slow.sqlite
check_rc "rerun without --timeout" 0 slow2
check_eq "statuses after rerun" "ok,ok" "$(sql slow.sqlite "SELECT group_concat(status) FROM cells")"
check_eq "errors cleared" 0 "$(sql slow.sqlite "SELECT count(*) FROM cells WHERE error IS NOT NULL")"
check_eq "metrics added" 2 "$(sql slow.sqlite "SELECT count(*) FROM results WHERE metric = 'value' AND value IS NOT NULL")"
check_eq "cells (replaced, not duplicated)" 2 "$(count_cells slow.sqlite)"

for db in throw crash hang slow; do
  check_eq "$db: PRAGMA integrity_check" ok "$(sql $db.sqlite "PRAGMA integrity_check")"
done

finish
