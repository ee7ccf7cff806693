"""Reruns on a completed tiny workspace: nothing to do after completion, and a change reruns exactly what
depends on it (figure option, network parameter, script code); one Sumatra record per executed job."""
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.support.workspace import copy_project, planned_jobs, snakemake

pytestmark = [pytest.mark.workflow, pytest.mark.slow]
SMT = str(Path(sys.executable).with_name("smt"))


def tiny_config(project: Path) -> dict:
    cfg = yaml.safe_load((project / "config/config.yaml").read_text())
    cfg["networks"] = {name: cfg["networks"][name] for name in ("mam", "pd14", "mam-s17")}
    cfg["theory"]["stabilisation"]["networks"] = []
    cfg["theory"]["chi_sweep"]["network"] = "mam"  # mam-published is not kept
    cfg["simulations"] = {"pd14-tiny": {**cfg["simulations"]["pd14"], "N_scaling": 0.02, "K_scaling": 0.1,
                                        "t_sim": 600.0, "t_presim": 100.0}}
    cfg["figures"]["structure"]["communities"]["null_models"] = 5
    cfg["analysis"]["welch"].update(nperseg=16, noverlap=8)  # 100 ms window: 11 segments (>= min_segments 8)
    cfg.pop("validation", None)
    return cfg


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("reruns") / "project")
    (project / "config/config.yaml").write_text(yaml.safe_dump(tiny_config(project), sort_keys=False))
    proc = snakemake(project, "--cores", "2", timeout=1800)
    return project, proc.stdout + proc.stderr


def planned_with(project: Path, change) -> dict:
    """Jobs planned after ``change(config)`` is applied to the workspace's config file (then restored)."""
    path = project / "config/config.yaml"
    original = path.read_text()
    cfg = yaml.safe_load(original)
    change(cfg)
    try:
        path.write_text(yaml.safe_dump(cfg, sort_keys=False))
        return planned_jobs(project)
    finally:
        path.write_text(original)


def executed_jobs(log: str) -> int:
    return log.count("Finished jobid")


def test_completed_workspace_plans_nothing_and_has_one_record_per_job(workspace):
    project, log = workspace
    assert planned_jobs(project) == {}
    labels = subprocess.run([SMT, "list"], cwd=project, check=True, capture_output=True,
                            text=True).stdout.split()
    jobs = executed_jobs(log) - 1  # rule all runs no script
    assert jobs >= 18 and len(labels) == jobs
    rules = [label.split(".")[0] for label in labels]
    assert rules.count("build_network") == 3 and rules.count("meanfield") == 3 and rules.count("simulate") == 1
    view = subprocess.run([SMT, "view", next(l for l in labels if l.startswith("build_network.pd14"))],
                          cwd=project, check=True, capture_output=True, text=True).stdout
    assert "results/networks/pd14/network.h5" in view and '"model": "pd14"' in view.replace("\n", " ")


def test_figure_option_reruns_only_that_figure(workspace):
    project, _ = workspace
    jobs = planned_with(project, lambda c: c["figures"]["structure"]["connectivity"].update(cmap="magma"))
    assert jobs == {"figure_structure": 1, "figure_provenance": 1, "all": 1}


def test_network_parameter_reruns_exactly_its_downstream(workspace):
    project, _ = workspace
    jobs = planned_with(project, lambda c: c["networks"]["pd14"].update(g=-4.5))
    assert jobs == {"build_network": 1, "meanfield": 1, "scale_network": 1, "simulate": 1,
                    "spike_statistics": 1, "power_spectra": 1, "figure_structure": 1,
                    "figure_provenance": 1, "all": 1}


def test_editing_a_script_reruns_its_rule(workspace):
    project, _ = workspace
    script = project / "scripts/power_spectra.py"
    original = script.read_text()
    try:
        script.write_text(original + "\n# an edit\n")
        assert planned_jobs(project) == {"power_spectra": 1, "all": 1}
    finally:
        script.write_text(original)


def test_report_shows_every_figure_with_caption_and_provenance(workspace):
    project, _ = workspace
    snakemake(project, "--report", "report.html")
    html = (project / "report.html").read_text(errors="replace")
    figures = sorted(p.name for p in (project / "figures").rglob("*.png"))
    assert figures and all(name in html for name in figures)
    assert "PROVENANCE.csv" in html
    assert "Connectivity of the cortical microcircuit" in html  # a caption, rendered
