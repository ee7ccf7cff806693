#!/usr/bin/env bash
# Snakemake runs this once after creating the conda env (--sdm conda), inside the env, from the directory
# Snakemake runs in (the workflow's project directory). It makes `import cortexflow` find the workflow's own
# src/ (a .pth file, like an editable install): no copy, so code changes apply without rebuilding the env.
# One conda env per project directory (Snakemake's default .snakemake/conda/); with a shared --conda-prefix
# the env follows the project that created it first. One script for every env: the other envs' post-deploy
# scripts are symlinks to this one (Snakemake looks for <env>.post-deploy.sh beside each env file).
set -euo pipefail
src="$(pwd)/src"
if [ ! -f "$src/cortexflow/__init__.py" ]; then
  echo "cortexflow post-deploy: $src/cortexflow not found; run snakemake from the cortexflow project directory" >&2
  exit 1
fi
site=$(python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
printf '%s\n' "$src" > "$site/cortexflow-src.pth"
python -c 'import cortexflow; print("cortexflow from", cortexflow.__file__)'
python -c 'import sumatra, django' 2>/dev/null || echo "cortexflow post-deploy: warning: no sumatra/Django: no provenance records" >&2
