"""The SLURM profile against a real slurmctld (tests/cluster/start_slurm.sh, started by .ci/run).

When .ci/run started the test cluster (``$CORTEXFLOW_SLURM_STATE`` is set) a broken cluster fails these tests
at once, naming the cause; without it they are skipped when no SLURM cluster answers (`sinfo`). Run locally with
    tests/cluster/start_slurm.sh && .venv/bin/python -m pytest tests/cluster/test_cluster_slurm.py
    tests/cluster/stop_slurm.sh

Every test checks the node before it submits (idle, no job left, slurmd alive) and its submissions have
timeouts sized to the tiny workflows (seconds of work), so a stuck cluster costs a minute, not the CI run.
"""
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import h5py
import numpy as np
import pytest

from tests.support.workspace import copy_project, snakemake

pytestmark = [pytest.mark.cluster, pytest.mark.slow]
SLURM_FLAGS = ["--profile", "profiles/slurm", "--slurm-init-seconds-before-status-checks", "3",
               "--latency-wait", "10"]
TARGET = "results/networks/mam/network.h5"
# the test cluster of .ci/run (tests/cluster/start_slurm.sh STATE); when set, a broken cluster fails, not skips
STATE = os.environ.get("CORTEXFLOW_SLURM_STATE")
# a tiny workflow (anatomy + one network, or a 0.6 s two-area simulation) takes well under a minute here
SUBMIT_TIMEOUT = 240


def _run(cmd: list[str], timeout: float = 20) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(cmd, 124, "", f"{cmd[0]} did not answer within {timeout} s")


def slurm_up() -> bool:
    if not shutil.which("sinfo"):
        return False
    proc = _run(["sinfo", "-h", "-p", "debug", "-o", "%t"])
    return proc.returncode == 0 and ("idle" in proc.stdout or "mix" in proc.stdout)


def slurm_tail(n: int = 15) -> str:
    """The last lines of the test cluster's daemon logs (for failure messages)."""
    if not STATE:
        return ""
    parts = []
    for name in ("slurmd.log", "slurmctld.log"):
        f = Path(STATE) / name
        if f.exists():
            parts.append(f"--- {f}\n" + "\n".join(f.read_text(errors="replace").splitlines()[-n:]))
    return "\n".join(parts)


def cluster_problem(wait_s: float = 45) -> str | None:
    """None when the cluster can take a job now; otherwise one line naming the cause.

    Waits up to ``wait_s`` for a node that is still completing the previous test's job (state ``comp``)."""
    if STATE:
        for daemon in ("slurmctld", "slurmd"):
            pidfile = Path(STATE) / f"{daemon}.pid"
            pid = pidfile.read_text().strip() if pidfile.exists() else ""
            if not pid or not Path(f"/proc/{pid}").exists():
                return f"{daemon} of the test cluster is not running (pid file {pidfile}: {pid or 'missing'})"
    deadline = time.monotonic() + wait_s
    while True:
        info = _run(["sinfo", "-h", "-N", "-p", "debug", "-o", "%N %t %E"])
        if info.returncode != 0:
            return f"slurmctld does not answer: sinfo: {info.stderr.strip()}"
        nodes = [line.split(None, 2) for line in info.stdout.strip().splitlines()]
        jobs = _run(["squeue", "-h", "-o", "%i %T %R"]).stdout.strip()
        if nodes and all(n[1] == "idle" for n in nodes) and not jobs:
            return None
        if time.monotonic() > deadline:
            return (f"SLURM node not idle after {wait_s:.0f} s: {'; '.join(' '.join(n) for n in nodes)}"
                    f"{'; jobs: ' + jobs.replace(chr(10), ', ') if jobs else ''}")
        time.sleep(1)


_PROBE: list[str | None] = []


def probe_step() -> str | None:
    """Once per session: a one-task job step runs and the node is idle again (None), else the cause."""
    if not _PROBE:
        proc = _run(["srun", "-N1", "-n1", "-t", "1", "--immediate=30", "true"], timeout=60)
        _PROBE.append(None if proc.returncode == 0 else
                      f"a test job step (srun true) failed: {(proc.stderr or proc.stdout).strip()[-500:]}")
    return _PROBE[0] or cluster_problem()


