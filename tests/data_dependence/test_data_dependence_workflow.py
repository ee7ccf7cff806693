"""The data-dependence workflow (rules/data_dependence.smk) on a copy of the project: wiring (dry run) and a
small end-to-end run with 2 bootstrap replicates."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from tests.support.workspace import MIRROR, copy_project, planned_jobs, snakemake

SMALL = "data_dependence:\n  n_replicates: 2\n  leave_one_out: []\n  seed: 1000\n"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("dd_wf"))


def test_default_target_plans_every_replicate(project):
    jobs = planned_jobs(project, "data_dependence")
    n = 1 + 8 + 11 + 24                       # original, 8 bootstrap, 11 density and 24 injection leave-one-out
    for rule in ("resample_data", "data_dependence_anatomy", "data_dependence_network", "data_dependence_meanfield",
                 "data_dependence_bistability"):
        assert jobs[rule] == n, rule
    assert jobs["data_dependence_collect"] == 1 and jobs["figure_data_dependence"] == 5
    assert "data_dependence_stabilise" not in jobs
    assert "resample_data" not in planned_jobs(project, "all")


def test_stabilise_switch_adds_the_stabilisation(project, tmp_path):
    cfg = tmp_path / "dd.yaml"
    cfg.write_text("data_dependence:\n  n_replicates: 1\n  leave_one_out: []\n  stabilise: true\n")
    out = snakemake(project, "-n", "data_dependence", "--configfile", str(cfg), "--quiet", "rules").stdout
    counts = {p[0]: int(p[1]) for p in (line.split() for line in out.splitlines()) if len(p) == 2 and p[1].isdigit()}
    assert counts["data_dependence_stabilise"] == 2 and counts["data_dependence_meanfield"] == 4


def test_network_with_published_indegrees_is_rejected(project, tmp_path):
    cfg = tmp_path / "bad.yaml"
    cfg.write_text("data_dependence:\n  network: mam-published\n")
    proc = snakemake(project, "-n", "data_dependence", "--configfile", str(cfg), check=False)
    assert proc.returncode != 0
    assert "data_dependence.network: 'mam-published' takes its indegrees from K_prime_original.npy" in \
        proc.stdout + proc.stderr


@pytest.mark.slow
@pytest.mark.skipif(not MIRROR.is_dir(), reason=f"no raw-data mirror at {MIRROR}")
def test_two_replicates_end_to_end(project, tmp_path):
    """~1-2 min on 2 shared cores: raw data -> 3 replicates (original + 2 bootstrap) -> tables and figures."""
    from cortexflow.structure.network_file import read_network

    cfg = tmp_path / "small.yaml"
    cfg.write_text(SMALL)
    snakemake(project, "--cores", "2", "data_dependence", "results/networks/mam-s17/network.h5",
              "--configfile", str(cfg))
    d = project / "results/data_dependence"
    # resampling off: bit-identical to the network of rule build_network
    orig = read_network(d / "original/networks/mam-s17/network.h5")
    ref = read_network(project / "results/networks/mam-s17/network.h5")
    assert np.array_equal(orig.N, ref.N) and np.array_equal(orig.K, ref.K)
    boot = [read_network(d / f"boot-00{r}/networks/mam-s17/network.h5") for r in range(2)]
    assert not np.array_equal(boot[0].K, boot[1].K) and not np.array_equal(boot[0].K, orig.K)
    edr = pd.read_csv(d / "tables/edr.csv").set_index("replicate")
    assert edr.loc["original", "slope"] == pytest.approx(-0.11435667515359628, rel=1e-9)
    assert edr["slope"].nunique() == 3
    st = pd.read_csv(d / "tables/stability.csv").set_index("replicate")
    assert st.loc["original", "mean_rate"] == pytest.approx(1.85353, rel=1e-5)         # docs/theory.md
    assert st.loc["original", "kappa_star"] == pytest.approx(1.074354, abs=2e-6)       # S17: 1.07435494
    assert st.loc["original", "n_states"] == 2                                        # bistable at kappa = 1
    ind = pd.read_csv(d / "tables/area_indegrees.csv")
    assert len(ind) == 3 * 32 * 33
    for fig in ("fits", "indegrees", "rates", "bistability", "sensitivity"):
        assert (project / f"figures/data_dependence/{fig}.png").stat().st_size > 10_000
    # rerunning changes nothing (deterministic, complete)
    assert "Nothing to be done" in snakemake(project, "-n", "data_dependence", "--configfile", str(cfg)).stdout + \
        snakemake(project, "-n", "data_dependence", "--configfile", str(cfg)).stderr
