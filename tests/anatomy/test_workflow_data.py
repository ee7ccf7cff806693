"""Workflow-level checks of the data stage: lint, dry run, and a corrupted mirror stopping the run."""

import pytest

from tests.support.workspace import MIRROR, copy_project, planned_jobs, snakemake

pytestmark = pytest.mark.workflow


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "project")


def test_lint_is_clean(project):
    proc = snakemake(project, "--lint", check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_dry_run_of_fresh_clone_plans_raw_data_first(project):
    jobs = planned_jobs(project)
    assert jobs["raw_data"] == 1 and jobs["process_anatomy"] == 1


def test_corrupted_mirror_stops_naming_the_file(project, tmp_path):
    if not MIRROR.is_dir():
        pytest.skip("no raw-data mirror")
    bad = tmp_path / "mirror"
    bad.mkdir()
    for p in MIRROR.iterdir():
        (bad / p.name).write_bytes(p.read_bytes())
    data = bytearray((bad / "CorticalThickness.csv").read_bytes())
    data[-5] ^= 0x20
    (bad / "CorticalThickness.csv").write_bytes(bytes(data))
    proc = snakemake(project, "--cores", "1", "raw_data", mirror=bad, check=False)
    assert proc.returncode != 0
    log = proc.stdout + proc.stderr + (project / "logs/raw_data.log").read_text(errors="replace")
    assert "CorticalThickness.csv: checksum mismatch" in log
    left = sorted(p.name for p in (project / "data/raw").iterdir())
    assert left == ["LICENSE-DATA.md", "sources.yaml"]  # nothing half-written


def test_no_mirror_and_no_network_fails_naming_a_file(project):
    proc = snakemake(project, "--cores", "1", "raw_data", mirror=None, check=False, timeout=600)
    if proc.returncode == 0:
        pytest.skip("this machine can reach the upstream URL")
    assert "cannot download" in proc.stdout + proc.stderr
    assert sorted(p.name for p in (project / "data/raw").iterdir()) == ["LICENSE-DATA.md", "sources.yaml"]
