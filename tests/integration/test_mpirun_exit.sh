#!/usr/bin/env bash
# Under mpirun: a crashing cell prints one line (the executor children do not
# inherit Open MPI's signal handlers), exit 1 for failed cells comes from rank
# 0 alone with a line saying what it means, and --exit-zero-on-failed-cells
# exits 0 without mpirun's "job has been aborted" notice.
source "$(dirname "$0")/lib.sh"

cat > f.toml <<'TOML'
suite = "selftest"
seeds = 2
[[datasets]]
name = "empty"
[[methods]]
name = "crash"
[[methods]]
name = "noop"
TOML

say "two segfaulting cells under mpirun -n 2"
run_cmd crash "${MPIRUN[@]}" -n 2 "$SB" run f.toml --db a.sqlite
check_rc "failed cells" 1 crash
check_eq "Open MPI backtrace lines" "0" "$(grep -c 'Process received signal\|\[ *[0-9]*\] ' crash.err || true)"
check_eq "one line per crashed cell" "2" "$(grep -c 'failed: .*crash.*killed by signal 11' crash.err || true)"
grep -q '^\[shardbench\] exit code 1 = some cells failed; the run itself completed' crash.err \
  && pass "the exit code is explained before mpirun's notice" || fail "no explanation: $(cat crash.err)"
# Only rank 0 returns 1: mpirun names rank 0 ([[job,1],0]) as the process that did.
if grep -q "Process name:" crash.err; then
  grep -q "Process name: \[\[[0-9]*,1\],0\]" crash.err && pass "only rank 0 exited non-zero" \
    || fail "a worker exited non-zero: $(grep -A1 'Process name' crash.err)"
fi
check_eq "run status" "failed-cells" "$(sqlite3 a.sqlite 'SELECT status FROM runs')"

say "--exit-zero-on-failed-cells"
run_cmd zero "${MPIRUN[@]}" -n 2 "$SB" run f.toml --db b.sqlite --exit-zero-on-failed-cells
check_rc "failed cells, flag given" 0 zero
check_eq "mpirun's abort notice" "0" "$(grep -c 'aborted\|non-zero' zero.err || true)"
check_eq "failures still listed" "2" "$(grep -c 'failed: .*crash' zero.err || true)"
check_eq "run status still failed-cells" "failed-cells" "$(sqlite3 b.sqlite 'SELECT status FROM runs')"
check_eq "crashed cells recorded" "2" "$(sqlite3 b.sqlite "SELECT count(*) FROM cells WHERE status = 'crashed'")"

say "without mpirun: exit 1, no launcher note"
run_cmd single "$SB" run f.toml --db c.sqlite
check_rc "single process" 1 single
check_eq "launcher note" "0" "$(grep -c 'job aborted' single.err || true)"
finish
