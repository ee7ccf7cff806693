# SPDX-License-Identifier: GPL-3.0-or-later
"""What a long job prints goes where the README's "Watching a run" says: warnings into the rule's log."""
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

JOB = textwrap.dedent("""
    import logging, types, warnings
    from cortexflow.provenance import tracked
    logging.basicConfig(filename="job.log", level=logging.INFO, format="%(asctime)s %(message)s")
    smk = types.SimpleNamespace(rule="demo", params={{}}, wildcards={{}}, input=[], output=[], log=["job.log"],
                                scriptdir={!r}, config={{}})
    with tracked(smk, enabled=False):
        logging.info("working")
        warnings.warn("mean of empty slice", RuntimeWarning)
""".format(str(ROOT / "scripts")))


def test_warnings_of_a_script_go_into_its_log(tmp_path):
    (tmp_path / "job.py").write_text(JOB)
    proc = subprocess.run([sys.executable, "job.py"], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    log = (tmp_path / "job.log").read_text()
    assert "working" in log and "RuntimeWarning: mean of empty slice" in log
    assert "mean of empty slice" not in proc.stderr
