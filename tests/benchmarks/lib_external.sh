# Shared steps of the external-method tests (tests/benchmarks/*/
# test_*_external.sh), sourced after tests/integration/lib.sh: Debian's
# Python with numpy and the example methods of docs/examples/external in the
# test directory; the 1e-12 agreement of an external method with the
# built-in it mirrors; the persistent mode's results against the per-cell
# mode's.

PY=/usr/bin/python3
$PY -c "import numpy" 2>/dev/null || die "/usr/bin/python3 with numpy is needed (scripts/setup.sh --test)"
cp "$SRC"/docs/examples/external/*.py .

# agree DB A B [JOIN] [WHERE]: "compared|within": the metrics of methods A and
# B paired by seed, metric and the extra JOIN condition (e.g. "a.dataset =
# b.dataset"), and how many agree to 1e-12 (relative, absolute below 1).
agree() {
  sql "$1" "SELECT count(*), sum(abs(a.value - b.value) <= 1e-12 * max(1, abs(a.value))) FROM results a
            JOIN results b ON a.seed = b.seed AND a.metric = b.metric ${4:+AND $4}
            WHERE a.method = '$2' AND b.method = '$3' ${5:+AND $5}"
}

# check_agree WHAT DB A B MIN [JOIN] [WHERE]: at least MIN metrics paired, all within 1e-12.
check_agree() {
  local got
  got=$(agree "$2" "$3" "$4" "${6:-}" "${7:-}")
  check_true "$1: metrics compared ($got)" "[[ ${got%|*} -ge $5 ]]"
  check_eq "$1 to 1e-12 (compared|within)" "${got%|*}|${got%|*}" "$got"
}

# check_persistent_mode EXPECTED_RC KEYS [METRIC_FILTER] [CELL_COLUMNS]: runs
# persistent.toml on mpirun -n 2 and checks that its ok metrics (bitwise, but
# those METRIC_FILTER leaves out, e.g. "metric != 'speedup'") and its cells'
# CELL_COLUMNS (default: status and error) equal those of percell.sqlite,
# cells named by seed and KEYS (e.g. "method_label").
check_persistent_mode() {
  local keys=$2 filter=${3:+AND $3} columns=${4:-"status, substr(error, 1, 150)"}
  say "persistent mode gives the same results"
  run_cmd persistent "${MPIRUN[@]}" -n 2 "$SB" run persistent.toml --db persistent.sqlite
  check_rc "run" "$1" persistent
  local metrics="SELECT seed, $keys, metric, printf('%!.17g', value) FROM results
                 WHERE status = 'ok' $filter ORDER BY seed, $keys, metric"
  check_eq "ok metrics, bitwise" "$(sql percell.sqlite "$metrics")" "$(sql persistent.sqlite "$metrics")"
  local cells="SELECT seed, $keys, $columns FROM cells ORDER BY seed, $keys"
  check_eq "cells ($columns)" "$(sql percell.sqlite "$cells")" "$(sql persistent.sqlite "$cells")"
}
