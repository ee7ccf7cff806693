# SPDX-License-Identifier: GPL-3.0-or-later
"""Provenance under a real SLURM cluster: N concurrent sbatch jobs, each storing its Sumatra record, lose none.

Uses the test cluster of tests/cluster/start_slurm.sh (see tests/cluster/test_cluster_slurm.py); skipped without one."""
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.cluster.test_cluster_slurm import healthy_cluster, requires_slurm, slurm_snakemake  # noqa: F401 (fixture)

pytestmark = [pytest.mark.cluster, pytest.mark.slow]
N_JOBS = 6
SMT = str(Path(sys.executable).with_name("smt"))
ROOT = Path(__file__).resolve().parents[2]

SNAKEFILE = textwrap.dedent(f"""
    rule all:
        input: expand("out/{{i}}.txt", i=range({N_JOBS}))

    rule job:
        output: "out/{{i}}.txt"
        log: "logs/{{i}}.log"
        resources: mem_mb=300, runtime=5
        script: "job.py"
""")
JOB = textwrap.dedent("""
    import time
    from cortexflow.provenance import tracked
    with tracked(snakemake):
        time.sleep(3)   # the jobs overlap: each merges its record while others are writing theirs
        open(snakemake.output[0], "w").write(snakemake.wildcards.i)
""")


@requires_slurm
def test_concurrent_cluster_jobs_lose_no_provenance_record(tmp_path, healthy_cluster):
    (tmp_path / "Snakefile").write_text(SNAKEFILE)
    (tmp_path / "job.py").write_text(JOB)
    proc = slurm_snakemake(tmp_path, "--executor", "slurm", "--jobs", str(N_JOBS), "--workflow-profile", "none",
                           "--slurm-status-command", "squeue", "--slurm-init-seconds-before-status-checks", "3",
                           "--latency-wait", "10", "--default-resources", "slurm_partition=debug")
    out = proc.stdout + proc.stderr
    ids = set(re.findall(r"has been submitted with SLURM jobid (\d+)", out))
    assert len(ids) == N_JOBS, out[-3000:]
    labels = subprocess.run([SMT, "list"], cwd=tmp_path, capture_output=True, text=True, check=True).stdout.split()
    assert len(labels) == N_JOBS and all(lab.startswith("job.") for lab in labels), labels
    assert sorted(lab.split(".")[1] for lab in labels) == [str(i) for i in range(N_JOBS)]
    assert not list((tmp_path / ".smt/incoming").glob("*.json"))
