# SPDX-License-Identifier: GPL-3.0-or-later
"""What sbatch really receives for a big simulation, through the SLURM profile and the real test cluster.

A full-scale pd14 run with 16 threads: scale_network runs in the same invocation (so the memory and time
requests must be computed from the scaled network once it exists, not from a fallback), then the simulate
job is sent to partition "big" of the test cluster (tests/cluster/start_slurm.sh: a node that never answers,
128 CPUs, 2 TB), where it stays PENDING; `scontrol show job` shows the request, then the job is cancelled."""
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from cortexflow.simulation.resources import request
from tests.cluster.test_cluster_slurm import SLURM_FLAGS, _run, healthy_cluster, requires_slurm  # noqa: F401 (fixture)
from tests.support.workspace import MIRROR, SNAKEMAKE, copy_project

pytestmark = [pytest.mark.cluster, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
SIM = "pd14-big16"


def big_config(project: Path) -> dict:
    full = yaml.safe_load((ROOT / "config/full_scale.yaml").read_text())["simulations"]["pd14-full"]
    entry = {**full, "threads": 16, "t_sim": 120000.0}   # 2 min of biological time: ~1.7 h of wall time
    (project / "config/big.yaml").write_text(yaml.safe_dump({"simulations": {SIM: entry}}))
    return entry


def job_fields(job_id: str) -> dict:
    text = _run(["scontrol", "show", "job", job_id]).stdout
    return dict(re.findall(r"(\w+(?:/\w+)?)=(\S+)", text))


@requires_slurm
def test_full_scale_simulation_requests_its_threads_memory_and_time(tmp_path, healthy_cluster):
    if "big" not in _run(["sinfo", "-h", "-o", "%P"]).stdout:
        pytest.skip("the test cluster has no partition 'big' (restart it with tests/cluster/start_slurm.sh)")
    project = copy_project(tmp_path / "p")
    entry = big_config(project)
    env = {**os.environ, "CORTEXFLOW_RAW_MIRROR": str(MIRROR)}
    log = open(tmp_path / "snakemake.log", "w")
    # pd14-full of config/full_scale.yaml has protect: true, so rule simulate_protected runs it
    proc = subprocess.Popen([SNAKEMAKE, *SLURM_FLAGS, "--set-resources", "simulate:slurm_partition=big",
                             "simulate_protected:slurm_partition=big",
                             "--configfile", "config/big.yaml", "--", f"results/sims/{SIM}/spikes.h5"],
                            cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    job = None
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and proc.poll() is None:
            queue = _run(["squeue", "-h", "-p", "big", "-o", "%i %T"]).stdout.split()
            if queue:
                job = queue[0]
                break
            time.sleep(2)
        out = (tmp_path / "snakemake.log").read_text()
        assert job, f"no simulate job reached partition big:\n{out[-4000:]}"
        fields = job_fields(job)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)   # snakemake cancels its SLURM jobs on interrupt
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        if job:
            _run(["scancel", job])
        log.close()
    scaled = project / f"results/sims/{SIM}/network.h5"
    assert scaled.is_file()                      # scale_network ran in the same invocation
    want = request(scaled, entry)                # the fitted formula on the scaled network
    print(f"sbatch request: {fields.get('NumCPUs')} CPUs, {fields.get('MinMemoryNode')}, "
          f"TimeLimit {fields.get('TimeLimit')}; formula: {want}")
    assert fields["JobState"] == "PENDING"
    assert fields["CPUs/Task"] == "16" and fields["NumTasks"] == "1"
    assert fields["MinMemoryNode"] == f"{want['mem_mb']}M"
    h, m, s = (int(x) for x in fields["TimeLimit"].split(":")[-3:])
    assert h * 60 + m == want["runtime"] and want["runtime"] > 60
    assert want["mem_mb"] > 10000
