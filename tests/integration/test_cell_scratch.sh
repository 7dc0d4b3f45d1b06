#!/usr/bin/env bash
# What a cell leaves behind on a timeout or a kill -9 of its rank: the cell
# directories and temporary files of external methods live in a per-rank
# scratch folder under TMPDIR, emptied whenever a cell process ends and
# removed with the rank (or by the next run when the rank was killed);
# programs a method started die with a killed rank; and they get default
# signal dispositions (the executor ignores SIGINT/SIGTERM, they must not).
source "$(dirname "$0")/lib.sh"

mkdir -p tmp ext
export TMPDIR=$PWD/tmp
marker="sb-scratch-$$"
# Writes into its cell directory and TMPDIR, then waits on a child that
# carries a unique name, so pgrep can find it.
cat > ext/hang.sh <<SH
#!/bin/bash
echo partial > "\$1/partial.npy"
echo temp > "\$TMPDIR/method-temp-file"
exec -a $marker sleep 3600
SH
# Terminates a child of its own: takes seconds if SIGTERM were still ignored.
cat > ext/terminate.sh <<'SH'
#!/bin/sh
sleep 30 &
kill -TERM $!
wait $!
exit 0
SH
chmod +x ext/*.sh
config() {
  cat <<TOML
suite = "selftest"
seeds = 1
[[datasets]]
name = "empty"
[[methods]]
name = "x"
version = "1"
command = ["ext/$1"]
TOML
}
config hang.sh >hang.toml
config terminate.sh >terminate.toml

say "a cell killed at its timeout leaves no cell directory and no temporary file"
"$SB" run hang.toml --db t.sqlite --timeout 1 >/dev/null 2>&1 || true
check_eq "the cell timed out" "timeout" "$(sqlite3 t.sqlite 'SELECT status FROM cells')"
check_eq "TMPDIR is as before the run" "" "$(ls -A tmp)"
pgrep -f "$marker" >/dev/null && fail "the method's process outlived its cell" || pass "no method process left"

say "kill -9 of the rank: the method's processes die with it; the next run removes its scratch folder"
"$SB" run hang.toml --db k.sqlite >/dev/null 2>&1 &
rank=$!
for _ in $(seq 50); do pgrep -f "$marker" >/dev/null && break; sleep 0.1; done
pgrep -f "$marker" >/dev/null || die "the method never started"
kill -9 "$rank"
wait "$rank" 2>/dev/null || true
for _ in $(seq 50); do pgrep -f "$marker" >/dev/null || break; sleep 0.1; done
pgrep -f "$marker" >/dev/null && fail "the method's process outlived its killed rank" || pass "no method process left"
check_eq "the killed rank's scratch folder is left" "1" "$(ls tmp | grep -c "^shardbench-rank-$rank-")"
"$SB" run hang.toml --db t2.sqlite --timeout 1 >/dev/null 2>&1 || true
check_eq "the next run removed it" "" "$(ls -A tmp)"

say "a program failing under --memory-limit: the message names the limit"
printf '#!/bin/sh\necho "MemoryError" >&2\nexit 1\n' >ext/oom.sh
chmod +x ext/oom.sh
config oom.sh >oom.toml
"$SB" run oom.toml --db m.sqlite --memory-limit 4096 >/dev/null 2>&1 || true
check_eq "error names the limit" "1" \
  "$(sqlite3 m.sqlite "SELECT error LIKE '%exited with status 1 (a memory limit of 4096 MiB was in force: --memory-limit)%' FROM cells")"

say "an external program's SIGTERM is not ignored"
start=$SECONDS
"$SB" run terminate.toml --db s.sqlite --timeout 20 >/dev/null 2>&1 || true
check_eq "the cell is ok" "ok" "$(sqlite3 s.sqlite 'SELECT status FROM cells')"
[[ $((SECONDS - start)) -lt 10 ]] && pass "its child's terminate() took effect" || fail "terminate() waited $((SECONDS - start)) s"
finish
