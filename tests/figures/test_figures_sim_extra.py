# SPDX-License-Identifier: GPL-3.0-or-later
"""The figures of rules/figures_sim_extra.smk draw from synthetic inputs and state their footer and notes."""
import numpy as np
import pandas as pd

from cortexflow.analysis import laminar as lam
from cortexflow.analysis import meanfield_compare as mc
from cortexflow.analysis.stimulus import response_onsets
from cortexflow.plotting.dynamics import footer_text

POPS = ["23E", "23I", "4E", "4I", "5E", "5I", "6E", "6I"]


def test_thalamic_response_figure():
    from cortexflow.plotting.stimulus import thalamic_response_figure
    edges = np.arange(-100, 100.5, 0.5)
    rates = np.full((8, edges.size - 1), 3.0)
    rates[2, (edges[:-1] >= 3) & (edges[:-1] < 12)] = 60.0          # 4E responds 3 ms after th_start
    resp = {"populations": POPS, "edges": edges, "rates": rates, "t_stim": 200.0, "th_duration": 10.0,
            "bin_ms": 0.5, **response_onsets(edges, rates, 10.0)}
    assert resp["onset_ms"][2] == 3.0 and np.isnan(resp["onset_ms"][0])
    raster = [{"population": p, "n_shown": 5, "senders": np.array([0, 1]), "times_ms": np.array([195.0, 205.0])}
              for p in POPS]
    fig = thalamic_response_figure(resp, raster, footer="pd14-thalamic: test", note="Pulse: test")
    assert "pd14-thalamic" in footer_text(fig)
    texts = " ".join(t.get_text() for ax in fig.axes for t in ax.texts)
    assert "Pulse: test" in texts and " none" in texts and "3.0" in texts


def test_membrane_potential_figure():
    from cortexflow.plotting.stimulus import membrane_potential_figure
    t = np.arange(1.0, 500.0)
    vm = {p: {"senders": np.arange(3), "times": t, "V_m": -60 + np.random.default_rng(0).normal(size=(3, t.size))}
          for p in POPS}
    fig = membrane_potential_figure(vm, POPS, (100, 400), -50.0, -65.0, footer="x: test", stimulus_ms=(200, 210))
    assert len([ax for ax in fig.axes if ax.lines]) == 8


def test_laminar_figure_states_empty_classes():
    from cortexflow.plotting.laminar import laminar_figure
    data = {c: {"significant": np.zeros((8, 8), int), "tested": np.ones((8, 8), int),
                "path_pairs": np.eye(8, dtype=int), "path_stages": np.array([2, 3])} for c in lam.CLASSES}
    data["same-area"]["significant"][2, 0] = 4
    fig = laminar_figure(data, footer="mam: test", note="note")
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert sum("none significant" in t for t in texts) == 3       # HL, LH, HZ; not the within-area panel


def test_bistability_figure():
    from cortexflow.plotting.bistability import bistability_figure
    pops = [f"{a}-{p}" for a in ("V1", "V2") for p in POPS]
    low, high = np.full(16, 2.0), np.full(16, 130.0)
    fp = {"populations": pops, "rates": low, "attractor_rates": np.vstack([low, high])}
    summary = pd.DataFrame({"population": pops, "rate": low * 0.8, "n_neurons": 10})
    table, verdict = mc.compare(summary, fp)
    series = {"rates": np.ones((16, 500)), "n_recorded": np.full(16, 10), "bin_ms": 1.0, "t_start_ms": 500.0}
    fig = bistability_figure([{"label": "s17-kappa1 (kappa 1)", "table": table, "verdict": verdict, "series": series}],
                             footer="s17: test", title="T", note="N_scaling 0.01")
    assert "low-activity state" in " ".join(ax.get_title() for ax in fig.axes)
    assert "N_scaling 0.01" in fig._suptitle.get_text()
