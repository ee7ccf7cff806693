# Shared set-up: config validation and the globals of the rules, all from the workflow glue package
# cortexflow.workflow (paths, inputs, targets, settings; docs/design.md "Workflow glue").
import os
import sys
from pathlib import Path

import yaml
from snakemake.utils import min_version, validate
from snakemake_interface_executor_plugins.settings import DeploymentMethod

# The workflow's own package, also when Snakemake runs from an env without cortexflow installed (--sdm conda
# from a minimal Snakemake env): parse-time code needs only the standard library, yaml and jsonschema
# (tests/workflow/test_parse_imports.py); the jobs find cortexflow through their env (envs/*.post-deploy.sh).
sys.path.insert(0, str(Path(workflow.basedir, "src")))

from cortexflow.config import check_config, check_workflow, one_line_errors
from cortexflow.workflow import figures, paths, replicates, settings, targets
from cortexflow.workflow import sim_extra as sx
from cortexflow.workflow.inputs import Inputs

min_version("9.0")

# Clear messages naming the offending key first, then Snakemake's own validation (which also fills defaults),
# then the cross-key checks (networks of simulations, areas, figure networks, ...). A failed check prints one
# `error: ...` line per problem and stops with exit status 1, for every target (cortexflow.config.one_line_errors).
with one_line_errors():
    check_config(config, Path(workflow.basedir, "config/schema.yaml"))
    validate(config, schema="../config/schema.yaml")
    check_workflow(config)

    manifest = Path(workflow.basedir, paths.RAW_MANIFEST).read_text()
    RAW_SOURCES = yaml.safe_load(manifest)["files"]
    RAW_FILES = sorted(RAW_SOURCES)
    inputs = Inputs(config, RAW_SOURCES)
    raw = inputs.raw
    WC = settings.wildcard_constraints(config)
    ANALYSIS = settings.analysis(config)
    THEORY = settings.theory(config)
    DD = settings.data_dependence(config)
    EXTRA = config["figures"]["extra_dynamics"]  # rules/figures_sim_extra.smk
# Interpreter of the simulate command: the conda env's `python` under --sdm conda, else the one
# running Snakemake (the project venv), so that .venv/bin/snakemake works without activating the venv.
# $CORTEXFLOW_SIM_PYTHON overrides it, e.g. .venv-mpi/bin/python (NEST with MPI, `make nest-mpi`).
CONDA_RUN = DeploymentMethod.CONDA in workflow.deployment_settings.deployment_method
DEFAULT_SIM_PYTHON = "python" if CONDA_RUN else sys.executable
SIM_PYTHON = os.environ.get("CORTEXFLOW_SIM_PYTHON") or DEFAULT_SIM_PYTHON
# The simulate commands read it from the environment ("$CORTEXFLOW_SIM_INTERPRETER", quoted: paths with spaces
# work), not from params: changing the interpreter or the MPI launcher reruns nothing (tests/simulation/test_sim_launch.py).
# Set again in every process that parses the workflow (a SLURM job step included).
os.environ.update(CORTEXFLOW_SIM_INTERPRETER=SIM_PYTHON)


def figure_outputs(template, caption, category, subcategory=None):
    """PDF and PNG of a figure template (paths.FIG_*); the PNG goes into the Snakemake report with
    report/captions/<caption>.rst."""
    return {
        "pdf": paths.ext(template, "pdf"),
        "png": report(
            paths.ext(template, "png"),
            caption=f"../report/captions/{caption}.rst",
            category=category,
            subcategory=subcategory,
        ),
    }
