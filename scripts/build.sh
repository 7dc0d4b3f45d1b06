#!/usr/bin/env bash
# Configures and builds the release preset (build/release).
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache (from setup.sh) keys objects on paths relative to the checkout, so
# the scratch clone of tests' add-a-suite check reuses this build's objects.
launcher=()
if command -v ccache >/dev/null; then
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
[ -f build/release/build.ninja ] || cmake --preset release "${launcher[@]}"
cmake --build build/release -j"$(nproc)"
