"""Workflow-level checks of rule build_network (mam): end-to-end build, rerun on a parameter change,
and a bad K_stable name stopping before any job runs."""
from pathlib import Path

import pytest
import yaml

from tests.support.workspace import MIRROR, copy_project, snakemake

from cortexflow.structure.network_file import read_network

pytestmark = pytest.mark.workflow

TARGET = "results/networks/mam-published/network.h5"


def _planned(project: Path, target: str) -> dict[str, int]:
    """{rule: jobs} of a dry run for ``target`` (targets go before --quiet, whose choices are greedy)."""
    out = snakemake(project, "-n", target, "--quiet", "rules").stdout
    rows = (line.split() for line in out.splitlines())
    return {r[0]: int(r[1]) for r in rows if len(r) == 2 and r[1].isdigit() and r[0] not in ("total", "job")}


def _set_network(project: Path, name: str, entry: dict) -> None:
    path = project / "config/config.yaml"
    cfg = yaml.safe_load(path.read_text())
    cfg["networks"][name] = entry
    path.write_text(yaml.safe_dump(cfg, sort_keys=False))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    if not MIRROR.is_dir():
        pytest.skip("no raw-data mirror")
    project = copy_project(tmp_path_factory.mktemp("wf") / "project")
    snakemake(project, "--cores", "1", TARGET)
    return project


def test_build_network_end_to_end(built):
    net = read_network(built / TARGET)
    assert net.model == "mam" and net.n == 254
    assert net.synapses[:, :-1].sum() == pytest.approx(2.4127e10, rel=1e-4)
    assert net.params["cc_weights_factor"] == 1.0 and net.params["K_stable"] == "K_prime_original.npy"
    assert (built / "logs/build_network/mam-published.log").read_text().count("254 populations") == 1


def test_parameter_change_reruns_only_that_network(built):
    assert _planned(built, TARGET) == {}
    _set_network(built, "mam-published", {"model": "mam", "K_stable": "K_prime_original.npy",
                                          "cc_weights_factor": 1.9, "cc_weights_I_factor": 1.0})
    assert _planned(built, TARGET) == {"build_network": 1}


def test_unknown_K_stable_file_stops_before_running(built):
    _set_network(built, "mam-bad", {"model": "mam", "K_stable": "K_missing.npy"})
    proc = snakemake(built, "-n", "results/networks/mam-bad/network.h5", check=False)
    assert proc.returncode != 0
    assert ("error: config networks.mam-bad.K_stable: 'K_missing.npy' is neither a raw-data file of sources.yaml"
            in proc.stdout + proc.stderr)
