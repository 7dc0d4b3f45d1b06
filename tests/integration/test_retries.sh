#!/usr/bin/env bash
# `run --max-retries N` under mpirun -n 2: the selftest `flaky` probe fails
# the first `failures` attempts of each seed (it counts them in marker files
# in `dir`, one byte per attempt), so each cell's recorded attempts are
# checked against what the method itself saw. A flaky cell fails with 0
# retries and passes with 1; a deterministic failure is attempted N+1 times
# and recorded failed with its attempts; `status` shows them; resume, the
# config key and merge keep working.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# flaky_config FILE DIR FAILURES [CRASH] [EXTRA-TOP-LEVEL-LINE]
flaky_config() {
  mkdir -p "$2"
  cat > "$1" <<TOML
suite = "selftest"
seeds = 6
${5:-}
[[datasets]]
name = "empty"
[[methods]]
name = "flaky"
dir = "$2"
failures = $3
crash = ${4:-false}
[[methods]]
name = "noop"
TOML
}

# marker_bytes DIR: the attempts the method saw, per seed ("seed:n,...").
marker_bytes() {
  local out="" seed
  for seed in 0 1 2 3 4 5; do out+="$seed:$(stat -c %s "$1/flaky-seed-$seed" 2>/dev/null || echo 0),"; done
  echo "${out%,}"
}

attempts_of() {  # attempts_of DB METHOD: "seed:status:attempts,..." by seed
  sql "$1" "SELECT group_concat(seed || ':' || status || ':' || attempts) FROM
            (SELECT seed, status, attempts FROM cells WHERE method = '$2' ORDER BY seed)"
}

say "a flaky method (fails its first attempt) without retries: every flaky cell fails, mpirun -n 2"
flaky_config once.toml "$WORK/m0" 1
run_cmd once0 "${MPIRUN[@]}" -n 2 "$SB" run once.toml --db once0.sqlite
check_rc "run without --max-retries" 1 once0
check_eq "flaky cells: error after 1 attempt" "0:error:1,1:error:1,2:error:1,3:error:1,4:error:1,5:error:1" \
  "$(attempts_of once0.sqlite flaky)"
check_eq "noop cells: ok, 1 attempt" "0:ok:1,1:ok:1,2:ok:1,3:ok:1,4:ok:1,5:ok:1" "$(attempts_of once0.sqlite noop)"
check_eq "the method saw one attempt per seed" "0:1,1:1,2:1,3:1,4:1,5:1" "$(marker_bytes "$WORK/m0")"

say "the same with --max-retries 1 (fresh markers): every cell passes on its second attempt"
flaky_config once.toml "$WORK/m1" 1
run_cmd once1 "${MPIRUN[@]}" -n 2 "$SB" run once.toml --db once1.sqlite --max-retries 1
check_rc "run with --max-retries 1" 0 once1
check_eq "flaky cells: ok after 2 attempts" "0:ok:2,1:ok:2,2:ok:2,3:ok:2,4:ok:2,5:ok:2" "$(attempts_of once1.sqlite flaky)"
check_eq "noop cells: not retried" "0:ok:1,1:ok:1,2:ok:1,3:ok:1,4:ok:1,5:ok:1" "$(attempts_of once1.sqlite noop)"
check_eq "the method saw two attempts per seed" "0:2,1:2,2:2,3:2,4:2,5:2" "$(marker_bytes "$WORK/m1")"
check_eq "ok cells retried have no error" 0 "$(sql once1.sqlite "SELECT count(*) FROM cells WHERE error IS NOT NULL")"
check_file_contains "the run's summary counts the retries" once1.err \
  'finished: 12 cells, 12 ok, 0 failed; 6 retried, 6 succeeded on retry'
run_cmd status1 "$SB" status --db once1.sqlite
check_rc "status" 0 status1
check_file_contains "status: retries line" status1.out '^retries: 6 cells retried, 6 succeeded on retry \(6 extra attempts\)$'

say "a deterministic failure with --max-retries 2: attempted 3 times, recorded failed; a crashing flaky passes"
flaky_config always.toml "$WORK/m2" 1000
run_cmd always "${MPIRUN[@]}" -n 2 "$SB" run always.toml --db always.sqlite --max-retries 2
check_rc "run with a deterministic failure" 1 always
check_eq "flaky(always) cells: error after 3 attempts" \
  "0:error:3,1:error:3,2:error:3,3:error:3,4:error:3,5:error:3" "$(attempts_of always.sqlite flaky)"
check_eq "the method saw 3 attempts per seed" "0:3,1:3,2:3,3:3,4:3,5:3" "$(marker_bytes "$WORK/m2")"
check_eq "the last attempt's error is kept" 6 \
  "$(sql always.sqlite "SELECT count(*) FROM cells WHERE error = 'flaky: attempt 3 of seed ' || seed || ' fails on purpose'")"
