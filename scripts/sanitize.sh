#!/usr/bin/env bash
# ASan+UBSan job: builds the unit tests and shardbench with clang
# (build/asan, the `asan` preset), runs every unit test, then the smoke
# experiment on `mpirun -n 2`. Fails on any sanitizer report, also one from
# an executor child (reports go to files, checked at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
source scripts/asan_env.sh
start=$SECONDS

# Only what this job runs: the unit test binaries and shardbench.
sb_configure_asan
mapfile -t unit_targets < <(ninja -C "$SB_ASAN_DIR" -t targets all | sed -n 's/^\(test_[A-Za-z0-9_]*\): phony$/\1/p')
[ ${#unit_targets[@]} -gt 0 ] || { echo "sanitize: FAILED: no unit test targets in $SB_ASAN_DIR"; exit 1; }
sb_build_asan "${unit_targets[@]}" shardbench
build_s=$((SECONDS - start))

reports="$SB_ASAN_DIR/sanitizer-reports"
rm -rf "$reports"
mkdir -p "$reports"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
status=0

echo "== sanitize: unit tests (${unit_targets[*]})"
ASAN_OPTIONS="$ASAN_OPTIONS:log_path=$PWD/$reports/unit" UBSAN_OPTIONS="$UBSAN_OPTIONS:log_path=$PWD/$reports/unit" \
  ctest --test-dir "$SB_ASAN_DIR" -L unit -j2 --output-on-failure --timeout 900 || status=1
unit_s=$((SECONDS - start - build_s))

# Open MPI's own allocations (libmpi, ORTE, hwloc, not instrumented) are
# never freed at exit and would make LeakSanitizer fail every MPI run:
# leak checking is off here and stays on for the unit tests above.
echo "== sanitize: smoke run (mpirun -n 2, benchmarks/configs/smoke.toml)"
smoke="$SB_ASAN_DIR/smoke"
rm -rf "$smoke"
mkdir -p "$smoke"
# Generous timeout: in release the smoke run takes seconds.
ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0:log_path=$PWD/$reports/smoke" \
UBSAN_OPTIONS="$UBSAN_OPTIONS:log_path=$PWD/$reports/smoke" \
  timeout -k 30 900 mpirun -n 2 --oversubscribe "$SB_ASAN_DIR/shardbench" run benchmarks/configs/smoke.toml \
    --db "$smoke/results.sqlite" || { echo "sanitize: smoke run exited with $?"; status=1; }
smoke_s=$((SECONDS - start - build_s - unit_s))

if compgen -G "$reports/*" >/dev/null; then
  for f in "$reports"/*; do
    echo "---- sanitizer report $f"
    cat "$f"
  done
  status=1
fi
n_reports=$(find "$reports" -type f | wc -l)
if [ "$status" -eq 0 ]; then
  echo "sanitize: OK (ASan+UBSan: unit tests and smoke run clean; build ${build_s}s, unit ${unit_s}s, smoke ${smoke_s}s)"
else
  echo "sanitize: FAILED ($n_reports sanitizer report file(s); build ${build_s}s, unit ${unit_s}s, smoke ${smoke_s}s)"
fi
exit "$status"
