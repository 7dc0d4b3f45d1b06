#!/usr/bin/env bash
# Fault injection under mpirun -n 2: the selftest suite's fault probes (NaN,
# 20 MiB of output, a 50 MiB exception message, a leaked grandchild, a memory
# hog under --memory-limit, exit(0) mid-cell) run in one experiment, and a
# busy loop past --timeout in another. Every cell is recorded with the right status, the
# harness's own output and the database stay small, nothing is left running,
# and the run completes (exit 1: some cells failed).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cat > faults.toml <<'TOML'
suite = "selftest"
seeds = 2
[[datasets]]
name = "empty"
[[methods]]
name = "noop"
[[methods]]
name = "nan"
[[methods]]
name = "shout"
mb = 20.0
fail = [false, true]
[[methods]]
name = "long_message"
mb = 50.0
[[methods]]
name = "orphan"
[[methods]]
name = "hog"
mb = 4096
[[methods]]
name = "exit"
TOML

# A generous timeout: on a loaded machine the hog's and the long message's
# cells take seconds. The busy loop runs on its own below, with a short one.
say "fault probes, mpirun -n 2, --timeout 60 --memory-limit 512"
run_cmd faults "${MPIRUN[@]}" -n 2 "$SB" run faults.toml --db faults.sqlite --timeout 60 --memory-limit 512
check_rc "run with faulty methods completes" 1 faults
check_eq "every cell recorded (8 methods x 2 seeds)" 16 "$(count_cells faults.sqlite)"

# statuses LABEL-PATTERN: the statuses of the matching cells, by seed.
statuses() { sql faults.sqlite "SELECT group_concat(status) FROM (SELECT status FROM cells WHERE method_label LIKE '$1' ORDER BY seed)"; }
errors_matching() {  # errors_matching LABEL-PATTERN SQL-LIKE: how many errors contain the pattern
  sql faults.sqlite "SELECT count(*) FROM cells WHERE method_label LIKE '$1' AND error LIKE '$2'"
}

check_eq "noop: ok" "ok,ok" "$(statuses noop)"

# A NaN metric the suite does not allow is the cell's error, named.
check_eq "nan: error" "error,error" "$(statuses nan)"
check_eq "nan: message names the metric and says non-finite" 2 "$(errors_matching nan '%metric _value_ is non-finite%')"

check_eq "shout: 20 MiB of output, ok" "ok,ok" "$(statuses 'shout%fail=false%')"
check_eq "shout: ok cells keep no output" 0 \
  "$(sql faults.sqlite "SELECT count(*) FROM cells WHERE method_label LIKE 'shout%fail=false%' AND error IS NOT NULL")"
check_eq "shout fail: error" "error,error" "$(statuses 'shout%fail=true%')"
check_eq "shout fail: error has the output's tail" 2 "$(errors_matching 'shout%fail=true%' '%--- cell output (last % of % bytes) ---%shout: the end%')"
check_true "shout fail: error bounded (<= 4 KiB message + 64 KiB output + headers)" \
  '[[ $(sql faults.sqlite "SELECT max(length(CAST(error AS BLOB))) FROM cells WHERE method_label LIKE '"'shout%fail=true%'"'") -le $((4096 + 65536 + 200)) ]]'
check_true "harness stderr stays small despite 80 MiB of method output" '[[ $(stat -c %s faults.err) -lt 20000 ]]'
check_true "harness stdout stays small" '[[ $(stat -c %s faults.out) -lt 20000 ]]'

check_eq "long_message: error" "error,error" "$(statuses "long_message%")"
check_eq "long_message: truncated, with its size" 2 "$(errors_matching 'long_message%' '%[message truncated: 52428814 bytes in all]%')"
check_true "long_message: stored message <= 4 KiB + note" \
  '[[ $(sql faults.sqlite "SELECT max(length(CAST(error AS BLOB))) FROM cells WHERE method_label LIKE '"'long_message%'"'") -le $((4096 + 100)) ]]'
check_true "database stays small (< 4 MiB)" '[[ $(stat -c %s faults.sqlite) -lt 4194304 ]]'

check_eq "orphan: ok" "ok,ok" "$(statuses orphan)"

hog=$(sql faults.sqlite "SELECT group_concat(status) FROM cells WHERE method_label LIKE 'hog%'")
check_true "hog: error or crashed ($hog)" '[[ $hog =~ ^(error|crashed),(error|crashed)$ ]]'
check_eq "hog: message names the memory limit" 2 "$(errors_matching 'hog%' '%memory limit%')"

check_eq "exit: crashed" "crashed,crashed" "$(statuses exit)"
check_eq "exit: message says how" 2 "$(errors_matching exit '%exited with status 0%')"

sleep 0.5
check_eq "no process left running in the test dir (grandchildren killed)" "" "$(leftover_processes)"
check_eq "run status" failed-cells "$(sql faults.sqlite "SELECT status FROM runs")"
check_eq "PRAGMA integrity_check" ok "$(sql faults.sqlite "PRAGMA integrity_check")"

say "a leaked grandchild in a run where nothing crashes dies at the end of the run"
cat > orphan.toml <<'TOML'
suite = "selftest"
seeds = 3
[[datasets]]
name = "empty"
[[methods]]
name = "orphan"
TOML
run_cmd orphan "${MPIRUN[@]}" -n 2 "$SB" run orphan.toml --db orphan.sqlite
check_rc "orphans only" 0 orphan
sleep 0.5
check_eq "no grandchild left running after a clean run" "" "$(leftover_processes)"

say "a busy loop past --timeout 2, mpirun -n 2"
cat > spin.toml <<'TOML'
suite = "selftest"
seeds = 2
[[datasets]]
name = "empty"
[[methods]]
name = "spin"
TOML
run_cmd spin0 "${MPIRUN[@]}" -n 2 "$SB" run spin.toml --db spin0.sqlite --timeout 2
check_rc "busy loops with --timeout 2" 1 spin0
check_eq "spin: timeout" "timeout,timeout" "$(sql spin0.sqlite "SELECT group_concat(status) FROM cells")"
check_eq "spin: message names the timeout" 2 "$(sql spin0.sqlite "SELECT count(*) FROM cells WHERE error LIKE '%timeout of 2 s%'")"
sleep 0.5
check_eq "no process left running after the timeouts" "" "$(leftover_processes)"

say "a config's timeout applies without --timeout; --timeout wins over it"
cat > spin.toml <<'TOML'
suite = "selftest"
seeds = 1
timeout = 1
[[datasets]]
name = "empty"
[[methods]]
name = "spin"
TOML
run_cmd spin1 "$SB" run spin.toml --db spin.sqlite
check_rc "config timeout = 1" 1 spin1
check_eq "spin under the config's timeout" 1 "$(sql spin.sqlite "SELECT count(*) FROM cells WHERE status = 'timeout' AND error LIKE '%timeout of 1 s%'")"
sed -i 's/^name = "spin"$/name = "spin"\nseconds = 1.5/' spin.toml
run_cmd spin2 "$SB" run spin.toml --db spin.sqlite --timeout 30
check_rc "--timeout 30 over the config's 1" 0 spin2
check_eq "spin of 1.5 s ok with --timeout 30" ok "$(sql spin.sqlite "SELECT group_concat(status) FROM cells WHERE run_id = 2")"

finish
