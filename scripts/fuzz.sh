#!/usr/bin/env bash
# Fuzz job: builds the libFuzzer targets of tests/fuzz (build/asan, the
# `asan` preset: ASan+UBSan) and runs each for a time budget, two at a time,
# starting from its committed seed corpus tests/fuzz/corpus/<target>/ (every
# corpus file is replayed first, so a committed crash input is a regression
# test). Fails if any target crashes, leaks, trips a sanitizer or lets a
# non-project exception escape.
#   SB_FUZZ_SECONDS  budget per target (default 60)
#   SB_FUZZ_SEED     libFuzzer's -seed (default 1: CI mutates the same way
#                    each run, so a failure reproduces; 0 = a random seed,
#                    for longer hunts by hand)
#   bash scripts/fuzz.sh [TARGET...]   (default: all; names as in tests/fuzz/)
# A crash input is saved under build/asan/fuzz/artifacts/<target>/; keep it
# as tests/fuzz/corpus/<target>/crash-<what> and add a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
BUDGET=${SB_FUZZ_SECONDS:-60}
SEED=${SB_FUZZ_SEED:-1}
ALL_TARGETS=(config paper_spec outcome npy idx)

# One target (run by the parallel loop below).
if [ "${1:-}" = "--one" ]; then
  source scripts/asan_env.sh
  t=$2
  out="$SB_ASAN_DIR/fuzz"
  # New inputs go to a scratch corpus; the committed one is only read.
  rm -rf "$out/work/$t" "$out/artifacts/$t"
  mkdir -p "$out/work/$t" "$out/artifacts/$t"
  dict=()
  case "$t" in config|paper_spec) dict=(-dict=tests/fuzz/toml.dict) ;; esac
  # -timeout: one input taking 30 s is a hang; -rss_limit_mb: libFuzzer's
  # default, also the largest single allocation allowed.
  if "$out/fuzz_$t" -max_total_time="$BUDGET" -seed="$SEED" -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 \
       "${dict[@]}" -artifact_prefix="$out/artifacts/$t/" "$out/work/$t" "tests/fuzz/corpus/$t" \
       >"$out/$t.log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$t.log")
    echo "fuzz: $t: ok (${runs:-?} inputs in ${BUDGET}s)"
  else
    echo "fuzz: $t: FAILED; last lines of $out/$t.log:"
    grep -v '^#[0-9]' "$out/$t.log" | tail -40 | sed 's/^/    /'
    for a in "$out/artifacts/$t"/*; do
      [ -e "$a" ] && echo "    crash input: $a (keep it: cp $a tests/fuzz/corpus/$t/)"
    done
    exit 1
  fi
  exit 0
fi

TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=("${ALL_TARGETS[@]}")
bash scripts/setup.sh --test
source scripts/asan_env.sh
start=$SECONDS
sb_build_asan "${TARGETS[@]/#/fuzz_}"
build_s=$((SECONDS - start))
echo "== fuzz: ${TARGETS[*]}, ${BUDGET}s each, 2 at a time"
status=0
printf '%s\n' "${TARGETS[@]}" | xargs -P 2 -I{} bash scripts/fuzz.sh --one {} || status=1
if [ "$status" -eq 0 ]; then
  echo "fuzz: OK (${#TARGETS[@]} targets x ${BUDGET}s; build ${build_s}s, total $((SECONDS - start))s)"
else
  echo "fuzz: FAILED (see the targets marked FAILED above; build ${build_s}s, total $((SECONDS - start))s)"
fi
exit "$status"
