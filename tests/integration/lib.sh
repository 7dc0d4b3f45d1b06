# Shared helpers of the shardbench end-to-end tests. Sourced by every
# tests/integration/test_*.sh, which ctest invokes as
#   bash test_X.sh <path-to-shardbench> <source-dir>
# Each check prints what it verifies; failures are counted and the script
# exits 1 at the end (or at once for `die`) with the failed checks listed.
set -euo pipefail

if [[ $# -lt 2 ]]; then
  echo "usage: bash $0 <path-to-shardbench> <source-dir>" >&2
  exit 2
fi
SB=$(readlink -f "$1")
SRC=$(readlink -f "$2")
[[ -x $SB ]] || { echo "FATAL: shardbench binary '$SB' not found or not executable" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "FATAL: the sqlite3 command-line shell is needed" >&2; exit 2; }

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# Every mpirun is bounded: a hang shows up as exit code 124 (with a message)
# instead of the whole test stalling until ctest's timeout.
MPI_TIMEOUT=90
MPIRUN=(timeout -k 5 "$MPI_TIMEOUT" mpirun --oversubscribe)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sb-integ.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

FAILED=()

say() { printf '\n== %s\n' "$*"; }

# die MESSAGE: a failure that makes the rest of the script meaningless.
die() {
  echo "FATAL: $*" >&2
  FAILED+=("$*")
  finish
}

fail() {
  echo "  FAIL: $*" >&2
  FAILED+=("$*")
}

pass() { echo "  ok: $*"; }

# check_eq WHAT EXPECTED GOT
check_eq() {
  local shown=$3
  [[ $shown == *$'\n'* ]] && shown="($(wc -l <<<"$shown") lines, equal)"
  if [[ "$2" == "$3" ]]; then
    pass "$1 = $shown"
  elif [[ "$2$3" == *$'\n'* ]]; then
    fail "$1: expected and got differ (diff expected got, first lines):"
    diff <(echo "$2") <(echo "$3") | head -12 | sed 's/^/      | /' >&2 || true
  else
    fail "$1: expected '$2', got '$3'"
  fi
}

# check_ne WHAT UNEXPECTED GOT
check_ne() {
  if [[ "$2" != "$3" ]]; then pass "$1 = $3 (not $2)"; else fail "$1: expected anything but '$2'"; fi
}

# check_true WHAT CONDITION-STRING (evaluated with bash [[ ]] arithmetic via eval)
check_true() {
  if eval "$2"; then pass "$1"; else fail "$1 (condition: $2)"; fi
}

# check_file_contains WHAT FILE EXTENDED-REGEX
check_file_contains() {
  if grep -Eq -- "$3" "$2"; then
    pass "$1"
  else
    local where=$2
    [[ $where == /dev/fd/* || $where == /proc/* ]] && where="the output"
    fail "$1: /$3/ not found in $where:"
    sed 's/^/      | /' "$2" >&2
  fi
}

# run_cmd OUTPREFIX CMD...: runs a command, stdout/stderr to OUTPREFIX.out/.err, exit code in RC.
run_cmd() {
  local prefix=$1
  shift
  local start=$SECONDS
  set +e
  "$@" >"$prefix.out" 2>"$prefix.err"
  RC=$?
  set -e
  local took=$((SECONDS - start))
  if [[ $took -ge 10 ]]; then echo "  note: '$*' took ${took}s"; fi
}

# check_rc WHAT EXPECTED PREFIX: compares RC and shows the output on mismatch.
check_rc() {
  if [[ $RC == "$2" ]]; then
    pass "$1: exit code $RC"
  else
    if [[ $RC == 124 ]]; then
      fail "$1: TIMED OUT (killed after ${MPI_TIMEOUT}s; a hang?), expected exit code $2"
    else
      fail "$1: expected exit code $2, got $RC"
    fi
    echo "      stdout:" >&2; sed 's/^/      | /' "$3.out" >&2 || true
    echo "      stderr:" >&2; sed 's/^/      | /' "$3.err" >&2 || true
  fi
}

# sql DB STATEMENT: read-only query with the sqlite3 shell (list mode, '|' separated).
sql() { sqlite3 -readonly -batch "$1" "$2"; }

count_cells() { sql "$1" "SELECT count(*) FROM cells"; }

# Canonical dump of every metric: key, metric, value with 17 significant
# digits (round-trips every double, so equal dumps mean bitwise-equal values).
# Note: hex(value) would hex the 15-digit text form, not the bits, and plain
# '%.17g' is capped at 16 digits by SQLite; the '!' flag lifts the cap.
metrics_dump() {
  sql "$1" "SELECT cell_key, metric, coalesce(printf('%!.17g', value), 'NULL'), status
            FROM results ORDER BY cell_key, metric"
}

# PIDs (with command lines) of shardbench processes still running with the
# test dir as their working directory: hung or orphaned cell processes.
leftover_processes() {
  local pid
  for pid in $(pgrep -x shardbench || true); do
    if [[ $(readlink "/proc/$pid/cwd" 2>/dev/null) == "$WORK" ]]; then
      echo "$pid: $(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null)"
    fi
  done
}

# normal_mean_config SEEDS N: an estimation config whose only cell kind is
# the sample mean of N draws of N(1, 1) (corrupted-mean with rate 0), so its
# error is exactly N(0, 1/N): bias 0, RMSE 1/sqrt(N), closed forms to test
# reproduce and Monte Carlo errors against. SEEDS is a count or a TOML list;
# N a number or a TOML list (a grid of datasets).
normal_mean_config() {
  cat <<TOML
suite = "estimation"
seeds = $1
[[datasets]]
name = "corrupted-mean"
n = $2
d = 1
rates = "constant"
rate = 0.0
outlier_distance = 10.0
[[methods]]
name = "sample-mean"
TOML
}

finish() {
  echo
  if [[ ${#FAILED[@]} -eq 0 ]]; then
    echo "PASSED: $(basename "$0")"
    exit 0
  fi
  echo "FAILED: $(basename "$0"): ${#FAILED[@]} check(s) failed:" >&2
  for f in "${FAILED[@]}"; do echo "  - $f" >&2; done
  exit 1
}
