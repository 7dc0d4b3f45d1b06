#!/usr/bin/env bash
# Every shipped paper spec (benchmarks/papers/*.toml) names only cells its
# config plans: `reproduce --check` accepts each one without running
# anything. A spec whose column lacks a parameter the scenario has gained
# (the way the corrupted-mean labels grew `noise=normal`) is refused before
# the run, with exit 2, the spec file, the value and the labels the config
# does plan, and no database written -- under mpirun too; so is a metric
# the suite does not record.
source "$(dirname "$0")/lib.sh"

say "every shipped spec against its config (reproduce --check)"
n_specs=0
for spec in "$SRC"/benchmarks/papers/*.toml; do
  name=$(basename "$spec" .toml)
  run_cmd "check-$name" "$SB" reproduce "$spec" --check --db never.sqlite
  check_rc "$name" 0 "check-$name"
  check_file_contains "$name: summary" "check-$name.out" "^$spec: ok: [0-9]+ rows x [0-9]+ columns"
  n_specs=$((n_specs + 1))
done
check_true "specs checked ($n_specs)" '[[ $n_specs -ge 10 ]]'
check_true "--check ran nothing" '[[ ! -e never.sqlite ]]'

say "a column label without the scenario's newer parameter is refused before the run"
SPEC="$SRC/benchmarks/papers/park-kim-wang2022-median.toml"
# edited_spec OUT SED_EXPR: the spec, its config given absolutely, with one edit.
edited_spec() {
  sed -e 's|^config = .*|config = "'"$SRC"'/benchmarks/configs/median-efficiency.toml"|' -e "$2" "$SPEC" > "$1"
}
edited_spec stale.toml 's|n=15,noise=normal,|n=15,|'
grep -q 'dataset = "corrupted-mean\[d=1,n=15,outlier' stale.toml || die "could not edit $SPEC"
run_cmd stale "${MPIRUN[@]}" -n 2 "$SB" reproduce stale.toml --db stale.sqlite
check_rc "stale label" 2 stale
check_file_contains "names the spec, the table and the value" stale.err \
  "stale.toml:[0-9]+: \[\[columns\]\] dataset 'corrupted-mean\[d=1,n=15,outlier_distance=10,rate=0,rates=constant\]' is not planned by its config"
check_file_contains "lists what the config plans" stale.err "it plans: corrupted-mean\[d=1,n=10,noise=normal,"
check_true "nothing was run" '[[ ! -e stale.sqlite ]]'

say "a method the config does not have"
edited_spec typo.toml 's|^method = "coordinate-median"$|method = "coordinate-medain"|'
run_cmd typo "$SB" reproduce typo.toml --check
check_rc "method typo" 2 typo
check_file_contains "names the row" typo.err "typo.toml:[0-9]+: \[\[rows\]\] method 'coordinate-medain' is not planned"

say "a metric the suite does not record"
edited_spec metric.toml 's|^metric = "n_sq_error"$|metric = "n_sqerror"|'
run_cmd metric "$SB" reproduce metric.toml --check
check_rc "metric typo" 2 metric
check_file_contains "names the metric and the valid ones" metric.err "metric.toml: key 'metric' = 'n_sqerror' is not a metric suite 'estimation' records \(valid: .*n_sq_error"

finish
