# SPDX-License-Identifier: GPL-3.0-or-later
"""The simulation's interpreter and MPI launcher are not rerun triggers, and paths with spaces work.

One small run (the .test DAG) from a project directory with a space in its path, with an interpreter whose
path has a space too; then changing CORTEXFLOW_SIM_PYTHON or the launcher (resources.mpi_launcher, as profiles/slurm
does) plans nothing on the complete workspace, under every rerun trigger."""
import os
import stat
import sys

import pytest

from tests.support.workspace import MIRROR, ROOT, copy_project, snakemake

pytestmark = [pytest.mark.workflow, pytest.mark.nest, pytest.mark.slow]
TRIGGERS = ["--rerun-triggers", "code", "input", "mtime", "params", "software-env"]


def nothing_to_do(project, targets, *options, env=None):
    old = dict(os.environ)
    try:
        if env is not None:
            os.environ.clear()
            os.environ.update(env)
        proc = snakemake(project, "-n", *TRIGGERS, *options, "--configfile", ".test/config.yaml", "--", *targets)
    finally:
        os.environ.clear()
        os.environ.update(old)
    out = proc.stdout + proc.stderr
    assert "Nothing to be done" in out, out[-3000:]


def test_interpreter_and_launcher_change_nothing_and_spaces_work(tmp_path):
    if not MIRROR.is_dir():
        pytest.skip(f"no raw-data mirror at {MIRROR}")
    project = copy_project(tmp_path / "with space" / "p")
    wrapper = tmp_path / "py dir" / "python"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    targets = (ROOT / ".test/targets.txt").read_text().split()[:1]   # spike statistics of the small run
    env = {**os.environ, "CORTEXFLOW_SIM_PYTHON": str(wrapper)}
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        snakemake(project, "--cores", "2", "--configfile", ".test/config.yaml", "--", *targets, timeout=300)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    log = (project / "logs/simulate/test-pd14.log").read_text()
    assert "simulate: model time" in log and "ETA" in log
    assert (project / "results/sims/test-pd14/spikes.h5").is_file()
    # another interpreter (none set: the venv's), or the cluster's launcher: nothing to rerun
    plain = {k: v for k, v in os.environ.items() if k != "CORTEXFLOW_SIM_PYTHON"}
    nothing_to_do(project, targets, env=plain)
    nothing_to_do(project, targets, env={**plain, "CORTEXFLOW_SIM_PYTHON": "/opt/site/nest-mpi/bin/python"})
    nothing_to_do(project, targets, "--set-resources", "simulate:mpi_launcher=srun --mpi=pmix")
    nothing_to_do(project, targets, "--profile", "profiles/slurm")   # the whole cluster profile
