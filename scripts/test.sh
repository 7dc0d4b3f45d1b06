#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (unit + MPI
# integration) with ctest. SLURM (slurm-wlm, munge) is installed for the
# one-node SLURM integration test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test --with-slurm
export CCACHE_BASEDIR="$PWD"  # see scripts/build.sh
bash scripts/build.sh
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
ctest --test-dir build/release --output-on-failure -j2 "$@"
