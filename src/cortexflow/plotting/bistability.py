# SPDX-License-Identifier: GPL-3.0-or-later
"""Spiking runs against the mean-field fixed points: the bistability of the unstabilised network
(Schuecker, Schmidt et al. 2017 Fig 3; Schmidt et al. 2018 PLoS CB Fig 2) and the stabilised network
simulated (S17 Fig 9). Drawing only; the tables come from cortexflow.analysis.meanfield_compare."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from cortexflow.analysis.meanfield_compare import EPS, area_rates
from cortexflow.plotting.dynamics import add_footer
from cortexflow.plotting.style import apply_style, panel_label

STATE_COLORS = {"low": "#2166ac", "high": "#b2182b"}


def _scatter(ax, table, verdict, title):
    lo = EPS
    hi = max(table["rate"].max(), max(table[c].max() for c in table if c.startswith("rate_"))) * 2
    for name in verdict["distances"]:
        if not name in STATE_COLORS:
            continue
        mf = table[f"rate_{name}"].to_numpy(float)
        ax.scatter(mf + EPS, table["rate"] + EPS, s=5, lw=0, alpha=0.7, color=STATE_COLORS[name],
                   label=f"vs MF {name} (mean {verdict['mean_rate_mf'][name]:.2f}, d = {verdict['distances'][name]:.2f})")
    ax.plot([lo, hi], [lo, hi], color="0.5", lw=0.6, ls="--")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_xlabel(f"Mean-field rate + {EPS:g} (spikes/s)")
    ax.set_ylabel(f"Simulated rate + {EPS:g} (spikes/s)")
    ax.legend(loc="upper left", frameon=False, fontsize=5.5)
    ax.set_title(title, fontsize=7)


def _areas(ax, table, state):
    sim = area_rates(table, "rate")
    mf = area_rates(table, f"rate_{state}")
    x = np.arange(len(sim))
    ax.bar(x - 0.2, mf.to_numpy(), width=0.4, color=STATE_COLORS.get(state, "0.5"), alpha=0.45,
           label=f"mean field ({state})")
    ax.bar(x + 0.2, sim.to_numpy(), width=0.4, color="k", label="simulation")
    ax.set_xticks(x, list(sim.index), rotation=90, fontsize=5)
    ax.set_yscale("log")
    ax.set_ylabel("Area rate (spikes/s)")
    ax.legend(loc="lower right", frameon=True, framealpha=0.85, fontsize=5.5)


def _trace(ax, series, color="k"):
    t = series["t_start_ms"] + np.arange(series["rates"].shape[1]) * series["bin_ms"]
    w = series["n_recorded"].astype(float)
    mean = (series["rates"] * w[:, None]).sum(0) / max(w.sum(), 1.0)
    k = max(1, round(10.0 / series["bin_ms"]))
    sm = np.convolve(mean, np.ones(k) / k, mode="valid")
    ax.plot(t[k // 2: k // 2 + sm.size], sm, color=color, lw=0.7)
    ax.set_xlabel("Time (ms of recorded time)")
    ax.set_ylabel("Mean rate (spikes/s, 10 ms)")


def bistability_figure(runs: list[dict], *, footer, title: str, note: str = "") -> plt.Figure:
    """One row per run ({label, table, verdict, series}): A population rates vs every mean-field attractor,
    B area rates vs the attractor the run is in, C the mean rate over time."""
    apply_style()
    fig, axes = plt.subplots(len(runs), 3, figsize=(7.4, 2.7 * len(runs)), width_ratios=[1.0, 1.7, 1.0],
                             layout="constrained", squeeze=False)
    for row, run in zip(axes, runs):
        v = run["verdict"]
        state = v["state"]
        _scatter(row[0], run["table"], v, f"{run['label']}:\n{state}-activity state")
        _areas(row[1], run["table"], state)
        row[1].set_title(f"mean {v['mean_rate']:.2f} vs MF {state} {v['mean_rate_mf'][state]:.2f} spikes/s; "
                         f"{100 * v['within_2x']:.0f} % of populations within x2", fontsize=6.5)
        _trace(row[2], run["series"], STATE_COLORS.get(state, "k"))
    for k, ax in enumerate(axes[0]):
        panel_label(ax, "ABC"[k])
    import textwrap

    fig.suptitle("\n".join([title, *textwrap.wrap(note, 150)]), fontsize=7)
    return add_footer(fig, footer)
