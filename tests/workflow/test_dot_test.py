# SPDX-License-Identifier: GPL-3.0-or-later
"""The catalog-standard test configuration .test/ runs end to end on a fresh copy (CI: `make test`)."""
import csv
import time

import pytest

from tests.support.workspace import MIRROR, ROOT, copy_project, snakemake

pytestmark = [pytest.mark.workflow, pytest.mark.nest, pytest.mark.slow]


def test_dot_test_config_runs_end_to_end(tmp_path):
    if not MIRROR.is_dir():
        pytest.skip(f"no raw-data mirror at {MIRROR}")
    project = copy_project(tmp_path / "p")
    targets = (ROOT / ".test/targets.txt").read_text().split()
    t0 = time.monotonic()
    snakemake(project, "--cores", "2", "--configfile", ".test/config.yaml", "--", *targets, timeout=300)
    wall = time.monotonic() - t0
    print(f".test DAG: {wall:.0f} s")
    lines = [line for line in open(project / targets[0]) if not line.startswith("#")]
    rows = list(csv.DictReader(lines))
    assert [r["population"] for r in rows] == ["23E", "23I", "4E", "4I", "5E", "5I", "6E", "6I"]
    assert all(0.0 < float(r["rate"]) < 100.0 for r in rows)
    assert (project / targets[1]).stat().st_size > 10_000
    assert wall < 120, f".test DAG took {wall:.0f} s (budget 2 min)"
    again = snakemake(project, "-n", "--configfile", ".test/config.yaml", "--", *targets)
    assert "Nothing to be done" in again.stdout + again.stderr
