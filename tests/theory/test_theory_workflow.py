"""Workflow wiring of the theory stage (dry runs on a copy of the project; nothing is computed)."""
import pytest
from tests.support.workspace import copy_project, planned_jobs, snakemake


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("theory_wf"))


def test_figures_theory_plans_every_fixed_point_and_the_stabilisation(project):
    import yaml
    nets = yaml.safe_load((project / "config/config.yaml").read_text())["networks"]
    jobs = planned_jobs(project, "figures_theory")
    assert jobs["meanfield"] == len(nets) + 1          # every network + mam-s17-stable
    assert jobs["stabilise"] == 1 and jobs["figure_s17"] == 5 and jobs["figures_theory"] == 1


def test_stable_network_is_a_meanfield_target(project):
    jobs = planned_jobs(project, "results/theory/mam-s17-stable/fixed_point.h5")
    assert jobs["stabilise"] == 1 and jobs["meanfield"] == 1


def test_bad_stabilisation_network_stops_before_running(project):
    proc = snakemake(project, "-n", "figures_theory", "--config", "theory={'stabilisation': {'networks': ['pd14']}}",
                     check=False)
    assert proc.returncode != 0
    assert "theory.stabilisation.networks: 'pd14' is not a mam network" in proc.stdout + proc.stderr
