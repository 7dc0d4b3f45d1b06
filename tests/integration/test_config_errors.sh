#!/usr/bin/env bash
# Bad input to `shardbench run`: each case exits 2, says where (file:line when
# the problem is in the config) and what (the offending key / value), and
# neither creates the database nor modifies an existing one.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

GOOD='suite = "selftest"
seeds = 3

[[datasets]]
name = "empty"

[[methods]]
name = "noop"'

# snapshot DB: name, size, mtime and checksum of DB and its -wal/-shm files.
snapshot() {
  local f
  for f in "$1" "$1-wal" "$1-shm" "$1-journal"; do
    if [[ -e $f ]]; then echo "$f $(stat -c '%s %Y' "$f") $(md5sum < "$f")"; fi
  done
}

# expect_input_error NAME CONFIG-TEXT STDERR-REGEX [extra run options...]
# Runs the config against a fresh db path and against an existing database.
expect_input_error() {
  local name=$1 text=$2 regex=$3
  shift 3
  say "$name"
  printf '%s\n' "$text" > "$name.toml"
  rm -f fresh.sqlite*
  run_cmd "$name" "$SB" run "$name.toml" --db fresh.sqlite "$@"
  check_rc "$name" 2 "$name"
  check_file_contains "$name: stderr says /$regex/" "$name.err" "$regex"
  check_true "$name: no database created" '! compgen -G "fresh.sqlite*" >/dev/null'
  local before after
  before=$(snapshot existing.sqlite)
  run_cmd "$name.existing" "$SB" run "$name.toml" --db existing.sqlite "$@"
  check_rc "$name (existing database)" 2 "$name.existing"
  after=$(snapshot existing.sqlite)
  check_true "$name: existing database files unchanged" '[[ "$before" == "$after" ]]'
}

say "a valid config first (it must work, or the cases below prove nothing)"
printf '%s\n' "$GOOD" > good.toml
run_cmd good "$SB" run good.toml --db existing.sqlite
check_rc "valid config" 0 good
check_eq "cells of the valid config" 3 "$(count_cells existing.sqlite)"

expect_input_error unknown_top_level_key 'suite = "selftest"
seeds = 3
colour = "blue"

[[datasets]]
name = "empty"

[[methods]]
name = "noop"' "unknown_top_level_key\.toml:3:.*colour"

expect_input_error unknown_method "$GOOD
[[methods]]
name = \"no-such-method\"" "unknown_method\.toml:(9|10):.*no-such-method"

expect_input_error unknown_dataset 'suite = "selftest"
seeds = 3

[[datasets]]
name = "no-such-dataset"

[[methods]]
name = "noop"' "unknown_dataset\.toml:(4|5):.*no-such-dataset"

expect_input_error unknown_suite 'suite = "no-such-suite"
seeds = 3

[[datasets]]
name = "empty"

[[methods]]
name = "noop"' "unknown_suite\.toml.*no-such-suite"

# A parameter error may point at the [[methods]] header or at the key's line.
expect_input_error unknown_param "$GOOD
[[methods]]
name = \"sleep\"
millis = 5.0" "unknown_param\.toml:(9|11):.*millis"

expect_input_error unknown_dataset_param 'suite = "selftest"
seeds = 3

[[datasets]]
name = "empty"
length = 4

[[methods]]
name = "noop"' "unknown_dataset_param\.toml:(4|6):.*length"

expect_input_error wrong_type "$GOOD
[[methods]]
name = \"throw\"
every = \"three\"" "wrong_type\.toml:(9|11):.*every.*(three|string)"

expect_input_error wrong_type_in_list "$GOOD
[[methods]]
name = \"sleep\"
ms = [1.0, true]" "wrong_type_in_list\.toml:(9|11):.*ms.*(true|bool)"

expect_input_error out_of_range "$GOOD
[[methods]]
name = \"throw\"
every = 0" "out_of_range\.toml:(9|11):.*every.* 0"

expect_input_error out_of_range_in_list 'suite = "selftest"
seeds = 3

[[datasets]]
name = "empty"
size = [1, -5]

[[methods]]
name = "noop"' "out_of_range_in_list\.toml:(4|6):.*size.*-5"

expect_input_error bad_seeds 'suite = "selftest"
seeds = -3

[[datasets]]
name = "empty"

[[methods]]
name = "noop"' "bad_seeds\.toml:2:.*seeds.*-3"

expect_input_error missing_methods 'suite = "selftest"
seeds = 3

[[datasets]]
name = "empty"' "missing_methods\.toml.*methods"

expect_input_error toml_syntax 'suite = "selftest"
seeds = 3

