#!/usr/bin/env bash
# Selection split cells: TMC Data Shapley and Beta Shapley with a fixed budget
# (convergence = 0) run as parts of permutations anywhere; their values and
# metrics are bitwise equal without mpirun and on -n 1, 2, 4, and an
# interrupted cell reruns its missing parts only.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cat > split.toml <<'TOML'
suite = "selection"
seeds = 2
[[datasets]]
name = "breast-cancer"
n_train = 40
n_valid = 40
n_test = 40
rate = 0.1
[[methods]]
name = "tmc-shapley"
max_permutations = 12
permutations_per_part = 5
convergence = 0.0
truncation = 0.05
[[methods]]
name = "beta-shapley"
max_permutations = 8
permutations_per_part = 3
convergence = 0.0
TOML
export SB_REFERENCE_LOG=$WORK/computed.log
# Every artifact (values, corrupted) as hex of its bytes, by cell key.
artifacts_dump() {
  sql "$1" "SELECT c.key, a.name, hex(a.data) FROM artifacts a JOIN cells c USING (cell_id) ORDER BY 1, 2"
}

say "TMC (12 permutations, parts of 5) and Beta (8, parts of 3) x 2 seeds: 3 + 3 parts per seed"
: > computed.log
run_cmd s0 "$SB" run split.toml --db s0.sqlite
check_rc "without mpirun" 0 s0
check_eq "parts computed" 12 "$(grep -c '^part/' computed.log)"
check_eq "parts stored" 12 "$(sql s0.sqlite "SELECT count(*) FROM refs WHERE name LIKE 'part/%'")"
check_eq "model_fits = the parts' fits (12 or 8 permutations x 40 rows at most, + 1 U(D) per part for TMC)" 2 \
  "$(sql s0.sqlite "SELECT count(*) FROM results WHERE metric = 'model_fits' AND method = 'tmc-shapley' AND value > 12 AND value <= 12 * 40 + 3")"
check_eq "artifacts (values, corrupted) of 4 cells" 8 "$(artifacts_dump s0.sqlite | wc -l)"
for n in 1 2 4; do
  run_cmd "s$n" "${MPIRUN[@]}" -n "$n" "$SB" run split.toml --db "s$n.sqlite"
  check_rc "mpirun -n $n" 0 "s$n"
  check_eq "-n $n: metrics bitwise equal to the run without mpirun" "$(metrics_dump s0.sqlite)" "$(metrics_dump "s$n.sqlite")"
  check_eq "-n $n: values bitwise equal" "$(artifacts_dump s0.sqlite)" "$(artifacts_dump "s$n.sqlite")"
done

say "an interrupted split cell reruns its missing parts only"
sqlite3 s2.sqlite "PRAGMA foreign_keys = ON;
                   DELETE FROM refs WHERE name = 'part/1' AND seed = 1 AND label LIKE '%tmc-shapley%';
                   DELETE FROM cells WHERE seed = 1 AND method = 'tmc-shapley'"
: > computed.log
run_cmd resume "$SB" run split.toml --db s2.sqlite
check_rc "resume" 0 resume
check_eq "parts recomputed" "part/1" "$(sed -E 's/ of .*//' computed.log | sort | tr '\n' ' ' | sed 's/ $//')"
check_eq "resumed metrics bitwise equal" "$(metrics_dump s0.sqlite)" "$(metrics_dump s2.sqlite)"
check_eq "resumed values bitwise equal" "$(artifacts_dump s0.sqlite)" "$(artifacts_dump s2.sqlite)"

finish
