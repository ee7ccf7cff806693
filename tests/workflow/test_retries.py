# SPDX-License-Identifier: GPL-3.0-or-later
"""A job killed for memory is retried with more: attempt-scaled mem_mb with `retries`, as rule simulate has.

A synthetic workflow: the job's address space is limited to its mem_mb (ulimit -v, what a cgroup or SLURM's
memory limit does to a real job), it needs ~400 MB, and mem_mb = 300 x attempt, so attempt 1 is killed and
attempt 2 (600 MB) succeeds."""
import subprocess
import sys
import textwrap
from pathlib import Path

SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))
SNAKEFILE = textwrap.dedent("""
    rule big:
        output: "out.txt"
        log: "big.log"
        retries: 2
        resources: mem_mb=lambda wildcards, attempt: 300 * attempt
        shell:
            "ulimit -v $(( {resources.mem_mb} * 1024 )); "
            "echo attempt mem_mb={resources.mem_mb} >> attempts.txt; "
            "{PYTHON} -c 'x = bytearray(400 * 2**20); open(\\"{output}\\", \\"w\\").write(\\"ok\\")' "
            ">> attempts.txt 2>&1 && cp attempts.txt {log}"
""").replace("{PYTHON}", sys.executable)


def test_job_killed_for_memory_is_retried_with_more(tmp_path):
    (tmp_path / "Snakefile").write_text(SNAKEFILE)
    proc = subprocess.run([SNAKEMAKE, "--cores", "1", "--workflow-profile", "none"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    log = (tmp_path / "attempts.txt").read_text()   # Snakemake removes the log of a failed attempt
    assert "attempt mem_mb=300" in log and "MemoryError" in log     # the first attempt ran out of memory
    assert log.rstrip().endswith("attempt mem_mb=600")               # the retry got twice the memory
    assert (tmp_path / "out.txt").read_text() == "ok"
