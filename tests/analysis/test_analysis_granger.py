"""Conditional Granger causality (cortexflow.analysis.granger): a bivariate VAR(1) with a known coupling,
the least-squares fit against statsmodels' VAR, source selection by indegree, and the workflow wiring."""
from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import levene

from cortexflow.analysis.granger import (candidate_sources, check_targets, conditional_granger, granger_table,
                                         standardise)


def coupled_var1(T=4000, c=0.5, seed=7):
    """x(t) = 0.5 x(t-1) + u;  y(t) = 0.3 y(t-1) + c x(t-1) + v  (x drives y, y does not drive x)."""
    rng = np.random.default_rng(seed)
    u, v = rng.normal(size=(2, T))
    x, y = np.zeros(T), np.zeros(T)
    for t in range(1, T):
        x[t] = 0.5 * x[t - 1] + u[t]
        y[t] = 0.3 * y[t - 1] + c * x[t - 1] + v[t]
    return np.vstack([x, y])


def test_known_coupling_is_found_in_one_direction_only():
    xy = coupled_var1()
    K = np.array([[0.0, 5.0, 0.0], [5.0, 0.0, 0.0]])                 # both directions are candidates
    tab = granger_table(xy, ["x", "y"], K, {"order": 2}).set_index(["target", "source"])
    fwd, bwd = tab.loc[("y", "x")], tab.loc[("x", "y")]
    # GC(x->y) = ln(1 + c² var(x(t-1) | past of y)) <= ln(1 + 0.25 var(x)) = ln(4/3) = 0.288; measured 0.264
    assert 0.2 < fwd.gc < 0.35 and fwd.p < 1e-10 and fwd.significant
    assert abs(bwd.gc) < 3e-3 and bwd.p > 0.05 and not bwd.significant


def test_residual_variances_and_levene_equal_statsmodels_var():
    from statsmodels.tsa.api import VAR
    rng = np.random.default_rng(3)
    x = coupled_var1(T=1500, seed=11)
    x = standardise(np.vstack([x, rng.normal(size=(2, 1500))]))      # target y first, then x and two noises
    x = x[[1, 0, 2, 3]]
    order = 3
    ours = conditional_granger(x, order, chunk_rows=97)               # several row blocks
    full = VAR(x.T).fit(order)
    e_full = full.resid[:, 0]
    n = len(e_full)
    assert ours.n_obs == n and ours.n_params == 1 + 4 * order
    assert ours.var_full == pytest.approx(np.mean(e_full ** 2), rel=1e-10)
    for j in (1, 2, 3):
        e_red = VAR(np.delete(x, j, axis=0).T).fit(order).resid[:, 0]
        assert ours.var_reduced[j - 1] == pytest.approx(np.mean(e_red ** 2), rel=1e-10)
        assert ours.gc[j - 1] == pytest.approx(np.log(np.mean(e_red ** 2) / np.mean(e_full ** 2)), rel=1e-8)
        p = levene(np.sqrt((n - 1) / (n - 4 * order)) * e_full, np.sqrt((n - 1) / (n - 3 * order)) * e_red).pvalue
        assert ours.p[j - 1] == pytest.approx(p, rel=1e-8)
    assert ours.gc[0] > 0.1 and ours.p[0] < 1e-6                      # the true source x


def test_sources_follow_the_indegree_threshold():
    K = np.array([[3.0, 0.5, 2.0, 100.0], [1.0, 0.0, 0.9, 100.0], [0.0, 4.0, 9.0, 100.0]])  # external last
    assert candidate_sources(K, 0) == [2]                # self excluded, K = 0.5 and external column ignored
    assert candidate_sources(K, 1) == []                 # K = 1 is not > 1
    assert candidate_sources(K, 2, k_min=3.0) == [1]
    rates = coupled_var1(T=600)
    rates = np.vstack([rates, rates[0] + np.random.default_rng(1).normal(size=600)])
    tab = granger_table(rates, ["a", "b", "c"], K, {"order": 2})
    assert list(zip(tab.target, tab.source)) == [("a", "c"), ("c", "b")]   # b has no source above k_min: no rows
    assert granger_table(rates, ["a", "b", "c"], K, {"order": 2, "targets": ["b"]}).empty


def test_silent_and_underdetermined_targets_give_nan_rows():
    K = np.array([[0.0, 5.0, 5.0], [5.0, 0.0, 5.0], [5.0, 5.0, 0.0]])
    rates = coupled_var1(T=300)
    silent = np.vstack([rates, np.zeros(300)])
    tab = granger_table(silent, ["a", "b", "s"], np.hstack([K, np.ones((3, 1))]), {"order": 2})
    assert tab[tab.target == "s"].gc.isna().all()                      # silent target
    assert tab[(tab.source == "s")].gc.isna().all()                    # silent source
    assert tab[(tab.target == "b") & (tab.source == "a")].gc.notna().all()
    short = granger_table(rates[:, :40], ["a", "b"], K[:2, :2], {"order": 25})
    assert len(short) == 2 and short.gc.isna().all() and not short.significant.any()
    with pytest.raises(ValueError, match="analysis.granger.targets"):
        check_targets(["V1-4E"], ["a", "b"])


def test_granger_all_is_optional_and_all_runs_it_once(tmp_path_factory):
    from concurrent.futures import ThreadPoolExecutor

    import yaml
    from tests.support.workspace import copy_project, planned_jobs
    project = copy_project(tmp_path_factory.mktemp("granger_wf"))
    with ThreadPoolExecutor(2) as pool:                 # two independent dry runs (subprocesses) side by side
        granger, default = pool.map(lambda target: planned_jobs(project, target), ["granger_all", "all"])
    sims = yaml.safe_load((project / "config/config.yaml").read_text())["simulations"]
    assert granger["granger_causality"] == len(sims) and granger["granger_all"] == 1
    # all runs Granger only for the simulation of PCB18 Fig 9 (figures.extra_dynamics.laminar_interactions)
    assert default.get("granger_causality") == 1 and "granger_all" not in default
    assert default.get("spike_statistics", 0) >= 1
