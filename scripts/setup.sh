#!/usr/bin/env bash
# Installs every Debian 12 package shardbench needs to build, test and run
# its benchmarks. Idempotent and non-interactive; run as root (or with sudo).
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  # Compiler cache: the add-a-suite check rebuilds a scratch clone from it.
  ccache
  libopenmpi-dev openmpi-bin
  libboost-dev libsqlite3-dev sqlite3 libfmt-dev libeigen3-dev
  libtomlplusplus-dev googletest libgtest-dev libgmock-dev zlib1g-dev
  dataset-fashion-mnist
  # The scikit-learn example tables (iris, wine, breast-cancer, digits,
  # diabetes) the selection and unlearning suites read as data files
  # (datasets/sklearn.cpp, docs/SELECTION.md). Only the files: shardbench
  # runs no Python (the package brings Debian's python3 with it).
  python3-sklearn
)

# Extras, not needed to build, run or demo shardbench:
#   --test        what the tests, the sanitizer and fuzz jobs and the
#                 benchmark scripts need: numpy for the external-method
#                 tests and peers, the peers of docs/PERFORMANCE.md,
#                 Chromium for the HTML report test, clang with its
#                 sanitizer/libFuzzer runtimes and llvm-symbolizer.
#   --with-slurm  slurm-wlm and munge, for the one-node SLURM of
#                 tests/integration/test_slurm.sh (docs/CLUSTERS.md).
TEST_PACKAGES=(
  python3 python3-numpy python3-statsmodels python3-faiss
  chromium
  clang libclang-rt-14-dev llvm-14
)
for arg in "$@"; do
  case $arg in
    --test) PACKAGES+=("${TEST_PACKAGES[@]}") ;;
    --with-slurm) PACKAGES+=(slurm-wlm munge) ;;
    *) echo "setup: unknown option $arg (valid: --test, --with-slurm)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
