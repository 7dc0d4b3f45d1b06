# Sourced by scripts/sanitize.sh and scripts/fuzz.sh: the sanitizer build
# and the options that make any sanitizer report fatal.
SB_ASAN_DIR=build/asan
# halt_on_error: stop at the first report (UBSan is also compiled with
# -fno-sanitize-recover=all, so every UBSan check aborts too).
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=0:detect_leaks=1:strict_string_checks=1:check_initialization_order=1:detect_stack_use_after_return=1:allocator_may_return_null=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer

# Configures build/asan once. ccache as in scripts/build.sh: a fresh machine
# gains nothing, but a rebuild after a small change (or a second clone)
# skips most of the ~20 minutes the sanitizer compile takes on two cores.
sb_configure_asan() {
  local launcher=()
  if command -v ccache >/dev/null; then
    export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
    # -gline-tables-only makes ccache hash the build directory by default,
    # so a second clone would miss every object; the line tables only name
    # the (BASEDIR-relative) sources, which are the same in every clone.
    export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-true}"
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  fi
  [ -f "$SB_ASAN_DIR/build.ninja" ] || cmake --preset asan "${launcher[@]}" >/dev/null
}

# Builds the given targets of build/asan (configuring it first if needed).
sb_build_asan() {
  sb_configure_asan
  cmake --build "$SB_ASAN_DIR" -j"$(nproc)" --target "$@"
}
