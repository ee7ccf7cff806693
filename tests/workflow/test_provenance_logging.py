# SPDX-License-Identifier: GPL-3.0-or-later
"""`tracked` sets up the job's log file and logs a failure's traceback there (the scripts do neither)."""
import subprocess
import sys
import textwrap

JOB = textwrap.dedent("""
    import logging, sys, types
    from cortexflow.provenance import tracked
    smk = types.SimpleNamespace(rule="demo", params={}, wildcards={"net": "n1"}, input=[], output=[],
                                log=["job.log"], config={})
    with tracked(smk, enabled=False):
        logging.info("step one done")
        logging.getLogger("fontTools").info("subsetting chatter")
        if sys.argv[1] == "fail":
            raise ValueError("impossible parameter")
""")


def test_tracked_logs_to_the_job_file_and_logs_the_traceback(tmp_path):
    (tmp_path / "job.py").write_text(JOB)
    ok = subprocess.run([sys.executable, "job.py", "ok"], cwd=tmp_path, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    text = (tmp_path / "job.log").read_text()
    assert "step one done" in text and "subsetting chatter" not in text and "failed" not in text
    bad = subprocess.run([sys.executable, "job.py", "fail"], cwd=tmp_path, capture_output=True, text=True)
    assert bad.returncode == 1
    text = (tmp_path / "job.log").read_text()
    assert "error: rule demo (net=n1): ValueError: impossible parameter" in text and "Traceback" in text
    assert "Traceback" in text and "ValueError: impossible parameter" in text