requires_slurm = pytest.mark.skipif(not STATE and not slurm_up(), reason="no running SLURM cluster "
                                    "(start one with tests/cluster/start_slurm.sh)")


@pytest.fixture
def healthy_cluster():
    """Fail at once, naming the cause, when the cluster cannot run a job; cancel what a test left behind."""
    problem = cluster_problem() or probe_step()
    if problem:
        pytest.fail(f"the test SLURM cluster is broken: {problem}\n{slurm_tail()}", pytrace=False)
    yield
    if STATE:  # our own single-node test cluster: nothing else runs there
        _run(["scancel", "--user", os.environ.get("USER", "root")])


def slurm_snakemake(workdir: Path, *args: str, check: bool = True,
                    timeout: float = SUBMIT_TIMEOUT) -> subprocess.CompletedProcess:
    """snakemake through the SLURM profile; a run past ``timeout`` fails with the queue and the daemon logs."""
    try:
        return snakemake(workdir, *args, check=check, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        queue = _run(["squeue", "-h", "-o", "%i %j %T %R"]).stdout.strip() or "(empty)"
        nodes = _run(["sinfo", "-h", "-N", "-p", "debug", "-o", "%N %t %E"]).stdout.strip()
        out = (exc.stdout or b"")[-2000:]
        out = out.decode(errors="replace") if isinstance(out, bytes) else out
        pytest.fail(f"snakemake through SLURM did not finish within {timeout} s (a few seconds of work): "
                    f"queue: {queue}; nodes: {nodes}\n{out}\n{slurm_tail()}", pytrace=False)


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
def test_profile_submits_every_job_through_sbatch_and_matches_local_run(tmp_path, healthy_cluster):
    local = copy_project(tmp_path / "local")
    snakemake(local, "--cores", "2", TARGET)
    remote = copy_project(tmp_path / "slurm")
    proc = slurm_snakemake(remote, *SLURM_FLAGS, TARGET)
    out = proc.stdout + proc.stderr
    ids = set(re.findall(r"has been submitted with SLURM jobid (\d+)", out))
    # raw_data is a localrule; process_anatomy and build_network go through ONE sbatch job: the group
    # "prepare" of profiles/slurm (short jobs packed into one allocation)
    assert len(ids) == 1, out[-3000:]
    assert "Group job prepare" in out
    assert "Rule: raw_data" in out and "Rule: build_network" in out
    assert completed_in_slurm(ids, remote) == ids
    assert (local / "results/anatomy/processed.json").read_bytes() == \
        (remote / "results/anatomy/processed.json").read_bytes()
    h5_equal(local / TARGET, remote / TARGET)


@requires_slurm
def test_failing_job_is_reported_with_its_log_and_a_fixed_rerun_completes(tmp_path, healthy_cluster):
    project = copy_project(tmp_path / "p")
    # an impossible parameter that passes the schema: a fixed-point tolerance no float can reach
    (project / "config/impossible.yaml").write_text("theory:\n  tolerance: 1.0e-300\n")
    target = "results/theory/pd14/fixed_point.h5"
    proc = slurm_snakemake(project, target, *SLURM_FLAGS, "--configfile", "config/impossible.yaml", check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "Error in rule meanfield" in out
    assert re.search(r"has been submitted with SLURM jobid \d+", out)
    # the terminal names the rule's log (show-failed-logs is off: one line per error, issue 17); the log holds
    # the error and its traceback
    log = re.search(r"log: (\S+) \(check log file", out)
    assert log, out[-2000:]
    text = (project / log.group(1)).read_text()
    assert "NotConvergedError" in text and "tol 1e-300" in text
    assert not (project / target).exists()
    (project / "config/impossible.yaml").write_text("theory:\n  tolerance: 1.0e-10\n")
    slurm_snakemake(project, target, *SLURM_FLAGS, "--configfile", "config/impossible.yaml")
    assert (project / target).is_file()