check_file_contains "the run's summary counts the retries" always.err 'finished: 12 cells, 6 ok, 6 failed; 6 retried, 0 succeeded on retry'
check_file_contains "the failure samples say the attempts" always.err 'flaky\[.*\] seed [0-9]: error \(3 attempts\): flaky: attempt 3'
run_cmd status2 "$SB" status --db always.sqlite
check_file_contains "status: retries line" status2.out '^retries: 6 cells retried, 0 succeeded on retry \(12 extra attempts\)$'
check_file_contains "status: each failure with its attempts" status2.out \
  '^  empty\[size=0\] flaky\[.*\] seed 0: error after 3 attempts: flaky: attempt 3 of seed 0 fails on purpose$'

say "crash = true: a crashed attempt (SIGABRT in the executor child) is retried, mpirun -n 2"
flaky_config crash.toml "$WORK/m3" 1 true
run_cmd crash "${MPIRUN[@]}" -n 2 "$SB" run crash.toml --db crash.sqlite --max-retries 1
check_rc "run with crashing first attempts" 0 crash
check_eq "flaky(crash) cells: ok after 2 attempts" "0:ok:2,1:ok:2,2:ok:2,3:ok:2,4:ok:2,5:ok:2" "$(attempts_of crash.sqlite flaky)"

say "resume: the failed cells rerun with their attempts counted afresh; the ok ones stay"
before=$(sql always.sqlite "SELECT group_concat(key || finished_at) FROM cells WHERE status = 'ok'")
run_cmd resume "${MPIRUN[@]}" -n 2 "$SB" run always.toml --db always.sqlite --max-retries 1
check_rc "resumed run" 1 resume
check_file_contains "only the 6 failed cells run" resume.err 'run 2: 6 cells to run \(6 done before\)'
check_eq "flaky(always) cells: error after 2 attempts (this run's)" \
  "0:error:2,1:error:2,2:error:2,3:error:2,4:error:2,5:error:2" "$(attempts_of always.sqlite flaky)"
check_eq "the method saw 3 + 2 attempts per seed" "0:5,1:5,2:5,3:5,4:5,5:5" "$(marker_bytes "$WORK/m2")"
check_eq "ok cells untouched" "$before" "$(sql always.sqlite "SELECT group_concat(key || finished_at) FROM cells WHERE status = 'ok'")"

say "max_retries in the config; --max-retries overrides it"
flaky_config keyed.toml "$WORK/m4" 1 false "max_retries = 1"
run_cmd keyed "${MPIRUN[@]}" -n 2 "$SB" run keyed.toml --db keyed.sqlite
check_rc "run with max_retries = 1 in the config" 0 keyed
check_eq "flaky cells: ok after 2 attempts" "0:ok:2,1:ok:2,2:ok:2,3:ok:2,4:ok:2,5:ok:2" "$(attempts_of keyed.sqlite flaky)"
flaky_config keyed.toml "$WORK/m5" 1 false "max_retries = 1"
run_cmd keyed0 "${MPIRUN[@]}" -n 2 "$SB" run keyed.toml --db keyed0.sqlite --max-retries 0
check_rc "--max-retries 0 over the config's 1" 1 keyed0
check_eq "flaky cells: error after 1 attempt" "0:error:1,1:error:1,2:error:1,3:error:1,4:error:1,5:error:1" \
  "$(attempts_of keyed0.sqlite flaky)"
flaky_config badkey.toml "$WORK/m6" 1 false 'max_retries = "two"'
run_cmd badkey "$SB" run badkey.toml --db badkey.sqlite
check_rc "max_retries = \"two\"" 2 badkey
check_file_contains "the error names the file, line and key" badkey.err "badkey.toml:3: 'max_retries' must be a whole number in \[0, 100\]"

say "bad --max-retries values: exit 2 naming the option, nothing written"
for bad in -1 1.5 101 x; do
  run_cmd "bad$bad" "$SB" run once.toml --db bad.sqlite --max-retries "$bad"
  check_rc "--max-retries $bad" 2 "bad$bad"
  check_file_contains "--max-retries $bad: the error names the option" "bad$bad.err" "option --max-retries = '$bad'"
done
check_true "no database written" '[[ ! -e bad.sqlite ]]'
run_cmd help "$SB" run --help
check_file_contains "run --help lists --max-retries" help.out '--max-retries N'

say "merge keeps the attempts"
run_cmd merge "$SB" merge merged.sqlite once1.sqlite always.sqlite
check_rc "merge" 0 merge
flaky_attempts() { sql "$1" "SELECT group_concat(seed || ':' || attempts) FROM
                              (SELECT seed, attempts FROM cells WHERE method = 'flaky' ORDER BY method_params, seed)"; }
check_eq "the merged flaky cells' attempts (dir m1 before m2)" \
  "$(flaky_attempts once1.sqlite),$(flaky_attempts always.sqlite)" "$(flaky_attempts merged.sqlite)"

finish