[[datasets]
name = "empty"' "toml_syntax\.toml:4"

expect_input_error bad_shard_range "$GOOD" "--shard.*3/3" --shard 3/3
expect_input_error bad_shard_text "$GOOD" "--shard.*two" --shard two/4
expect_input_error bad_shard_zero "$GOOD" "--shard.*0/0" --shard 0/0
expect_input_error unknown_option "$GOOD" "--frobnicate" --frobnicate
expect_input_error bad_seeds_option "$GOOD" "--seeds.*2\.5" --seeds 2.5
expect_input_error bad_timeout "$GOOD" "--timeout.*-1" --timeout -1
expect_input_error only_unknown_method "$GOOD" "--only.*sleep" --only sleep

expect_input_error duplicate_method "$GOOD
[[methods]]
name = \"noop\"" "duplicate_method\.toml:9: method 'noop' is planned twice: by the \[\[methods\]\] table at line 7 and by the one at line 9"

expect_input_error nan_value "$GOOD
[[methods]]
name = \"sleep\"
ms = nan" "nan_value\.toml:(9|11):.*'ms' = nan is out of range"

expect_input_error inf_value "$GOOD
[[methods]]
name = \"sleep\"
ms = [1.0, inf]" "inf_value\.toml:(9|11):.*'ms' = inf is out of range"

# A data set too small for its splits is refused at planning, naming the data set and the sum.
expect_input_error rows_gaussian 'suite = "selection"
seeds = 1
[[datasets]]
name = "gaussian-classifier"
n = 100
n_train = 50
n_valid = 40
n_test = 30
[[methods]]
name = "random"' "dataset 'gaussian-classifier\\[.*\\]': n_train \\+ n_valid \\+ n_test = 120 exceeds n = 100"
expect_input_error rows_planted 'suite = "selection"
seeds = 1
[[datasets]]
name = "planted"
n = 100
n_train = 20
n_valid = 10
n_test = 10
[[methods]]
name = "random"' "dataset 'planted\\[.*\\]': n_train = 20 but exact values enumerate 2\\^n_train subsets \\(n_train <= 16\\)"
expect_input_error rows_sklearn 'suite = "unlearning"
seeds = 1
[[datasets]]
name = "wine"
n_train = 100
n_heldout = 50
n_test = 50
[[methods]]
name = "retrain"' "rows_sklearn.toml:3: dataset 'wine\\[n_heldout=50,n_test=50,n_train=100\\]': n_train \\+ n_heldout \\+ n_test = 200 exceeds the table's 178 rows"
# A pair the suite refuses names both tables' lines and only the parameters the config sets.
expect_input_error incompatible_pair 'suite = "unlearning"
seeds = 1
[[datasets]]
name = "diabetes"
model = "ridge"
n_train = 40
n_test = 100
[[methods]]
name = "salun"
epochs = 2' "incompatible_pair.toml:8: method 'salun\\[epochs=2\\]' cannot run on dataset 'diabetes\\[model=ridge,n_test=100,n_train=40\\]' \\(line 3\\): is for classification tables"
expect_input_error regression_logistic 'suite = "unlearning"
seeds = 1
[[datasets]]
name = "diabetes"
n_train = 40
n_test = 100
[[methods]]
name = "retrain"' "regression_logistic.toml:3: dataset 'diabetes\\[n_test=100,n_train=40\\]': model = \"logistic\" needs classes, and this is a regression table"

expect_input_error max_cells "$GOOD" "the grid has 3 cells .*more than the limit of 2.*--max-cells" --max-cells 2
expect_input_error bad_max_cells "$GOOD" "--max-cells.*1\.5" --max-cells 1.5

say "--seeds 100000000 on the smoke config: refused at planning (not std::bad_alloc), even for --dry-run"
for dry in "" --dry-run; do
  rm -f fresh.sqlite*
  run_cmd huge "$SB" run "$SRC/benchmarks/configs/smoke.toml" --db fresh.sqlite --seeds 100000000 $dry
  check_rc "smoke --seeds 100000000 $dry" 2 huge
  check_file_contains "message gives the count and the limit, and names --max-cells" huge.err \
    "1600000000 cells .*limit of 100000000.*--max-cells"
  check_true "no database created" '! compgen -G "fresh.sqlite*" >/dev/null'
done
check_file_contains "run --help lists --max-cells" <("$SB" run --help) "--max-cells N"

say "missing config file"
rm -f fresh.sqlite*
run_cmd missing "$SB" run does-not-exist.toml --db fresh.sqlite
check_rc "missing config" 2 missing
check_file_contains "missing config: stderr names the file" missing.err "does-not-exist\.toml"
check_true "missing config: no database created" '! compgen -G "fresh.sqlite*" >/dev/null'

say "a bad config under mpirun -n 2: every rank stops (no hang), nothing written"
printf '%s\n' "$GOOD" 'colour = 3' > mpi_bad.toml
rm -f fresh.sqlite*
start=$SECONDS
run_cmd mpi_bad "${MPIRUN[@]}" -n 2 "$SB" run mpi_bad.toml --db fresh.sqlite
check_ne "exit code under mpirun" 0 "$RC"
check_ne "exit code under mpirun (124 = hung until the timeout)" 124 "$RC"
check_file_contains "stderr names the unknown parameter" mpi_bad.err "mpi_bad\.toml:[0-9]+:.*colour"
check_true "no database created" '! compgen -G "fresh.sqlite*" >/dev/null'

say "database errors: exit 3, the foreign file left untouched (also under mpirun -n 2)"
echo "not a database" > junk.sqlite
sqlite3 foreign.sqlite "CREATE TABLE t(x); INSERT INTO t VALUES (1)"
foreign_before=$(sqlite3 foreign.sqlite .dump)
run_cmd junk "$SB" run good.toml --db junk.sqlite
check_rc "run into a non-SQLite file" 3 junk
check_file_contains "message says it is not a shardbench database" junk.err "junk\.sqlite.*not a shardbench database"
check_eq "junk file untouched" "not a database" "$(cat junk.sqlite)"
run_cmd foreign "$SB" run good.toml --db foreign.sqlite
check_rc "run into an SQLite file that is not a shardbench database" 3 foreign
check_eq "foreign database untouched" "$foreign_before" "$(sqlite3 foreign.sqlite .dump)"
run_cmd nodir "$SB" run good.toml --db no/such/dir/x.sqlite
check_rc "run into a missing directory" 3 nodir
run_cmd junk_mpi "${MPIRUN[@]}" -n 2 "$SB" run good.toml --db junk.sqlite
check_rc "run into a non-SQLite file under mpirun -n 2 (no hang)" 3 junk_mpi
check_eq "junk file untouched" "not a database" "$(cat junk.sqlite)"

say "the valid config still runs against the untouched database"
run_cmd good2 "$SB" run good.toml --db existing.sqlite
check_rc "valid config rerun" 0 good2
check_file_contains "nothing to run" <(cat good2.out good2.err) "nothing to run"


say "list: tags and references in text; --format json is one parseable object"
"$SB" list methods --suite estimation > list.out
check_file_contains "list shows a method's tags" list.out "^      tags: task:ate"
"$SB" list references --suite ood > listref.out
check_file_contains "list references shows the OOD base model" listref.out "^  base-model \(v"
"$SB" list --format json > list.json
check_true "list --format json parses, with every suite, tags and reference parameters" \
  "/usr/bin/python3 -c 'import json; d = json.load(open(\"list.json\")); s = {x[\"name\"]: x for x in d[\"suites\"]}; \
assert {\"estimation\", \"ood\", \"selection\"} <= set(s); \
assert any(\"task:ate\" in m[\"tags\"] for m in s[\"estimation\"][\"methods\"]); \
assert s[\"selftest\"][\"references\"][0][\"params\"][0][\"name\"] == \"size\"'"
run_cmd listbad "$SB" list --format yaml
check_rc "list --format yaml" 2 listbad

say "list CATEGORY NAME: one entry (singular category accepted), a metrics category, a suggestion for a typo"
"$SB" list method trimmed-mean > listone.out
check_eq "list method trimmed-mean: a heading and one method" "estimation methods:|  trimmed-mean (v1)" \
  "$(grep -v '^      ' listone.out | sed 's/ —.*//' | paste -sd'|')"
check_file_contains "with its parameters" listone.out "^      se +string default winsorized"
"$SB" list metrics 'mia*' --suite unlearning > listmetrics.out
check_eq "list metrics 'mia*' --suite unlearning: the two MIA metrics" "unlearning metrics:|mia_auroc|mia_efficacy" \
  "$(awk '{print $1 ($1 == "unlearning" ? " " $2 : "")}' listmetrics.out | paste -sd'|')"
run_cmd listtypo "$SB" list methods trimed-mean
check_rc "list methods trimed-mean" 2 listtypo
check_file_contains "suggests the name" listtypo.err "list: no methods named 'trimed-mean', did you mean 'trimmed-mean'\?"
run_cmd listcat "$SB" list mthods
check_rc "list mthods" 2 listcat
check_file_contains "suggests the category" listcat.err "unknown category 'mthods', did you mean 'methods'\?"

say "a mistyped command, option or suite: exit 2, the name meant suggested"
run_cmd typo_command "$SB" leaderbord --db existing.sqlite
check_rc "unknown command" 2 typo_command
check_file_contains "suggests leaderboard" typo_command.err "unknown command 'leaderbord', did you mean 'leaderboard'\? \(commands: "
run_cmd typo_option "$SB" run good.toml --dry-rn
check_rc "unknown option" 2 typo_option
check_file_contains "suggests --dry-run" typo_option.err "unknown option '--dry-rn' for 'shardbench run', did you mean '--dry-run'\?"
run_cmd typo_suite "$SB" list --suite selftset
check_rc "unknown suite" 2 typo_suite
check_file_contains "suggests selftest" typo_suite.err "unknown suite 'selftset', did you mean 'selftest'\?"
run_cmd far_option "$SB" run good.toml --colour
check_true "no suggestion when nothing is close" '! grep -q "did you mean" far_option.err'

finish
