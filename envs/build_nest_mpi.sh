#!/usr/bin/env bash
# Build NEST 3.10.0 with MPI from the PyPI sdist into .venv-mpi (used by `make nest-mpi`).
#
# The PyPI wheel of NEST has no MPI. This compiles the sdist with -Dwith-mpi=ON and only the models that
# cortexflow uses (-Dwith-models=...), caches the wheel in $NEST_MPI_CACHE (default
# ~/.cache/cortexflow/nest-mpi) so it is compiled once per machine, and installs it into .venv-mpi next to
# the rest of requirements.lock. Debian build dependencies are installed when missing (needs root).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3.11}
VENV=${VENV_MPI:-.venv-mpi}
CACHE=${NEST_MPI_CACHE:-$HOME/.cache/cortexflow/nest-mpi}
NEST_VERSION=3.10.0
# every NEST model cortexflow creates or connects with (src/cortexflow/simulation/)
MODELS="iaf_psc_exp;poisson_generator;dc_generator;spike_recorder;multimeter;static_synapse;static_synapse_hom_w"
TAG=$(printf '%s' "$NEST_VERSION-mpi-$MODELS" | sha256sum | cut -c1-12)
mkdir -p "$CACHE/$TAG"

pkgs=(build-essential cmake pkg-config libgsl-dev libboost-dev libltdl-dev libopenmpi-dev openmpi-bin)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "[nest-mpi] installing Debian packages: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

wheel=$(ls "$CACHE/$TAG"/nest_simulator-"$NEST_VERSION"-*.whl 2>/dev/null | head -1 || true)
if [ -z "$wheel" ]; then
  echo "[nest-mpi] compiling NEST $NEST_VERSION with MPI (models: $MODELS); cached in $CACHE/$TAG"
  start=$(date +%s)
  tmp=$(mktemp -d)
  CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)} \
    "$PYTHON" -m pip wheel --no-deps --no-binary nest-simulator "nest-simulator==$NEST_VERSION" -w "$tmp" \
      -C cmake.define.with-mpi=ON -C "cmake.define.with-models=$MODELS"
  mv "$tmp"/nest_simulator-*.whl "$CACHE/$TAG/"
  rm -rf "$tmp"
  echo "[nest-mpi] compiled in $(( $(date +%s) - start )) s" | tee "$CACHE/$TAG/build_time.txt"
  wheel=$(ls "$CACHE/$TAG"/nest_simulator-"$NEST_VERSION"-*.whl | head -1)
fi

test -x "$VENV/bin/python" || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
grep -v '^nest-simulator==' requirements.lock > "$VENV/requirements-no-nest.txt"
"$VENV/bin/python" -m pip install --quiet -r "$VENV/requirements-no-nest.txt"
"$VENV/bin/python" -m pip install --quiet --force-reinstall --no-deps "$wheel"
"$VENV/bin/python" -m pip install --quiet --no-deps -e .
"$VENV/bin/python" -c "import nest, sys; info = nest.GetKernelStatus('build_info'); \
sys.exit(0 if info['have_mpi'] else 'NEST in $VENV has no MPI')" 2>/dev/null
echo "[nest-mpi] $VENV ready: NEST $NEST_VERSION with MPI ($wheel)"
