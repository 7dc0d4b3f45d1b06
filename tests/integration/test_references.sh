#!/usr/bin/env bash
# References (shared computations): each is computed once per run across all
# ranks and stored once; cells get its output; a failed reference fails
# exactly its dependants; reruns and extended runs reuse the stored ones.
# Split cells (parts as references): bitwise equal on any rank count, and an
# interrupted one reruns its missing parts only.
#  1. selftest: `referenced` cells need `offset[size]` (size 13 fails on purpose).
#  2. the ood-gaussian config on mpirun -n 4: every base model trained once,
#     metrics bitwise equal to a run without mpirun.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cat > refs.toml <<'TOML'
suite = "selftest"
seeds = 3
[[datasets]]
name = "empty"
size = [1, 2, 13]
[[methods]]
name = "noop"
[[methods]]
name = "referenced"
TOML
export SB_REFERENCE_LOG=$WORK/computed.log

say "selftest on mpirun -n 3: 9 references needed (3 sizes x 3 seeds), 3 fail on purpose"
run_cmd first "${MPIRUN[@]}" -n 3 "$SB" run refs.toml --db refs.sqlite
check_rc "first run (some cells fail)" 1 first
check_eq "reference computations (counter)" 9 "$(wc -l < computed.log)"
check_eq "distinct references computed" 9 "$(sort -u computed.log | wc -l)"
check_eq "refs rows" 9 "$(sql refs.sqlite "SELECT count(*) FROM refs")"
check_eq "failed refs" "3 offset[size=13]" "$(sql refs.sqlite "SELECT count(*), group_concat(DISTINCT label) FROM refs WHERE status != 'ok'" | tr '|' ' ')"
check_eq "cells" 18 "$(count_cells refs.sqlite)"
check_file_contains "the progress counts 18 cells and 9 references as 27 jobs" first.err \
  "^\[shardbench\] 27/27 jobs \(100\.0%\), [0-9]+ failed, [0-9.]+ jobs/s"
check_file_contains "and says so" first.err "references: 9 to compute first, 0 recorded before and reused \(the progress counts cells and references as jobs\)"
check_eq "failed cells = the referenced cells of size 13" "3 referenced 13" \
  "$(sql refs.sqlite "SELECT count(*), group_concat(DISTINCT method), group_concat(DISTINCT json_extract(dataset_params, '$.size')) FROM cells WHERE status != 'ok'" | tr '|' ' ')"
check_eq "their error names the reference" 3 \
  "$(sql refs.sqlite "SELECT count(*) FROM cells WHERE status = 'error' AND error LIKE 'reference ''offset[size=13]'' (seed %) failed: the offset of size 13 fails on purpose%'")"
# value(referenced) = value(noop) + offset, offset = 2 x value(noop) (same seed).
check_eq "referenced = 3 x noop, every ok cell" 0 "$(sql refs.sqlite "
  SELECT count(*) FROM results r JOIN results n ON n.seed = r.seed AND n.dataset_params = r.dataset_params
  WHERE r.method = 'referenced' AND n.method = 'noop' AND r.status = 'ok'
    AND abs(r.value - 3 * n.value) > 1e-15 * abs(r.value)")"
check_eq "ok referenced cells" 6 "$(sql refs.sqlite "SELECT count(*) FROM cells WHERE method = 'referenced' AND status = 'ok'")"

say "rerun: recomputes only the failed references (they fail again), reuses the others"
: > computed.log
run_cmd second "$SB" run refs.toml --db refs.sqlite
check_rc "second run" 1 second
check_eq "reference computations" 3 "$(wc -l < computed.log)"
check_eq "all recomputed ones are size 13" 3 "$(grep -c 'offset\[size=13\]' computed.log)"

say "--force reruns the cells but reuses the references; --force-references recomputes them"
: > computed.log
run_cmd forced "$SB" run refs.toml --db refs.sqlite --force --only noop,referenced
check_eq "references computed with --force" 3 "$(wc -l < computed.log)"   # only the failed ones
: > computed.log
run_cmd forced_refs "${MPIRUN[@]}" -n 2 "$SB" run refs.toml --db refs.sqlite --force --force-references
check_eq "references computed with --force-references" 9 "$(wc -l < computed.log)"
check_eq "refs rows still one per reference" 9 "$(sql refs.sqlite "SELECT count(*) FROM refs")"

say "status shows the references"
run_cmd status "$SB" status --db refs.sqlite
check_rc "status" 0 status
grep -qE 'selftest/offset +6 +3 +0' status.out && pass "status: offset 6 ok, 3 failed, 0 missing" \
  || fail "status does not show the references: $(cat status.out)"

say "kill -9 of rank 0 while a reference computes (offset[size=7] takes 3 s), then rerun"
sed 's/size = \[1, 2, 13\]/size = [1, 2, 7]/' refs.toml > slow.toml
: > computed.log
set +e
mpirun --oversubscribe -n 2 "$SB" run slow.toml --db killed.sqlite >killed.out 2>killed.err &
MPIRUN_PID=$!
for _ in $(seq 1 300); do grep -q 'offset\[size=7\]' computed.log 2>/dev/null && break; sleep 0.1; done
RANK0=""
for p in $(pgrep -f "shardbench run slow.toml" || true); do
  if tr '\0' '\n' < "/proc/$p/environ" 2>/dev/null | grep -qx 'OMPI_COMM_WORLD_RANK=0'; then RANK0=$p; fi
