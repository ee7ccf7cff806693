# SPDX-License-Identifier: GPL-3.0-or-later
"""The workflow can be parsed and planned in a minimal Snakemake env: standard library, yaml, jsonschema.

Under --sdm conda, Snakemake itself may run from an env without numpy, scipy, pandas, h5py, matplotlib or NEST
(those live in envs/*.yaml). This runs `snakemake -n` with an import hook that refuses those modules to any
import made from the Snakefile, rules/*.smk or cortexflow (Snakemake's own plugins may import what they like)."""
import subprocess
import sys
import textwrap

from tests.support.workspace import ROOT

HOOK = textwrap.dedent("""
    import sys, importlib.abc, traceback
    HEAVY = {"numpy", "scipy", "pandas", "h5py", "matplotlib", "nest", "nnmt", "elephant", "networkx",
             "sumatra", "django", "PIL", "statsmodels", "neo", "quantities"}
    class Refuse(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name.split(".")[0] not in HEAVY:
                return None
            ours = [f for f in traceback.extract_stack() if "/src/cortexflow/" in f.filename
                    or f.filename.endswith((".smk", "Snakefile"))]
            if not ours:
                return None
            where = " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}" for f in ours[::-1])
            raise ImportError(f"parse-time import of {name}: {where}")
    sys.meta_path.insert(0, Refuse())
    from snakemake.cli import main
    sys.argv = ["snakemake", "-n", "--quiet", "rules"] + sys.argv[1:]
    main()
""")


def test_workflow_plans_without_numpy_scipy_pandas_h5py():
    for extra in ([], ["--configfile", "config/full_scale.yaml", "--", "results/sims/pd14-full/spikes.h5",
                       "results/sims/mam-metastable-full/spikes.h5"]):
        proc = subprocess.run([sys.executable, "-c", HOOK, *extra], cwd=ROOT, capture_output=True, text=True,
                              timeout=300)
        out = proc.stdout + proc.stderr
        assert proc.returncode == 0 and "parse-time import" not in out, out[-3000:]
        assert "simulate" in out
