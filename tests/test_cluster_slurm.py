"""The SLURM profile against a real slurmctld (tests/cluster/start_slurm.sh, started by .ci/run).

Skipped with a reason when no SLURM cluster answers (`sinfo`); run locally with
    tests/cluster/start_slurm.sh && .venv/bin/python -m pytest tests/test_cluster_slurm.py; tests/cluster/stop_slurm.sh
"""
import os
import re
import shutil
import subprocess
from pathlib import Path

import h5py
import numpy as np
import pytest
import yaml

from workflow import copy_project, snakemake

pytestmark = [pytest.mark.cluster, pytest.mark.slow]
SLURM_FLAGS = ["--profile", "profiles/slurm", "--slurm-init-seconds-before-status-checks", "3",
               "--latency-wait", "10"]
TARGET = "results/networks/mam/network.h5"


def slurm_up() -> bool:
    if not shutil.which("sinfo"):
        return False
    proc = subprocess.run(["sinfo", "-h", "-o", "%t"], capture_output=True, text=True)
    return proc.returncode == 0 and ("idle" in proc.stdout or "mix" in proc.stdout)


requires_slurm = pytest.mark.skipif(not slurm_up(), reason="no running SLURM cluster "
                                    "(start one with tests/cluster/start_slurm.sh)")


def completed_in_slurm(ids, workdir: Path) -> set[str]:
    """Job ids that SLURM's job-completion log lists as COMPLETED in ``workdir``."""
    log = Path(os.environ.get("CORTEXFLOW_SLURM_STATE", "/tmp/cortexflow-slurm")) / "jobcomp.log"
    text = log.read_text(errors="replace") if log.exists() else ""
    return {i for i in ids
            if re.search(rf"JobId={i} .*JobState=COMPLETED .*WorkDir={re.escape(str(workdir))} ", text)}


def h5_equal(a: Path, b: Path) -> None:
    with h5py.File(a) as fa, h5py.File(b) as fb:
        assert set(fa) == set(fb)
        for key in fa:
            np.testing.assert_array_equal(fa[key][()], fb[key][()], err_msg=key)
        assert dict(fa.attrs) == dict(fb.attrs)


@requires_slurm
def test_profile_submits_every_job_through_sbatch_and_matches_local_run(tmp_path):
    local = copy_project(tmp_path / "local")
    snakemake(local, "--cores", "2", TARGET)
    remote = copy_project(tmp_path / "slurm")
    proc = snakemake(remote, *SLURM_FLAGS, TARGET, timeout=900)
    out = proc.stdout + proc.stderr
    ids = set(re.findall(r"has been submitted with SLURM jobid (\d+)", out))
    # raw_data is a localrule; process_anatomy and build_network go through sbatch
    assert len(ids) == 2, out[-3000:]
    assert "Rule: raw_data" in out and "Rule: build_network" in out
    assert completed_in_slurm(ids, remote) == ids
    assert (local / "results/anatomy/processed.json").read_bytes() == \
        (remote / "results/anatomy/processed.json").read_bytes()
    h5_equal(local / TARGET, remote / TARGET)


@requires_slurm
def test_failing_job_is_reported_with_its_log_and_a_fixed_rerun_completes(tmp_path):
    project = copy_project(tmp_path / "p")
    # an impossible parameter that passes the schema: a fixed-point tolerance no float can reach
    (project / "config/impossible.yaml").write_text("theory:\n  tolerance: 1.0e-300\n")
    target = "results/theory/pd14/fixed_point.h5"
    proc = snakemake(project, target, *SLURM_FLAGS, "--configfile", "config/impossible.yaml",
                     check=False, timeout=900)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "Error in rule meanfield" in out
    assert re.search(r"has been submitted with SLURM jobid \d+", out)
    assert "NotConvergedError" in out and "tol 1e-300" in out  # the job's log is shown
    assert not (project / target).exists()
    (project / "config/impossible.yaml").write_text("theory:\n  tolerance: 1.0e-10\n")
    snakemake(project, target, *SLURM_FLAGS, "--configfile", "config/impossible.yaml", timeout=900)
    assert (project / target).is_file()