done
[[ -n $RANK0 ]] && kill -KILL "$RANK0"
wait "$MPIRUN_PID"
KILLED_RC=$?
set -e
[[ -n $RANK0 ]] && pass "rank 0 (pid $RANK0) killed while a reference computed (mpirun exit $KILLED_RC)"   || fail "could not find rank 0 to kill"
grep -q 'offset\[size=7\]' computed.log && pass "the slow reference had started" || fail "the slow reference never started"
BEFORE=$(sql killed.sqlite "SELECT count(*) FROM refs" 2>/dev/null || echo 0)
echo "  references recorded before the kill: $BEFORE of 9"
run_cmd rerun "${MPIRUN[@]}" -n 2 "$SB" run slow.toml --db killed.sqlite
check_rc "rerun after kill -9" 0 rerun
check_eq "refs rows after rerun" 9 "$(sql killed.sqlite "SELECT count(*) FROM refs")"
check_eq "ok refs, one per (size, seed)" 9 "$(sql killed.sqlite "SELECT count(DISTINCT label || seed) FROM refs WHERE status = 'ok'")"
check_eq "cells after rerun" 18 "$(sql killed.sqlite "SELECT count(*) FROM cells WHERE status = 'ok'")"
run_cmd clean "$SB" run slow.toml --db clean.sqlite
check_rc "uninterrupted run" 0 clean
check_eq "cells identical to an uninterrupted run" "$(metrics_dump clean.sqlite)" "$(metrics_dump killed.sqlite)"

say "split cells: a Monte Carlo mean of 10^6 draws in parts of 10^5, bitwise equal on any rank count"
cat > mc.toml <<'TOML'
suite = "selftest"
seeds = 2
[[datasets]]
name = "empty"
[[methods]]
name = "mc-sum"
units = 1000000
units_per_part = 100000
TOML
: > computed.log
run_cmd mc0 "$SB" run mc.toml --db mc0.sqlite
check_rc "split cells without mpirun" 0 mc0
check_eq "parts computed (10 per cell, 2 cells)" 20 "$(wc -l < computed.log)"
check_eq "parts stored" 20 "$(sql mc0.sqlite "SELECT count(*) FROM refs WHERE name LIKE 'part/%'")"
for n in 1 2 4; do
  run_cmd "mc$n" "${MPIRUN[@]}" -n "$n" "$SB" run mc.toml --db "mc$n.sqlite"
  check_rc "split cells on mpirun -n $n" 0 "mc$n"
  check_eq "-n $n: metrics bitwise equal to the run without mpirun" "$(metrics_dump mc0.sqlite)" "$(metrics_dump "mc$n.sqlite")"
done
check_eq "the mean of 10^6 uniform draws is near 1/2" 1 \
  "$(sql mc0.sqlite "SELECT count(*) = 2 FROM results WHERE metric = 'value' AND abs(value - 0.5) < 0.002")"
say "an interrupted split cell reruns its missing parts only"
# Foreign keys on, so the deleted cell's metrics go with it (left behind,
# they would collide with the rerun's when its row id is reused).
sqlite3 mc2.sqlite "PRAGMA foreign_keys = ON;
                    DELETE FROM refs WHERE name IN ('part/3', 'part/7') AND seed = 1; DELETE FROM cells WHERE seed = 1"
: > computed.log
run_cmd mc_resume "$SB" run mc.toml --db mc2.sqlite
check_rc "resume" 0 mc_resume
check_eq "parts recomputed" "part/3 part/7" "$(sed -E 's/ of .*//' computed.log | sort | tr '\n' ' ' | sed 's/ $//')"
check_eq "resumed metrics bitwise equal" "$(metrics_dump mc0.sqlite)" "$(metrics_dump mc2.sqlite)"

say "ood-gaussian (2 seeds) on mpirun -n 4 and without mpirun"
CONFIG=$SRC/benchmarks/configs/ood-gaussian.toml
: > computed.log
run_cmd ood4 "${MPIRUN[@]}" -n 4 "$SB" run "$CONFIG" --seeds 2 --db ood4.sqlite
check_rc "ood on 4 ranks" 0 ood4
REFS=$(sql ood4.sqlite "SELECT count(*) FROM refs")
check_eq "base models trained (counter) = refs rows" "$REFS" "$(wc -l < computed.log)"
check_eq "each base model trained once" "$REFS" "$(sort -u computed.log | wc -l)"
check_eq "distinct (dataset, seed) of the model-training cells" "$REFS" "$(sql ood4.sqlite "
  SELECT count(*) FROM (SELECT DISTINCT dataset_params, seed FROM cells WHERE dataset != 'npy')")"
: > computed.log
run_cmd ood1 "$SB" run "$CONFIG" --seeds 2 --db ood1.sqlite
check_rc "ood without mpirun" 0 ood1
check_eq "metrics identical across rank counts" "$(metrics_dump ood1.sqlite)" "$(metrics_dump ood4.sqlite)"

say "merge: references merge like cells (one copy)"
run_cmd merge "$SB" merge merged.sqlite ood1.sqlite ood4.sqlite
check_rc "merge" 0 merge
check_eq "merged refs" "$REFS" "$(sql merged.sqlite "SELECT count(*) FROM refs")"
grep -q "references: $REFS added, $REFS identical" merge.out && pass "merge reports the references" \
  || fail "merge output: $(cat merge.out)"

finish
