"""A simulation killed mid-run leaves no output Snakemake would take as complete; the rerun completes.

Two cases: the NEST process alone is killed (as by the kernel's OOM killer), and the whole run is killed
(node failure: snakemake dies too and leaves its lock, which `snakemake --unlock` removes).
"""
import os
import signal
import subprocess
import time

import pytest
import yaml

from tests.support.workspace import MIRROR, SNAKEMAKE, copy_project, planned_jobs, snakemake

pytestmark = [pytest.mark.workflow, pytest.mark.slow]


@pytest.fixture
def project(tmp_path):
    project = copy_project(tmp_path / "p")
    cfg = yaml.safe_load((project / "config/config.yaml").read_text())
    sim = {**cfg["simulations"]["pd14"], "N_scaling": 0.02, "K_scaling": 0.1, "t_sim": 6000.0,
           "t_presim": 100.0}
    (project / "config/killed.yaml").write_text(yaml.safe_dump({"simulations": {"kill-me": sim}}))
    snakemake(project, "--cores", "2", "results/sims/kill-me/network.h5", "--configfile", "config/killed.yaml")
    return project


ARGS = ["results/sims/kill-me/spikes.h5", "--configfile", "config/killed.yaml"]


def start_and_wait_for_nest(project):
    proc = subprocess.Popen([SNAKEMAKE, "--cores", "2", *ARGS], cwd=project, start_new_session=True,
                            env={**os.environ, "CORTEXFLOW_RAW_MIRROR": str(MIRROR)},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log = project / "logs/simulate/kill-me.log"
    deadline = time.time() + 300
    while time.time() < deadline and not (log.exists() and "simulate: model time" in log.read_text()):
        time.sleep(0.2)
    assert "simulate: model time" in log.read_text(), "the simulation never started"
    return proc


def nothing_complete(project):
    out = project / "results/sims/kill-me"
    assert not (out / "spikes.h5").exists() and not (out / "run.json").exists()
    assert planned_jobs(project, *ARGS)["simulate"] == 1


def rerun_completes(project):
    snakemake(project, "--cores", "2", *ARGS)
    assert (project / "results/sims/kill-me/spikes.h5").is_file()
    assert planned_jobs(project, *ARGS) == {}


def test_nest_process_killed(project):
    proc = start_and_wait_for_nest(project)
    nest = subprocess.run(["pgrep", "-f", "-s", str(proc.pid), "cortexflow.simulation.run"],
                          capture_output=True, text=True).stdout.split()
    assert nest
    for pid in nest:
        os.kill(int(pid), signal.SIGKILL)
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode != 0 and "Error in rule simulate" in out
    nothing_complete(project)
    rerun_completes(project)


def test_whole_run_killed(project):
    proc = start_and_wait_for_nest(project)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()
    time.sleep(0.5)
    snakemake(project, "--unlock", *ARGS)
    nothing_complete(project)
    rerun_completes(project)
