# SPDX-License-Identifier: GPL-3.0-or-later
"""cortexflow.analysis.package_comparison (ours vs the PD14 package) on synthetic ensembles; no NEST."""
import numpy as np
import pytest

from cortexflow.analysis.package_comparison import compare_implementations


def ensemble(n_runs, shift=0.0, seed=0, n=2000):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n_runs):
        rates = rng.gamma(2.0, 2.0, n) * (1 + shift)
        out.append({"23E": {"rates": rates, "cv": rng.normal(0.5 + shift, 0.1, n),
                            "cc_pairs": rng.normal(0.002, 0.01, 5000)}})
    return out


def test_same_distribution_passes_and_shift_fails():
    pkg = ensemble(3, seed=1)
    same = compare_implementations(ensemble(3, seed=2), pkg).set_index("statistic")
    assert same["passed"].all() and same["mean_ok"].all()
    assert list(same["n_package"]) == [3, 3, 3]
    shifted = compare_implementations(ensemble(3, shift=0.2, seed=3), pkg).set_index("statistic")
    assert not shifted.loc["rates", "passed"] and not shifted.loc["cv", "passed"]
    assert not shifted.loc["rates", "mean_ok"]
    assert shifted.loc["rates", "rel_diff"] == pytest.approx(0.2, abs=0.03)
    assert shifted.loc["cc", "passed"]               # the CCs were not shifted


def test_needs_two_package_runs():
    with pytest.raises(ValueError, match=">= 2 runs"):
        compare_implementations(ensemble(2), ensemble(1))


def test_figure(tmp_path):
    from cortexflow.plotting.package import package_comparison_figure
    from cortexflow.plotting.style import save_figure
    table = compare_implementations(ensemble(3, seed=2), ensemble(3, seed=1))
    fig = package_comparison_figure(table, "test")
    assert len(fig.axes) == 4
    save_figure(fig, [tmp_path / "f.png"])
    assert (tmp_path / "f.png").stat().st_size > 1000


def test_null_pass_rate():
    """Two identical implementations (no realisation variability): the criterion with the KS 95 % floor
    passes >= 95 % of 40 ensemble pairs per statistic; the max of 3 seed-to-seed distances alone fails
    18-30 % (measured: 0.75 / 0.70 / 0.825 for rates / CV / CC)."""
    floor, max_only = [], []
    for s in range(40):
        t = compare_implementations(ensemble(3, seed=100 + s), ensemble(3, seed=200 + s))
        floor.append(t["passed"].to_numpy())
        max_only.append(t["passed_max_only"].to_numpy())
    assert np.all(np.mean(floor, axis=0) >= 0.95)
    np.testing.assert_allclose(np.mean(max_only, axis=0), [0.75, 0.70, 0.825])


@pytest.mark.workflow
def test_dag_of_validate_package(tmp_path):
    """validate_package: 3 package runs (seeds of our ensemble, the scaled network of pd14) + their
    statistics beside our ensemble; not part of `all`."""
    from tests.support.workspace import copy_project, planned_jobs, snakemake

    proj = copy_project(tmp_path / "proj")
    jobs = planned_jobs(proj, "validate_package")
    assert jobs["simulate_pd14_package"] == 3 and jobs["package_statistics"] == 3 and jobs["simulate"] == 3
    assert jobs["package_comparison"] == 1 and jobs["figure_package_comparison"] == 1
    out = snakemake(proj, "-n", "-p", "results/sims/pd14-half-pkg/seed3/spikes.h5").stdout
    assert ("cortexflow.simulation.pd14_package --name pd14-half-pkg/seed3 "
            "--network results/sims/pd14-half/network.h5") in out
    assert '"seed": 3' in out and "dc_rates" not in out
    assert "simulate_pd14_package" not in planned_jobs(proj, "all")
