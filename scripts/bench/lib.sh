# Shared preamble of the scripts/bench-*.sh benchmark programs, sourced first:
# strict mode, the source root, Debian's Python (the peers' numpy/scikit-learn),
# one BLAS thread per process (one cell per core under MPI; the peers alike),
# Open MPI allowed as root, a scratch directory removed on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PY=/usr/bin/python3
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

now() { date +%s.%N; }

# The line that heads every figure: cores, CPU model and load.
machine_line() {
  echo "machine: $(nproc --all) cores, $(lscpu | sed -n 's/^Model name: *//p'); load: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# release_binary TARGET [OVERRIDE]: OVERRIDE when given (SB_BIN or SB_BENCH:
# another build, e.g. an older commit's for before/after figures), else
# build/release/TARGET, configured and built first when missing.
release_binary() {
  if [[ -n ${2:-} ]]; then
    echo "$2"
    return
  fi
  if [[ ! -x $ROOT/build/release/$1 ]]; then
    (cd "$ROOT" && { [[ -f build/release/build.ninja ]] || cmake --preset release; } &&
      cmake --build build/release -j2 --target "$1") >/dev/null
  fi
  echo "$ROOT/build/release/$1"
}
