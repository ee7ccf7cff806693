"""Distributed NEST for real: 2 MPI ranks x 1 thread give, spike for spike, the spikes of 1 rank x 2 threads
(same seed, same number of virtual processes), with mpirun and with srun --mpi=pmix under the test SLURM
cluster; and the PyPI (no-MPI) NEST started under mpirun stops with our message.

Needs NEST with MPI in .venv-mpi (`make nest-mpi`) and OpenMPI's mpirun; the srun tests need the test
cluster (tests/cluster/start_slurm.sh). Each is skipped with the reason otherwise.
"""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest
import yaml

from tests.support.workspace import ROOT, copy_project, snakemake
from tests.cluster.test_cluster_slurm import (  # noqa: F401
    SLURM_FLAGS,
    STATE,
    completed_in_slurm,
    healthy_cluster,
    slurm_snakemake,
    slurm_up,
)

pytestmark = [pytest.mark.cluster, pytest.mark.slow]
MPI_PYTHON = ROOT / ".venv-mpi/bin/python"
ROOT_OK = {"OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1"}
# a small multi-area simulation: V1 and V2 of the published ground state at 1 % of N, 10 % of K
SIM = {"network": "mam-published", "N_scaling": 0.01, "K_scaling": 0.1, "drive": "poisson", "t_sim": 600.0,
       "t_presim": 50.0, "seed": 7, "threads": 2, "mpi_ranks": 1, "areas_simulated": ["V1", "V2"],
       "recorded_fraction": 1.0}

needs_mpi_nest = pytest.mark.skipif(not MPI_PYTHON.exists(), reason="no NEST with MPI (.venv-mpi; run make nest-mpi)")
needs_mpirun = pytest.mark.skipif(not shutil.which("mpirun"), reason="no mpirun (Debian openmpi-bin)")
needs_slurm = pytest.mark.skipif(not STATE and not slurm_up(),
                                 reason="no running SLURM cluster (tests/cluster/start_slurm.sh)")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A workspace whose config has the MPI test simulation, with its scaled network built."""
    project = copy_project(tmp_path_factory.mktemp("mpi") / "project")
    cfg = {"simulations": {"mpi-threads": SIM,
                           "mpi-ranks": {**SIM, "threads": 1, "mpi_ranks": 2}}}
    (project / "config/mpi.yaml").write_text(yaml.safe_dump(cfg))
    snakemake(project, "--cores", "2", "results/sims/mpi-threads/network.h5", "--configfile", "config/mpi.yaml")
    return project


def run_sim(project, out: Path, sim: dict, launcher=(), python=sys.executable, check=True, timeout=240):
    """Run one simulation of the test network (0.6 s of two areas: seconds of work) under ``launcher``."""
    cmd = [*launcher, str(python), "-m", "cortexflow.simulation.run", "--name", out.stem,
           "--network", str(project / "results/sims/mpi-threads/network.h5"), "--sim-json", json.dumps(sim),
           "--spikes", str(out), "--run-json", str(out.with_suffix(".json"))]
    try:
        proc = subprocess.run(cmd, cwd=project, capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, **ROOT_OK})
    except subprocess.TimeoutExpired:
        pytest.fail(f"{' '.join(cmd[:4])} ... did not finish within {timeout} s (seconds of work)", pytrace=False)
    if check:
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


def assert_same_spikes(a: Path, b: Path) -> int:
    with h5py.File(a) as fa, h5py.File(b) as fb:
        assert sorted(fa) == sorted(fb)
        n = 0
        for pop in fa:
            for key in ("senders", "times"):
                np.testing.assert_array_equal(fa[pop][key][()], fb[pop][key][()], err_msg=f"{pop}/{key}")
            n += len(fa[pop]["times"])
        assert fa.attrs["seed"] == fb.attrs["seed"]
        assert fa.attrs["num_processes"] * fa.attrs["threads"] == fb.attrs["num_processes"] * fb.attrs["threads"]
    return n


@pytest.fixture(scope="module")
def threads_run(project):
    out = project / "threads.h5"
    run_sim(project, out, SIM)
    with h5py.File(out) as f:
        assert f.attrs["num_processes"] == 1 and f.attrs["threads"] == 2
        assert sum(len(f[p]["times"]) for p in f) > 500  # an active network, not an empty comparison
    return out


@needs_mpi_nest
@needs_mpirun
def test_mpirun_two_ranks_equal_two_threads(project, threads_run):
    out = project / "mpirun.h5"
    run_sim(project, out, {**SIM, "threads": 1, "mpi_ranks": 2}, ("mpirun", "-n", "2"), MPI_PYTHON)
    with h5py.File(out) as f:
        assert f.attrs["num_processes"] == 2 and f.attrs["threads"] == 1
    assert assert_same_spikes(threads_run, out) > 500


@needs_mpi_nest
@needs_slurm
def test_srun_pmix_two_ranks_equal_two_threads(project, threads_run, healthy_cluster):
    out = project / "srun.h5"
    run_sim(project, out, {**SIM, "threads": 1, "mpi_ranks": 2}, ("srun", "--mpi=pmix", "-n", "2"), MPI_PYTHON)
    assert assert_same_spikes(threads_run, out) > 500


@needs_mpirun
def test_wheel_nest_under_mpirun_stops_with_our_message(project, tmp_path):
    out = tmp_path / "nompi.h5"
    proc = run_sim(project, out, {**SIM, "threads": 1, "mpi_ranks": 2}, ("mpirun", "-n", "2"), check=False)
    assert proc.returncode != 0
    text = proc.stdout + proc.stderr
    assert "installed NEST has no MPI support" in text
    assert "You seem to be using NEST via an MPI launcher" not in text  # not NEST's own abort
    assert not out.exists()


@needs_mpi_nest
@needs_slurm
def test_simulate_rule_with_two_ranks_through_the_slurm_profile(project, threads_run, healthy_cluster):
    """The simulate rule itself, submitted by the SLURM executor, launching srun --mpi=pmix -n 2."""
    env_python = {"CORTEXFLOW_SIM_PYTHON": str(MPI_PYTHON)}
    target = "results/sims/mpi-ranks/spikes.h5"
    old = os.environ.get("CORTEXFLOW_SIM_PYTHON")
    os.environ.update(env_python)
    try:
        proc = slurm_snakemake(project, target, *SLURM_FLAGS, "--configfile", "config/mpi.yaml")
    finally:
        os.environ.pop("CORTEXFLOW_SIM_PYTHON") if old is None else os.environ.update(CORTEXFLOW_SIM_PYTHON=old)
    out = proc.stdout + proc.stderr
    assert "srun --mpi=pmix -n 2" in out
    ids = set(re.findall(r"has been submitted with SLURM jobid (\d+)", out))
    assert ids and completed_in_slurm(ids, project) == ids
    assert assert_same_spikes(threads_run, project / target) > 500
